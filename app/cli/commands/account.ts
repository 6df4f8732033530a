import { eq, sql } from "drizzle-orm";
import { createStaffAccount, setAccountRoles } from "~/modules/auth/accounts.server";
import { DomainError } from "~/utils/errors";
import { translator } from "~/utils/i18n";
import { type GrantedRole, userRoles, users } from "~db/schema";
import { GRANTED_ROLES } from "~db/schema/enums";
import type { CliCommand } from "../context";
import { optionText, parseOptions } from "../options";

const USAGE = [
  "Usage:",
  "  npm run luoshi -- account create --email ADDRESS --name NAME [--role ROLE]…   (prints a one-time password)",
  "  npm run luoshi -- account roles ACCOUNT_ID [--grant ROLE] [--revoke ROLE]",
  `  roles: ${GRANTED_ROLES.join(", ")}`,
].join("\n");

/**
 * Accounts from the command line, for whoever runs the servers: the first administrators of a new
 * deployment (nobody can grant a role before a security administrator exists), and repairs such as a
 * breach of the separated duties found at start-up. Audited as "cli"; the same rules as the pages.
 */
const run: CliCommand = async (args, ctx) => {
  const [verb, ...rest] = args;
  const actor = { userId: null, label: "cli" };
  const t = translator("en");
  try {
    if (verb === "create") {
      const roles = rest.flatMap((a, i) => (rest[i - 1] === "--role" ? [a] : []));
      const options = parseOptions(rest.filter((a, i) => a !== "--role" && rest[i - 1] !== "--role"));
      const email = options && optionText(options, "email")?.trim().toLowerCase();
      const name = options && optionText(options, "name")?.trim();
      if (!email || !name || roles.some((r) => !(GRANTED_ROLES as readonly string[]).includes(r))) {
        ctx.err(USAGE);
        return 2;
      }
      const issued = await createStaffAccount(ctx.db, actor, { email, displayName: name });
      if (roles.length) await setAccountRoles(ctx.db, actor, issued.userId, roles as GrantedRole[]);
      ctx.out(`Account ${issued.userId} created for ${email}${roles.length ? ` with ${roles.join(", ")}` : ""}.`);
      ctx.out(`One-time password (must be changed at first sign-in, valid until ${issued.expiresAt}): ${issued.password}`);
      return 0;
    }
    if (verb === "roles") {
      const id = Number(rest[0]);
      const changes = rest.slice(1);
      if (!Number.isInteger(id) || id < 1 || changes.length % 2 !== 0) {
        ctx.err(USAGE);
        return 2;
      }
      const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, id));
      if (!account) {
        ctx.err(`No account ${id}.`);
        return 1;
      }
      const current = new Set(
        (await ctx.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, id))).map((r) => r.role as string),
      );
      for (let i = 0; i < changes.length; i += 2) {
        const [flag, role] = [changes[i], changes[i + 1]!];
        if (!(GRANTED_ROLES as readonly string[]).includes(role) || (flag !== "--grant" && flag !== "--revoke")) {
          ctx.err(USAGE);
          return 2;
        }
        if (flag === "--grant") current.add(role);
        else current.delete(role);
      }
      await setAccountRoles(ctx.db, actor, id, [...current] as GrantedRole[]);
      const [now] = await ctx.db.execute<{ roles: string[] }>(
        sql`select coalesce(array_agg(role::text order by role), '{}') as roles from user_roles where user_id = ${id}`,
      );
      ctx.out(`Account ${id}: ${now?.roles.join(", ") || "no granted roles"}.`);
      return 0;
    }
    ctx.err(USAGE);
    return 2;
  } catch (error) {
    if (error instanceof DomainError) {
      ctx.err(t(error.messageKey, error.options.params));
      return 1;
    }
    throw error;
  }
};

export default run;
