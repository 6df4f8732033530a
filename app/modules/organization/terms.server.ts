import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { type CadreStatus, type CadreTermKind, cadreTerms, type Rank } from "~db/schema";

/**
 * The dated history of each cadre's rank, post and status (cadre_terms). Edits and imports record a
 * change here in the transaction that makes it; rules that ask "on that date" read it. A term's
 * start may be unknown (null: since before records began); end dates are exclusive, and the open term
 * of each kind holds the cadre's current value.
 */

export type TermValue = { kind: "rank"; value: Rank } | { kind: "post"; value: string } | { kind: "status"; value: CadreStatus };

const valueColumns = (t: TermValue) => ({
  rank: t.kind === "rank" ? t.value : null,
  title: t.kind === "post" ? t.value : null,
  status: t.kind === "status" ? t.value : null,
});

/**
 * The first rank and post terms of new cadres, from the given starts (任现职级时间, 任现职务时间) or
 * unknown. A status term is written when the status first changes (a new cadre is active).
 */
export async function openFirstTerms(
  tx: DbOrTx,
  cadres: readonly { cadreId: number; rank: Rank; title: string; rankSince?: string | null; postSince?: string | null }[],
  source: string,
): Promise<void> {
  if (!cadres.length) return;
  const rows = cadres.flatMap((c) => [
    { cadreId: c.cadreId, kind: "rank" as const, rank: c.rank, startDate: c.rankSince ?? null, source },
    { cadreId: c.cadreId, kind: "post" as const, title: c.title, startDate: c.postSince ?? null, source },
  ]);
  for (let i = 0; i < rows.length; i += 3000) await tx.insert(cadreTerms).values(rows.slice(i, i + 3000));
}

export interface TermChange {
  cadreId: number;
  /** The value until `since`: it opens a term since before records began if the cadre has none yet. */
  before: TermValue;
  term: TermValue;
  /** The day the new value holds from; the open term ends that day. */
  since: string;
}

/**
 * New values from a date: the open term of the kind ends on `since` and a new one starts there. A
 * change on the day the open term began replaces its value (a mistake put right the same day), and one
 * that puts back the value before it joins the two again. The caller has checked that `since` is not
 * before the open term's start (newTermAllowed).
 */
export async function changeTerms(tx: DbOrTx, changes: readonly TermChange[], source: string): Promise<void> {
  for (let i = 0; i < changes.length; i += 2000) {
    const chunk = changes.slice(i, i + 2000);
    const befores = chunk.map((c) => ({ cadre_id: c.cadreId, kind: c.before.kind, ...valueColumns(c.before) }));
    await tx.execute(sql`
      insert into cadre_terms (cadre_id, kind, rank, title, status, start_date, source)
      select x.cadre_id, x.kind, x.rank, x.title, x.status, null, ${source}
      from jsonb_to_recordset(${JSON.stringify(befores)}::jsonb)
        as x(cadre_id integer, kind cadre_term_kind, rank cadre_rank, title text, status cadre_status)
      where not exists (select 1 from cadre_terms t where t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is null)`);
    const changed = JSON.stringify(chunk.map((c) => ({ cadre_id: c.cadreId, kind: c.term.kind, ...valueColumns(c.term), d: c.since })));
    const recordset = sql`jsonb_to_recordset(${changed}::jsonb)
      as x(cadre_id integer, kind cadre_term_kind, rank cadre_rank, title text, status cadre_status, d date)`;
    // The same day: the open term takes the new value; if that is the value before it, the two join.
    await tx.execute(sql`
      update cadre_terms t set rank = x.rank, title = x.title, status = x.status
      from ${recordset}
      where t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is null and t.start_date = x.d`);
    await tx.execute(sql`
      with joined as (
        delete from cadre_terms o using ${recordset}, cadre_terms p
        where o.cadre_id = x.cadre_id and o.kind = x.kind and o.end_date is null and o.start_date = x.d
          and p.cadre_id = o.cadre_id and p.kind = o.kind and p.end_date = o.start_date
          and p.rank is not distinct from o.rank and p.title is not distinct from o.title and p.status is not distinct from o.status
        returning p.id
      )
      update cadre_terms t set end_date = null from joined where t.id = joined.id`);
    // A later day: the open term ends and the new one starts.
    await tx.execute(sql`
      with ended as (
        update cadre_terms t set end_date = x.d
        from ${recordset}
        where t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is null and (t.start_date is null or t.start_date < x.d)
          -- Not one the same day already gave the new value.
          and (t.rank is distinct from x.rank or t.title is distinct from x.title or t.status is distinct from x.status)
        returning t.cadre_id, t.kind
      )
      insert into cadre_terms (cadre_id, kind, rank, title, status, start_date, source)
      select x.cadre_id, x.kind, x.rank, x.title, x.status, x.d, ${source}
      from ${recordset} join ended e on e.cadre_id = x.cadre_id and e.kind = x.kind`);
  }
}

export interface StartCorrection {
  cadreId: number;
  /** The current value: a cadre without an open term of the kind gets one. */
  term: TermValue;
  /** The open term's corrected start (任现职级时间 given later, or fixed). */
  start: string;
}

/**
 * Moves the start of open terms (the term before ends there instead). The caller has checked the new
 * start falls after the previous term's start.
 */
export async function correctTermStarts(tx: DbOrTx, corrections: readonly StartCorrection[], source: string): Promise<void> {
  for (let i = 0; i < corrections.length; i += 2000) {
    const slice = corrections.slice(i, i + 2000);
    const missing = slice.map((c) => ({ cadre_id: c.cadreId, kind: c.term.kind, ...valueColumns(c.term), d: c.start }));
    await tx.execute(sql`
      insert into cadre_terms (cadre_id, kind, rank, title, status, start_date, source)
      select x.cadre_id, x.kind, x.rank, x.title, x.status, x.d, ${source}
      from jsonb_to_recordset(${JSON.stringify(missing)}::jsonb)
        as x(cadre_id integer, kind cadre_term_kind, rank cadre_rank, title text, status cadre_status, d date)
      where not exists (select 1 from cadre_terms t where t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is null)`);
    const chunk = JSON.stringify(slice.map((c) => ({ cadre_id: c.cadreId, kind: c.term.kind, d: c.start })));
    // The term before ends where the open one now starts (end dates are exclusive), so none overlap.
    await tx.execute(sql`
      update cadre_terms t set end_date = x.d
      from jsonb_to_recordset(${chunk}::jsonb) as x(cadre_id integer, kind cadre_term_kind, d date),
        cadre_terms o
      where o.cadre_id = x.cadre_id and o.kind = x.kind and o.end_date is null
        and t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is not distinct from o.start_date and t.id <> o.id`);
    await tx.execute(sql`
      update cadre_terms t set start_date = x.d
      from jsonb_to_recordset(${chunk}::jsonb) as x(cadre_id integer, kind cadre_term_kind, d date)
      where t.cadre_id = x.cadre_id and t.kind = x.kind and t.end_date is null`);
  }
}

export interface OpenTermStart {
  /** When the current value began (null: unknown). */
  start: string | null;
  /** When the value before it began: a corrected start must come after it. Null when there is none or it is unknown. */
  previousStart: string | null;
}

/** The open terms' starts of these cadres, by cadre and kind. */
export async function termStarts(
  db: DbOrTx,
  cadreIds: readonly number[],
): Promise<Map<number, Partial<Record<CadreTermKind, OpenTermStart>>>> {
  const out = new Map<number, Partial<Record<CadreTermKind, OpenTermStart>>>();
  if (!cadreIds.length) return out;
  const rows = await db.execute<{ cadre_id: number; kind: CadreTermKind; start: string | null; previous_start: string | null }>(sql`
    select o.cadre_id, o.kind, o.start_date::text as start, p.start_date::text as previous_start
    from cadre_terms o
    left join cadre_terms p on p.cadre_id = o.cadre_id and p.kind = o.kind and p.end_date = o.start_date
    where o.end_date is null and o.cadre_id in (select jsonb_array_elements_text(${JSON.stringify(cadreIds)}::jsonb)::int)`);
  for (const r of rows) {
    const byKind = out.get(Number(r.cadre_id)) ?? {};
    byKind[r.kind] = { start: r.start, previousStart: r.previous_start };
    out.set(Number(r.cadre_id), byKind);
  }
  return out;
}

/** Whether a value may start on `since` after an open term that started on `start` (unknown starts allow any). */
export function startsAfter(since: string, start: string | null | undefined): boolean {
  return !start || since > start;
}

/** Whether a new value may start on `since`: on or after the open term's start (the same day replaces it). */
export function newTermAllowed(since: string, start: string | null | undefined): boolean {
  return !start || since >= start;
}

/** One cadre's terms of every kind, oldest first, for the cadre page and the 任免审批表's resume. */
export async function cadreTermHistory(db: DbOrTx, cadreId: number) {
  return db
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
    .orderBy(asc(cadreTerms.kind), sql`${cadreTerms.startDate} asc nulls first`);
}

/** The open rank and post terms' starts (任现职级时间, 任现职务时间) of many cadres, as SQL joinable by cadre_id. */
export function currentTermStartsSql(): SQL {
  return sql`(select cadre_id,
      max(start_date) filter (where kind = 'rank') as rank_since,
      max(start_date) filter (where kind = 'post') as post_since
    from cadre_terms where end_date is null and kind in ('rank', 'post') group by cadre_id)`;
}

/**
 * A cadre's rank, post or status on a day, where it differs from today's: a table (cadre_id, value)
 * holding, for each cadre with an ended term reaching past `day`, the earliest such term — the one that
 * covered the day, or, for a day before the history began, the first value known. Cadres without one
 * had on that day the value they have now: join it left and coalesce with the cadre's own column.
 * `cadreRange` narrows it to a range of ids (a parallel worker's share).
 */
export function pastTermValuesSql(kind: CadreTermKind, day: SQL, cadreRange?: { lo: number; hi: number }): SQL {
  const column = kind === "rank" ? sql`rank` : kind === "status" ? sql`status` : sql`title`;
  const range = cadreRange ? sql`and cadre_id between ${cadreRange.lo} and ${cadreRange.hi}` : sql``;
  return sql`(select distinct on (cadre_id) cadre_id, ${column} as value
    from cadre_terms
    where kind = ${kind}::cadre_term_kind and end_date is not null and end_date > ${day} ${range}
    order by cadre_id, end_date)`;
}

/**
 * The same rule for one cadre and a day that varies by row (a month's last day), as a lateral subquery
 * with the column `rank`, `title` or `status`; null where the value is the cadre's current one.
 */
export function termOnSql(kind: CadreTermKind, cadreId: SQL, day: SQL): SQL {
  const column = kind === "rank" ? sql`rank` : kind === "status" ? sql`status` : sql`title`;
  return sql`(select ${column} from cadre_terms t
    where t.cadre_id = ${cadreId} and t.kind = ${kind}::cadre_term_kind and t.end_date is not null and t.end_date > ${day}
    order by t.end_date limit 1)`;
}

/** One cadre's values on a day, for a single record (the same rule as pastTermValuesSql). */
export async function cadreValuesOn(db: DbOrTx, cadreIds: readonly number[], day: string) {
  if (!cadreIds.length) return new Map<number, { rank?: Rank; title?: string; status?: CadreStatus }>();
  const rows = await db
    .select({
      cadreId: cadreTerms.cadreId,
      kind: cadreTerms.kind,
      rank: cadreTerms.rank,
      title: cadreTerms.title,
      status: cadreTerms.status,
    })
    .from(cadreTerms)
    .where(and(inArray(cadreTerms.cadreId, [...cadreIds]), sql`${cadreTerms.endDate} is not null and ${cadreTerms.endDate} > ${day}`))
    .orderBy(asc(cadreTerms.cadreId), asc(cadreTerms.endDate));
  const out = new Map<number, { rank?: Rank; title?: string; status?: CadreStatus }>();
  for (const r of rows) {
    const v = out.get(r.cadreId) ?? {};
    if (r.kind === "rank" && v.rank === undefined) v.rank = r.rank!;
    if (r.kind === "post" && v.title === undefined) v.title = r.title!;
    if (r.kind === "status" && v.status === undefined) v.status = r.status!;
    out.set(r.cadreId, v);
  }
  return out;
}
