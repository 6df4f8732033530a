import { and, eq, sql } from "drizzle-orm";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { rankings } from "~db/schema";
import { type QuarterBounds, quarterBounds } from "./inputs.server";
import type { SubjectKind } from "./model";
import { modelById } from "./model.server";

/**
 * What a correction changes, before it is published: the draft of a quarter against its published
 * version, row by row — who moved (old and new rank and score, the tie on either side), which frozen
 * inputs differ, and the events behind them in the live data since the published version was computed
 * ("attendance of session 2026-17 corrected from absent to present"). Read-only; the quarter page shows
 * it and the publication's confirmation repeats its summary.
 */

/** The frozen inputs compared, in the order they are listed. */
const CADRE_FIELDS = [
  "unit_id",
  "cadre_rank",
  "band",
  "enrolled",
  "present",
  "late",
  "excused",
  "hours_earned",
  "hours_required",
  "frontline_days",
  "frontline_quota",
  "grade",
] as const;
const UNIT_FIELDS = [
  "peer_group",
  "participates",
  "enrolled",
  "present",
  "late",
  "excused",
  "frontline_days",
  "satisfied",
  "unsatisfied",
  "members",
] as const;

export type InputField = (typeof CADRE_FIELDS)[number] | (typeof UNIT_FIELDS)[number];

export interface FieldChange {
  field: InputField;
  before: string | null;
  after: string | null;
}

/** An event in the live data that explains a changed input. */
export type Cause =
  | { kind: "attendance"; sessionCode: string; before: string | null; after: string; corrected: boolean; reason: string | null }
  | { kind: "frontline"; recordId: number; place: string; startDate: string; endDate: string; status: string }
  | { kind: "assessment"; grade: string }
  | { kind: "ratings"; date: string; satisfied: number; unsatisfied: number };

export interface DiffRow {
  id: number;
  code: string;
  name: string;
  group: string | null;
  /** Rank or score changed (or the row was added or dropped); false: inputs changed without effect. */
  moved: boolean;
  /** Null on the side where the row is missing (added or dropped), or not ranked there. */
  before: { rank: number | null; tieSize: number | null; score: number | null } | null;
  after: { rank: number | null; tieSize: number | null; score: number | null } | null;
  fields: FieldChange[];
  causes: Cause[];
}

export interface CorrectionDiff {
  /** The published version the draft would replace. */
  published: { id: number; version: number; computedAt: Date | null; model: string };
  draft: { id: number; version: number; model: string };
  /** Rows whose rank or score changed, and rows whose inputs changed without changing either. */
  counts: Record<SubjectKind, { moved: number; inputsOnly: number }>;
  /** Moved rows first, the largest moves first; at most `limit` of each kind. */
  rows: Record<SubjectKind, DiffRow[]>;
  limit: number;
}

const DEFAULT_LIMIT = 200;

/** The draft's published predecessor, or null when the draft is a first version (nothing to compare). */
export async function correctionDiff(db: DbOrTx, draftId: number, options: { limit?: number } = {}): Promise<CorrectionDiff | null> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const [draft] = await db.select().from(rankings).where(eq(rankings.id, draftId));
  if (draft?.status !== "draft") return null;
  const [published] = await db
    .select()
    .from(rankings)
    .where(and(eq(rankings.quarter, draft.quarter), eq(rankings.status, "published")));
  if (!published) return null;
  const [draftModel, publishedModel] = await Promise.all([modelById(db, draft.modelId), modelById(db, published.modelId)]);
  const bounds = quarterBounds(draft.quarter);
  const since = published.computedAt ?? published.publishedAt ?? new Date(0);
  const cadres = await compare(db, "cadres", published.id, draft.id, limit);
  const units = await compare(db, "units", published.id, draft.id, limit);
  await explainCadres(db, cadres.rows, bounds, since);
  await explainUnits(db, units.rows, published.id, draft.id, bounds, since);
  return {
    published: {
      id: published.id,
      version: published.version,
      computedAt: published.computedAt,
      model: `${publishedModel.year} v${publishedModel.version}`,
    },
    draft: { id: draft.id, version: draft.version, model: `${draftModel.year} v${draftModel.version}` },
    counts: { cadres: cadres.counts, units: units.counts },
    rows: { cadres: cadres.rows, units: units.rows },
    limit,
  };
}

async function compare(db: DbOrTx, kind: SubjectKind, oldId: number, newId: number, limit: number) {
  const units = kind === "units";
  const table = sql.raw(units ? "ranking_unit_results" : "ranking_cadre_results");
  const key = sql.raw(units ? "unit_id" : "cadre_id");
  const code = sql.raw(units ? "code" : "staff_no");
  const group = sql.raw(units ? "peer_group" : "band");
  const fields = units ? UNIT_FIELDS : CADRE_FIELDS;
  // Numbers without trailing zeros, so that 12.0 and 12 are the same input.
  const text = (f: string, side: "o" | "n") => sql.raw(f.startsWith("hours_") ? `trim_scale(${side}.${f})::text` : `${side}.${f}::text`);
  // Shown: a cadre's unit by the name that ranking froze for it.
  const shown = (f: string, side: "o" | "n") =>
    f === "unit_id"
      ? sql`(select u.name from ranking_unit_results u where u.ranking_id = ${side === "o" ? oldId : newId} and u.unit_id = ${sql.raw(`${side}.unit_id`)})`
      : text(f, side);
  const changed = sql.join(
    fields.map(
      (f) =>
        sql`case when ${text(f, "o")} is distinct from ${text(f, "n")} then jsonb_build_array(${sql.raw(`'${f}'::text`)}, ${shown(f, "o")}, ${shown(f, "n")}) end`,
    ),
    sql`, `,
  );
  const rows = await db.execute<{
    id: number;
    code: string;
    name: string;
    grp: string | null;
    old_rank: number | null;
    old_tie: number | null;
    old_score: number | null;
    new_rank: number | null;
    new_tie: number | null;
    new_score: number | null;
    in_old: boolean;
    in_new: boolean;
    fields: [InputField, string | null, string | null][];
    moved: boolean;
    total_moved: number;
    total_inputs: number;
  }>(sql`
    with pairs as (
      select coalesce(n.${key}, o.${key}) as id, coalesce(n.${code}, o.${code}) as code, coalesce(n.name, o.name) as name,
        coalesce(n.${group}, o.${group})::text as grp,
        o.rank as old_rank, o.tie_size as old_tie, o.score as old_score,
        n.rank as new_rank, n.tie_size as new_tie, n.score as new_score,
        o.${key} is not null as in_old, n.${key} is not null as in_new,
        coalesce((select jsonb_agg(c) from jsonb_array_elements(jsonb_build_array(${changed})) c where c <> 'null'::jsonb), '[]'::jsonb) as fields
      from (select * from ${table} where ranking_id = ${oldId}) o
      full join (select * from ${table} where ranking_id = ${newId}) n on n.${key} = o.${key}
    ),
    differing as (
      select p.*, (old_rank is distinct from new_rank or old_score is distinct from new_score or not (in_old and in_new)) as moved
      from pairs p
      where old_rank is distinct from new_rank or old_score is distinct from new_score or not (in_old and in_new) or fields <> '[]'::jsonb
    )
    select d.*, (count(*) filter (where moved) over ())::int as total_moved, (count(*) filter (where not moved) over ())::int as total_inputs
    from differing d
    order by moved desc, abs(coalesce(old_rank, 0) - coalesce(new_rank, 0)) desc, code collate "C"
    limit ${Math.max(1, limit)}`);
  // One row at least, which carries the totals, even when only the counts are wanted.
  const out: DiffRow[] = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    code: r.code,
    name: r.name,
    group: r.grp,
    moved: Boolean(r.moved),
    before: r.in_old ? { rank: num(r.old_rank), tieSize: num(r.old_tie), score: num(r.old_score) } : null,
    after: r.in_new ? { rank: num(r.new_rank), tieSize: num(r.new_tie), score: num(r.new_score) } : null,
    fields: (r.fields ?? []).map(([field, before, after]) => ({ field, before, after })),
    causes: [],
  }));
  const first = rows[0];
  return { rows: out, counts: { moved: Number(first?.total_moved ?? 0), inputsOnly: Number(first?.total_inputs ?? 0) } };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Closed sessions that started in the quarter. */
const quarterSessions = (b: QuarterBounds) => sql`(select id, code from class_sessions
  where status = 'closed' and starts_at >= ${b.fromInstant}::timestamptz and starts_at < ${b.toInstant}::timestamptz)`;

/**
 * The live events behind the cadres' changed inputs since the published version was computed:
 * attendance written or corrected (with the status before, from the correction's audit entry, and its
 * reason), frontline records verified or corrected, and the quarter's assessment graded again.
 */
async function explainCadres(db: DbOrTx, rows: DiffRow[], b: QuarterBounds, since: Date) {
  const ids = rows.filter((r) => r.fields.length).map((r) => r.id);
  if (!ids.length) return;
  const causes = await cadreCauses(db, ids, b, since);
  for (const r of rows) r.causes = telling(causes.get(r.id) ?? []);
}

/** At most this many events are named per row; the inputs that changed are always all listed. */
export const MAX_CAUSES = 8;

/**
 * The events worth naming: corrections (with their reason) before attendance merely written since;
 * when a row has corrections, rows written in the normal course are left out as noise.
 */
function telling(causes: Cause[]): Cause[] {
  const corrected = causes.some((c) => c.kind === "attendance" && c.corrected);
  return causes.filter((c) => !(corrected && c.kind === "attendance" && !c.corrected)).slice(0, MAX_CAUSES);
}

async function cadreCauses(db: DbOrTx, ids: number[], b: QuarterBounds, since: Date): Promise<Map<number, Cause[]>> {
  const at = since.toISOString();
  const [attendance, frontline, assessments] = await Promise.all([
    db.execute<{ cadre_id: number; code: string; status: string; before: string | null; corrected: boolean; reason: string | null }>(sql`
      select a.cadre_id, s.code, a.status::text, c.before ->> 'status' as before, c.id is not null as corrected, c.reason
      from ${quarterSessions(b)} s
      join attendance_records a on a.session_id = s.id
      left join lateral (
        select id, before, reason from audit_log
        where action = 'attendance.corrected' and entity_type = 'attendance_record' and entity_id = a.id::text and at > ${at}::timestamptz
        order by id limit 1) c on true
      where a.cadre_id in ${idList(ids)} and a.updated_at > ${at}::timestamptz
      order by a.cadre_id, s.code`),
    db.execute<{ cadre_id: number; id: number; place: string; start_date: string; end_date: string; status: string }>(sql`
      select cadre_id, id, place, start_date::text, end_date::text, status::text
      from frontline_records
      where cadre_id in ${idList(ids)} and updated_at > ${at}::timestamptz
        and start_date <= ${b.lastDay}::date and end_date >= ${b.from}::date
      order by cadre_id, start_date`),
    db.execute<{ cadre_id: number; grade: string }>(sql`
      select cadre_id, grade::text from ranking_assessments
      where quarter = ${b.quarter} and cadre_id in ${idList(ids)} and updated_at > ${at}::timestamptz`),
  ]);
  const out = new Map<number, Cause[]>();
  const add = (id: number, cause: Cause) => out.set(id, [...(out.get(id) ?? []), cause]);
  for (const a of attendance)
    add(Number(a.cadre_id), {
      kind: "attendance",
      sessionCode: a.code,
      before: a.before,
      after: a.status,
      corrected: a.corrected,
      reason: a.reason,
    });
  for (const f of frontline)
    add(Number(f.cadre_id), {
      kind: "frontline",
      recordId: Number(f.id),
      place: f.place,
      startDate: f.start_date,
      endDate: f.end_date,
      status: f.status,
    });
  for (const g of assessments) add(Number(g.cadre_id), { kind: "assessment", grade: g.grade });
  return out;
}

/** A unit's changes come from its members' (on the quarter's last day, as the draft froze them) and its own ratings. */
async function explainUnits(db: DbOrTx, rows: DiffRow[], publishedId: number, draftId: number, b: QuarterBounds, since: Date) {
  const ids = rows.filter((r) => r.fields.length).map((r) => r.id);
  if (!ids.length) return;
  // Only members whose own frozen figures changed can explain a unit's change.
  const members = await db.execute<{ unit_id: number; cadre_id: number }>(sql`
    select n.unit_id, n.cadre_id
    from ranking_cadre_results n
    left join ranking_cadre_results o on o.ranking_id = ${publishedId} and o.cadre_id = n.cadre_id
    where n.ranking_id = ${draftId} and n.unit_id in ${idList(ids)}
      and (o.cadre_id is null or (n.enrolled, n.present, n.late, n.excused, n.frontline_days, n.unit_id)
        is distinct from (o.enrolled, o.present, o.late, o.excused, o.frontline_days, o.unit_id))`);
  const causes = await cadreCauses(
    db,
    members.map((m) => Number(m.cadre_id)),
    b,
    since,
  );
  const ratings = await db.execute<{ unit_id: number; date: string; satisfied: number; unsatisfied: number }>(sql`
    select unit_id, date::text, satisfied, unsatisfied from satisfaction_ratings
    where unit_id in ${idList(ids)} and date >= ${b.from}::date and date < ${b.to}::date and updated_at > ${since.toISOString()}::timestamptz
    order by unit_id, date`);
  for (const r of rows) {
    r.causes = telling([
      ...members
        .filter((m) => Number(m.unit_id) === r.id)
        .flatMap((m) => (causes.get(Number(m.cadre_id)) ?? []).filter((c) => c.kind !== "assessment")),
      ...ratings
        .filter((x) => Number(x.unit_id) === r.id)
        .map((x): Cause => ({ kind: "ratings", date: x.date, satisfied: Number(x.satisfied), unsatisfied: Number(x.unsatisfied) })),
    ]);
  }
}
