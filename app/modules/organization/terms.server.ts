import { asc, eq, type SQL, sql } from "drizzle-orm";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { type CadreStatus, type CadreTermKind, cadres, cadreTerms, type Rank } from "~db/schema";

/**
 * The dated history of each cadre's rank, post and status. The value that holds now is the cadre's own
 * row, with the day it began (rank_since = 任现职级时间, post_since = 任现职务时间, status_since);
 * every value before it is an ended term in cadre_terms. A change, by an edit or an import, ends the
 * current value there, in the transaction that makes the change; rules that ask "on that date" read
 * the ended terms (a new cadre writes none: the history starts with their first change).
 */

export type TermValue = { kind: "rank"; value: Rank } | { kind: "post"; value: string } | { kind: "status"; value: CadreStatus };

const SINCE: Record<CadreTermKind, string> = { rank: "rank_since", post: "post_since", status: "status_since" };
const VALUE: Record<CadreTermKind, string> = { rank: "rank", post: "title", status: "status" };
const TYPE: Record<CadreTermKind, string> = { rank: "cadre_rank", post: "text", status: "cadre_status" };

export interface TermChange {
  cadreId: number;
  /** The value until `since`: what the ended term holds. */
  before: TermValue;
  /** The value from `since` (the cadre's row carries it; the caller writes it there). */
  term: TermValue;
  /** The day the new value holds from. */
  since: string;
}

/**
 * Ends the current values on `since`: each becomes a term from its own start to `since`, and the
 * cadre's start moves to `since`. A change on the day the current value began leaves no day-long term
 * behind (a mistake put right the same day); one that puts back the value before it joins the two
 * again. The caller has checked `since` is not before the current start (newTermAllowed).
 */
export async function changeTerms(tx: DbOrTx, changes: readonly TermChange[], source: string): Promise<void> {
  for (const kind of ["rank", "post", "status"] as const) {
    const ofKind = changes.filter((c) => c.term.kind === kind);
    for (let i = 0; i < ofKind.length; i += 5000) {
      const chunk = JSON.stringify(
        ofKind.slice(i, i + 5000).map((c) => ({ cadre_id: c.cadreId, before: c.before.value, after: c.term.value, d: c.since })),
      );
      const since = sql.raw(SINCE[kind]);
      const value = sql.raw(VALUE[kind]);
      const type = sql.raw(TYPE[kind]);
      const recordset = sql`jsonb_to_recordset(${chunk}::jsonb) as x(cadre_id integer, before text, after text, d date)`;
      // A later day: the value before ends, as a term from its start.
      await tx.execute(sql`
        with ended as (
          insert into cadre_terms (cadre_id, kind, ${value}, start_date, end_date, source)
          select c.id, ${kind}::cadre_term_kind, x.before::${type}, c.${since}, x.d, ${source}
          from ${recordset} join cadres c on c.id = x.cadre_id
          where c.${since} is distinct from x.d and (c.${since} is null or c.${since} < x.d) and x.before is distinct from x.after
          returning cadre_id
        )
        update cadres c set ${since} = x.d from ${recordset}, ended where c.id = x.cadre_id and ended.cadre_id = c.id`);
      // The same day (now also for the change just ended above), back to the value before: the term that
      // ended that day runs again.
      await tx.execute(sql`
        with joined as (
          delete from cadre_terms p using ${recordset}, cadres c
          where c.id = x.cadre_id and c.${since} = x.d
            and p.cadre_id = x.cadre_id and p.kind = ${kind}::cadre_term_kind and p.end_date = x.d and p.${value} = x.after::${type}
          returning p.cadre_id, p.start_date
        )
        update cadres c set ${since} = joined.start_date from joined where c.id = joined.cadre_id`);
    }
  }
}

export interface StartCorrection {
  cadreId: number;
  kind: CadreTermKind;
  /** The current value's corrected start (任现职级时间 given later, or fixed). */
  start: string;
}

/**
 * Moves when current values began; the term before ends there instead. The caller has checked the new
 * start falls after that term's start.
 */
export async function correctTermStarts(tx: DbOrTx, corrections: readonly StartCorrection[]): Promise<void> {
  for (const kind of ["rank", "post", "status"] as const) {
    const ofKind = corrections.filter((c) => c.kind === kind);
    if (!ofKind.length) continue;
    const chunk = JSON.stringify(ofKind.map((c) => ({ cadre_id: c.cadreId, d: c.start })));
    const since = sql.raw(SINCE[kind]);
    await tx.execute(sql`
      update cadre_terms p set end_date = x.d
      from jsonb_to_recordset(${chunk}::jsonb) as x(cadre_id integer, d date), cadres c
      where c.id = x.cadre_id and p.cadre_id = c.id and p.kind = ${kind}::cadre_term_kind and p.end_date = c.${since}`);
    await tx.execute(sql`
      update cadres c set ${since} = x.d
      from jsonb_to_recordset(${chunk}::jsonb) as x(cadre_id integer, d date)
      where c.id = x.cadre_id`);
  }
}

export interface TermStart {
  /** When the current value began (null: unknown). */
  start: string | null;
  /** When the value before it began: a corrected start must come after it. Null when there is none or it is unknown. */
  previousStart: string | null;
}

/** The current rank's and post's starts of these cadres, with the start of the value before each. */
export async function termStarts(db: DbOrTx, cadreIds: readonly number[]): Promise<Map<number, Record<"rank" | "post", TermStart>>> {
  const out = new Map<number, Record<"rank" | "post", TermStart>>();
  if (!cadreIds.length) return out;
  const rows = await db.execute<{
    id: number;
    rank_since: string | null;
    post_since: string | null;
    rank_prev: string | null;
    post_prev: string | null;
  }>(sql`
    select c.id, c.rank_since::text, c.post_since::text,
      (select p.start_date::text from cadre_terms p where p.cadre_id = c.id and p.kind = 'rank' and p.end_date = c.rank_since) as rank_prev,
      (select p.start_date::text from cadre_terms p where p.cadre_id = c.id and p.kind = 'post' and p.end_date = c.post_since) as post_prev
    from cadres c where c.id in ${idList(cadreIds)}`);
  for (const r of rows) {
    out.set(Number(r.id), {
      rank: { start: r.rank_since, previousStart: r.rank_prev },
      post: { start: r.post_since, previousStart: r.post_prev },
    });
  }
  return out;
}

/** Whether a corrected start may be `since`, after the value before began on `start` (unknown starts allow any). */
export function startsAfter(since: string, start: string | null | undefined): boolean {
  return !start || since > start;
}

/** Whether a new value may start on `since`: on or after the current one began (the same day replaces it). */
export function newTermAllowed(since: string, start: string | null | undefined): boolean {
  return !start || since >= start;
}

export interface TermRow {
  kind: CadreTermKind;
  rank: Rank | null;
  title: string | null;
  status: CadreStatus | null;
  startDate: string | null;
  endDate: string | null;
}

/** One cadre's terms of every kind, oldest first, the current ones last (end null), for the cadre page and the form. */
export async function cadreTermHistory(db: DbOrTx, cadreId: number): Promise<TermRow[]> {
  const [cadre] = await db
    .select({
      rank: cadres.rank,
      title: cadres.title,
      status: cadres.status,
      rankSince: cadres.rankSince,
      postSince: cadres.postSince,
      statusSince: cadres.statusSince,
    })
    .from(cadres)
    .where(eq(cadres.id, cadreId));
  if (!cadre) return [];
  const ended = await db
    .select({
      kind: cadreTerms.kind,
      rank: cadreTerms.rank,
      title: cadreTerms.title,
      status: cadreTerms.status,
      startDate: cadreTerms.startDate,
      endDate: cadreTerms.endDate,
    })
    .from(cadreTerms)
    .where(eq(cadreTerms.cadreId, cadreId))
    .orderBy(asc(cadreTerms.kind), asc(cadreTerms.endDate));
  const current: TermRow[] = [
    { kind: "rank", rank: cadre.rank, title: null, status: null, startDate: cadre.rankSince, endDate: null },
    { kind: "post", rank: null, title: cadre.title, status: null, startDate: cadre.postSince, endDate: null },
    { kind: "status", rank: null, title: null, status: cadre.status, startDate: cadre.statusSince, endDate: null },
  ];
  // The status is worth a line only once it has changed, or is not the usual "active".
  const statusShown = ended.some((e) => e.kind === "status") || cadre.status !== "active" || cadre.statusSince !== null;
  const order = { rank: 0, post: 1, status: 2 } as const;
  return [...ended, ...current.filter((t) => t.kind !== "status" || statusShown)].sort(
    (a, b) => order[a.kind] - order[b.kind] || (a.endDate ?? "9999").localeCompare(b.endDate ?? "9999"),
  );
}

/**
 * A cadre's rank, post or status on a day, where it differs from today's: a table (cadre_id, value)
 * holding, for each cadre with a term that ended after `day`, the earliest such term — the one that
 * covered the day, or, for a day before the history began, the first value known. Cadres without one
 * had on that day the value they have now: join it left and coalesce with the cadre's own column.
 * `cadreRange` narrows it to a range of ids (a parallel worker's share).
 */
export function pastTermValuesSql(kind: CadreTermKind, day: SQL, cadreRange?: { lo: number; hi: number }): SQL {
  const column = sql.raw(VALUE[kind]);
  const range = cadreRange ? sql`and cadre_id between ${cadreRange.lo} and ${cadreRange.hi}` : sql``;
  return sql`(select distinct on (cadre_id) cadre_id, ${column} as value
    from cadre_terms
    where kind = ${kind}::cadre_term_kind and end_date > ${day} ${range}
    order by cadre_id, end_date)`;
}

/**
 * The same rule for one cadre and a day that varies by row (a month's last day), as a lateral subquery
 * with the column `rank`, `title` or `status`; null where the value is the cadre's current one.
 */
export function termOnSql(kind: CadreTermKind, cadreId: SQL, day: SQL): SQL {
  const column = sql.raw(VALUE[kind]);
  return sql`(select ${column} from cadre_terms t
    where t.cadre_id = ${cadreId} and t.kind = ${kind}::cadre_term_kind and t.end_date > ${day}
    order by t.end_date limit 1)`;
}
