import { eq } from "drizzle-orm";
import { hashPassword } from "~/modules/auth/password.server";
import { nameInitials } from "~/modules/organization/rules";
import { changeTerms, type TermValue } from "~/modules/organization/terms.server";
import type { DbOrTx } from "../client";
import { cadres, type GrantedRole, type Rank, type UnitKind, unitLiaisons, unitMemberships, units, userRoles, users } from "../schema";

/**
 * Factories shared by the demo seed and the tests, so both build data the way the app does
 * (memberships opened, initials computed, accounts disabled until a password is set).
 */
let sequence = 0;
const next = () => `${Date.now().toString(36)}${(++sequence).toString(36)}`.toUpperCase();

export async function createUnit(
  db: DbOrTx,
  values: Partial<{ code: string; name: string; kind: UnitKind; parentId: number | null; ranked: boolean | null }> = {},
) {
  const code = values.code ?? `U${next()}`;
  const [unit] = await db
    .insert(units)
    .values({
      code,
      name: values.name ?? `单位${code}`,
      kind: values.kind ?? "department",
      parentId: values.parentId ?? null,
      ranked: values.ranked ?? null,
    })
    .returning();
  return unit!;
}

export async function createCadre(
  db: DbOrTx,
  values: { unitId: number } & Partial<{
    staffNo: string;
    name: string;
    rank: Rank;
    title: string;
    email: string | null;
    phone: string | null;
    status: "active" | "transferred" | "retired";
    since: string | null;
    rankSince: string | null;
    postSince: string | null;
  }>,
) {
  const staffNo = values.staffNo ?? `T${next()}`;
  const name = values.name ?? `测试${staffNo.slice(-4)}`;
  const [cadre] = await db
    .insert(cadres)
    .values({
      staffNo,
      name,
      nameInitials: nameInitials(name),
      unitId: values.unitId,
      rank: values.rank ?? "deputy_section",
      title: values.title ?? "",
      email: values.email === undefined ? `${staffNo.toLowerCase()}@test.luoshi.local` : values.email,
      phone: values.phone ?? null,
      status: values.status ?? "active",
      rankSince: values.rankSince ?? null,
      postSince: values.postSince ?? null,
    })
    .returning();
  await db.insert(unitMemberships).values({ cadreId: cadre!.id, unitId: values.unitId, startDate: values.since ?? null });
  return cadre!;
}

/**
 * A change of a cadre's rank, post or status from a date, as the edit page records it: the cadre's
 * value and its dated history (cadre_terms) together, for tests of "on that date" rules.
 */
export async function changeCadre(
  db: DbOrTx,
  cadreId: number,
  change: { rank?: Rank; title?: string; status?: "active" | "transferred" | "retired" },
  since: string,
) {
  const [before] = await db.select().from(cadres).where(eq(cadres.id, cadreId));
  const terms: { before: TermValue; term: TermValue }[] = [];
  if (change.rank) terms.push({ before: { kind: "rank", value: before!.rank }, term: { kind: "rank", value: change.rank } });
  if (change.title !== undefined)
    terms.push({ before: { kind: "post", value: before!.title }, term: { kind: "post", value: change.title } });
  if (change.status) terms.push({ before: { kind: "status", value: before!.status }, term: { kind: "status", value: change.status } });
  await changeTerms(
    db,
    terms.map((t) => ({ cadreId, since, ...t })),
    "seed",
  );
  await db.update(cadres).set(change).where(eq(cadres.id, cadreId));
}

export async function makeHead(db: DbOrTx, unitId: number, cadreId: number) {
  await db.update(units).set({ headCadreId: cadreId }).where(eq(units.id, unitId));
}

export async function addLiaison(db: DbOrTx, unitId: number, cadreId: number) {
  await db.insert(unitLiaisons).values({ unitId, cadreId }).onConflictDoNothing();
}

/** An account; without a password it stays disabled, as imported accounts do. */
export async function createUser(
  db: DbOrTx,
  values: Partial<{
    cadreId: number | null;
    email: string | null;
    displayName: string;
    password: string | null;
    passwordHash: string | null;
    roles: GrantedRole[];
    disabled: boolean;
    mustChangePassword: boolean;
    locale: string;
  }> = {},
) {
  const passwordHash = values.passwordHash ?? (values.password ? await hashPassword(values.password) : null);
  const [user] = await db
    .insert(users)
    .values({
      cadreId: values.cadreId ?? null,
      email: values.email ?? (values.cadreId ? null : `user-${next().toLowerCase()}@test.luoshi.local`),
      displayName: values.displayName ?? "",
      passwordHash,
      disabled: values.disabled ?? !passwordHash,
      mustChangePassword: values.mustChangePassword ?? false,
      locale: values.locale ?? "zh-CN",
    })
    .returning();
  if (values.roles?.length) {
    await db.insert(userRoles).values(values.roles.map((role) => ({ userId: user!.id, role })));
  }
  return user!;
}
