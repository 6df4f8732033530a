import { and, eq, inArray, isNull } from "drizzle-orm";
import { generateSessionToken, sessionIdFromToken } from "~/modules/auth/session.server";
import { invalid } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { type AccountTokenPurpose, accountTokens, cadres, units, users } from "~db/schema";

/**
 * Single-use links sent by email (invitation, password reset), made like login sessions: 160 random
 * bits in the link, only their SHA-256 in the database.
 */
export function generateLinkToken(): { token: string; id: string } {
  const token = generateSessionToken();
  return { token, id: sessionIdFromToken(token) };
}

export type LinkTokenState = "valid" | "expired" | "used" | "revoked" | "invalid";

export interface LinkTokenView {
  state: LinkTokenState;
  userId?: number;
  name?: string;
  unitName?: string | null;
}

function stateOf(row: { expiresAt: Date; usedAt: Date | null; revokedAt: Date | null }, now: Date): LinkTokenState {
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  if (now >= row.expiresAt) return "expired";
  return "valid";
}

/** What a link's page needs to show: whether it still works and whose account it opens. */
export async function inspectLinkToken(db: DbOrTx, token: string, purpose: AccountTokenPurpose, now = new Date()): Promise<LinkTokenView> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { state: "invalid" };
  const [row] = await db
    .select({
      userId: accountTokens.userId,
      purpose: accountTokens.purpose,
      expiresAt: accountTokens.expiresAt,
      usedAt: accountTokens.usedAt,
      revokedAt: accountTokens.revokedAt,
      cadreName: cadres.name,
      displayName: users.displayName,
      email: users.email,
      unitName: units.name,
    })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .leftJoin(units, eq(units.id, cadres.unitId))
    .where(eq(accountTokens.id, sessionIdFromToken(token)));
  if (!row || row.purpose !== purpose) return { state: "invalid" };
  const state = stateOf(row, now);
  if (state !== "valid") return { state };
  return { state, userId: row.userId, name: row.cadreName ?? (row.displayName || row.email || ""), unitName: row.unitName };
}

/**
 * Locks the token row for the redeeming transaction and checks it still works; a second click racing
 * the first waits here and then finds the token used.
 */
export async function lockValidLinkToken(tx: DbOrTx, token: string, purpose: AccountTokenPurpose, now = new Date()) {
  if (!/^[a-z2-7]{32}$/.test(token)) throw invalid("email.pages.token.invalid", "form");
  const [row] = await tx
    .select()
    .from(accountTokens)
    .where(eq(accountTokens.id, sessionIdFromToken(token)))
    .for("update");
  if (!row || row.purpose !== purpose) throw invalid("email.pages.token.invalid", "form");
  const state = stateOf(row, now);
  if (state !== "valid") throw invalid(`email.pages.token.${state}`, "form");
  return row;
}

/** Outstanding links of these kinds stop working (a newer one was sent, the password was set, …). */
export async function revokeLinkTokens(db: DbOrTx, userIds: number[], purposes: AccountTokenPurpose[], now = new Date()) {
  if (!userIds.length) return;
  await db
    .update(accountTokens)
    .set({ revokedAt: now })
    .where(
      and(
        inArray(accountTokens.userId, userIds),
        inArray(accountTokens.purpose, purposes),
        isNull(accountTokens.usedAt),
        isNull(accountTokens.revokedAt),
      ),
    );
}

export async function markLinkTokenUsed(db: DbOrTx, id: string, now = new Date()) {
  await db.update(accountTokens).set({ usedAt: now }).where(eq(accountTokens.id, id));
}
