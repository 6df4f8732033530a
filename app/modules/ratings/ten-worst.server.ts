import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { invalid } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { ratingAccountabilityRequests, ratingTenWorstLists, units } from "~db/schema";
import { raiseTenWorstAccountability } from "./accountability.server";
import { tenWorst } from "./rules";

/**
 * The year's 十差 list: the N units (default 10) with most confirmed 不满意 cases — a case counts for
 * the year its rating was given, once the organization department has closed it as confirmed (属实), and
 * not if its rating was discounted with a burst — ties at the boundary all on it. Published with a reason and frozen (entries and a SHA-256 of them);
 * a correction is a new version with its own reason, the old one kept as superseded. A unit that was
 * on the previous year's published list too raises accountability for its head.
 */

export const DEFAULT_TEN_WORST_SIZE = 10;

export interface TenWorstEntry {
  unitId: number;
  code: string;
  name: string;
  headCadreId: number | null;
  headName: string | null;
  confirmed: number;
  cases: number;
  rank: number;
  tied: boolean;
  /** Also on the previous year's published list. */
  repeat: boolean;
}

/** Every unit with a confirmed case in the year, with its counts (what the draft page lists). */
export async function tenWorstCandidates(db: DbOrTx, year: number) {
  const rows = await db.execute<{
    unit_id: number;
    code: string;
    name: string;
    head_cadre_id: number | null;
    head_name: string | null;
    confirmed: number;
    cases: number;
  }>(sql`
    select u.id as unit_id, u.code, u.name, u.head_cadre_id, (select name from cadres where id = u.head_cadre_id) as head_name,
      count(*) filter (where c.state = 'closed' and c.finding = 'confirmed')::int as confirmed,
      count(*) filter (where c.state <> 'void')::int as cases
    from rating_cases c
    join public_ratings r on r.id = c.rating_id
    join units u on u.id = c.unit_id
    where r.rated_on >= ${`${year}-01-01`}::date and r.rated_on < ${`${year + 1}-01-01`}::date
      and r.discounted_burst_id is null
    group by u.id
    having count(*) filter (where c.state = 'closed' and c.finding = 'confirmed') > 0`);
  return rows.map((r) => ({
    unitId: Number(r.unit_id),
    code: r.code,
    name: r.name,
    headCadreId: r.head_cadre_id === null ? null : Number(r.head_cadre_id),
    headName: r.head_name,
    confirmed: Number(r.confirmed),
    cases: Number(r.cases),
  }));
}

async function currentList(db: DbOrTx, year: number) {
  const [row] = await db
    .select()
    .from(ratingTenWorstLists)
    .where(and(eq(ratingTenWorstLists.year, year), eq(ratingTenWorstLists.status, "published")));
  return row ?? null;
}

/** The list as it would be published now. */
export async function draftTenWorst(db: DbOrTx, year: number, size: number): Promise<TenWorstEntry[]> {
  const previous = await currentList(db, year - 1);
  const before = new Set(((previous?.entries ?? []) as TenWorstEntry[]).map((e) => e.unitId));
  return tenWorst(await tenWorstCandidates(db, year), size).map((e) => ({ ...e, repeat: before.has(e.unitId) }));
}

export async function publishTenWorst(db: DbOrTx, actor: Actor, input: { year: number; size: number; reason: string }) {
  return db.transaction(async (tx) => {
    // One publication of a year at a time: the version number and the superseding are decided once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:ten-worst'), ${input.year})`);
    const entries = await draftTenWorst(tx, input.year, input.size);
    if (!entries.length) throw invalid("ratings.tenWorst.errors.empty", "form");
    const previous = await currentList(tx, input.year);
    const [{ version }] = (await tx.execute<{ version: number }>(
      sql`select coalesce(max(version), 0)::int + 1 as version from rating_ten_worst_lists where year = ${input.year}`,
    )) as unknown as [{ version: number }];
    if (previous) await tx.update(ratingTenWorstLists).set({ status: "superseded" }).where(eq(ratingTenWorstLists.id, previous.id));
    const entriesHash = createHash("sha256").update(JSON.stringify(entries)).digest("hex");
    const [list] = await tx
      .insert(ratingTenWorstLists)
      .values({
        year: input.year,
        version,
        size: input.size,
        reason: input.reason,
        entries,
        entriesHash,
        publishedByUserId: actor.userId,
      })
      .returning();
    await audit(tx, actor, {
      action: "rating_ten_worst.published",
      entityType: "rating_ten_worst",
      entityId: list!.id,
      before: previous ? { version: previous.version, units: (previous.entries as TenWorstEntry[]).map((e) => e.code) } : null,
      after: { year: input.year, version, size: input.size, units: entries.map((e) => e.code), entriesHash },
      reason: input.reason,
    });
    for (const e of entries.filter((x) => x.repeat)) {
      await raiseTenWorstAccountability(tx, actor, {
        listId: list!.id,
        year: input.year,
        unitId: e.unitId,
        headCadreId: e.headCadreId,
        note: `${input.year - 1}、${input.year}年连续两年列入“十差”单位名单`,
      });
    }
    return list!;
  });
}

/** The published versions of a year, newest first, with the accountability each raised. */
export async function tenWorstVersions(db: DbOrTx, year: number) {
  const lists = await db
    .select()
    .from(ratingTenWorstLists)
    .where(eq(ratingTenWorstLists.year, year))
    .orderBy(desc(ratingTenWorstLists.version));
  const raised = lists.length
    ? await db
        .select({ listId: ratingAccountabilityRequests.tenWorstListId, unitId: ratingAccountabilityRequests.unitId, unitName: units.name })
        .from(ratingAccountabilityRequests)
        .innerJoin(units, eq(units.id, ratingAccountabilityRequests.unitId))
        .where(eq(ratingAccountabilityRequests.source, "ten_worst"))
    : [];
  return lists.map((l) => ({
    ...l,
    entries: l.entries as TenWorstEntry[],
    accountability: raised.filter((r) => r.listId === l.id).map((r) => r.unitId),
  }));
}
