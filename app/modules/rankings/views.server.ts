import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { notFound } from "~/utils/errors";
import { escapeLike } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { rankingMeetings, rankings } from "~db/schema";
import type { RankingStatus } from "~db/schema/rankings";
import { isRankingsAdmin, maySeeVersion, type RankingsCaller } from "./access";
import { CADRE_INDICATORS, type Indicator, indicatorsOf, peerGroupsOf, type SubjectKind, UNIT_INDICATORS } from "./model";
import { modelById, type StoredModel } from "./model.server";
import { normaliseQuarter, previousQuarter } from "./quarter";
import { agendaSlots } from "./rules";

/**
 * What the ranking pages read: the versions of a quarter, the table of one peer group (filtered,
 * searched, sorted in the query), and the movement against the previous published quarter. The
 * export and the CLI read the same rows, so a file says what the page says.
 */

export interface RankingVersion {
  id: number;
  version: number;
  status: RankingStatus;
}

export interface RankingHead {
  id: number;
  quarter: string;
  version: number;
  status: RankingStatus;
  model: StoredModel;
  inputsHash: string | null;
  cadreCount: number;
  unitCount: number;
  correctionReason: string | null;
  computedAt: Date | null;
  publishedAt: Date | null;
  supersededAt: Date | null;
  versions: RankingVersion[];
  /** The published version of the previous quarter, for movement; null when there is none. */
  previousId: number | null;
  meetingId: number | null;
}

/** The published version of a quarter, or null. */
export async function publishedRankingId(db: DbOrTx, quarter: string): Promise<number | null> {
  const [row] = await db
    .select({ id: rankings.id })
    .from(rankings)
    .where(and(eq(rankings.quarter, quarter), eq(rankings.status, "published")));
  return row?.id ?? null;
}

/**
 * The version of a quarter the caller asked for (or, by default, the published one; for the
 * organization department the draft when nothing is published yet). Anything the caller may not see
 * answers 404.
 */
export async function rankingFor(
  db: DbOrTx,
  caller: Pick<RankingsCaller, "roles">,
  quarterText: string,
  version?: number,
): Promise<RankingHead> {
  const quarter = normaliseQuarter(quarterText);
  if (!quarter) throw notFound();
  const rows = await db.select().from(rankings).where(eq(rankings.quarter, quarter)).orderBy(desc(rankings.version));
  const visible = rows.filter((r) => maySeeVersion(caller, r.status));
  const chosen =
    version !== undefined
      ? visible.find((r) => r.version === version)
      : (visible.find((r) => r.status === "published") ??
        (isRankingsAdmin(caller) ? visible.find((r) => r.status === "draft") : undefined));
  if (!chosen) throw notFound();
  const [previousId, meeting] = await Promise.all([
    publishedRankingId(db, previousQuarter(quarter)),
    db.select({ id: rankingMeetings.id }).from(rankingMeetings).where(eq(rankingMeetings.quarter, quarter)),
  ]);
  return {
    id: chosen.id,
    quarter,
    version: chosen.version,
    status: chosen.status,
    model: await modelById(db, chosen.modelId),
    inputsHash: chosen.inputsHash,
    cadreCount: chosen.cadreCount,
    unitCount: chosen.unitCount,
    correctionReason: chosen.correctionReason,
    computedAt: chosen.computedAt,
    publishedAt: chosen.publishedAt,
    supersededAt: chosen.supersededAt,
    versions: visible.map((r) => ({ id: r.id, version: r.version, status: r.status })),
    previousId,
    meetingId: meeting[0]?.id ?? null,
  };
}

export interface QuarterSummary {
  quarter: string;
  versions: (RankingVersion & { publishedAt: Date | null; computedAt: Date | null; cadreCount: number; unitCount: number })[];
  meetingId: number | null;
}

/** Every quarter with a version the caller may see, newest first. */
export async function listQuarters(db: DbOrTx, caller: Pick<RankingsCaller, "roles">): Promise<QuarterSummary[]> {
  const rows = await db
    .select({
      id: rankings.id,
      quarter: rankings.quarter,
      version: rankings.version,
      status: rankings.status,
      publishedAt: rankings.publishedAt,
      computedAt: rankings.computedAt,
      cadreCount: rankings.cadreCount,
      unitCount: rankings.unitCount,
      meetingId: rankingMeetings.id,
    })
    .from(rankings)
    .leftJoin(rankingMeetings, eq(rankingMeetings.quarter, rankings.quarter))
    .orderBy(desc(rankings.quarter), desc(rankings.version));
  const out = new Map<string, QuarterSummary>();
  for (const r of rows) {
    if (!maySeeVersion(caller, r.status)) continue;
    const entry = out.get(r.quarter) ?? { quarter: r.quarter, versions: [], meetingId: r.meetingId };
    entry.versions.push({
      id: r.id,
      version: r.version,
      status: r.status,
      publishedAt: r.publishedAt,
      computedAt: r.computedAt,
      cadreCount: r.cadreCount,
      unitCount: r.unitCount,
    });
    out.set(r.quarter, entry);
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------------
// Tables

export const SORTS = ["rank", "score", "code", "name", "change", ...new Set<string>([...UNIT_INDICATORS, ...CADRE_INDICATORS])] as const;

export interface TableQuery {
  group?: string;
  q?: string;
  sort?: string;
  dir?: "asc" | "desc";
  /** Cadres only: 1-based page of PAGE_SIZE rows; 0 = all rows (exports). */
  page?: number;
}

export const PAGE_SIZE = 100;

export interface TableRow {
  id: number;
  /** Unit code or staff number. */
  code: string;
  name: string;
  group: string;
  score: number | null;
  rank: number | null;
  groupSize: number;
  values: Partial<Record<Indicator, number | null>>;
  /** Cadres: their unit (as frozen in the ranking). */
  unitId: number | null;
  unitName: string | null;
  /** Cadres: 职级 on the last day. */
  cadreRank: string | null;
  /** Units: rank in the previous published quarter and the change (positive: up). */
  previousRank: number | null;
  change: number | null;
  /** Units: made a commitment at the previous quarter's meeting. */
  committed: boolean;
  /** Units: in the top / bottom K of their group (agenda slots), and an open or resolved flag for this quarter. */
  top: boolean;
  bottom: boolean;
  flag: "open" | "resolved" | null;
}

export interface TableView {
  kind: SubjectKind;
  group: string;
  groups: { group: string; ranked: number; total: number }[];
  rows: TableRow[];
  /** Rows matching the filter (all pages). */
  total: number;
  page: number;
  pages: number;
  sort: string;
  dir: "asc" | "desc";
  q: string;
}

const column = (kind: SubjectKind, sort: string): string => {
  if (sort === "score") return "r.score";
  if (sort === "code") return kind === "units" ? 'r.code collate "C"' : 'r.staff_no collate "C"';
  if (sort === "name") return "r.name";
  if (sort === "change") return kind === "units" ? "(prev.rank - r.rank)" : "r.rank";
  if ((indicatorsOf(kind) as readonly string[]).includes(sort)) return `r.${sort}_value`;
  return "r.rank";
};

function orderBy(kind: SubjectKind, sort: string, dir: "asc" | "desc"): SQL {
  const key = column(kind, sort);
  const tie = kind === "units" ? 'r.code collate "C"' : 'r.staff_no collate "C"';
  // Not-ranked rows (and missing values) always come last, whichever way the column is sorted.
  return sql.raw(`${key} ${dir} nulls last, r.rank asc nulls last, ${tie}`);
}

async function groupCounts(db: DbOrTx, kind: SubjectKind, rankingId: number) {
  const table = kind === "units" ? "ranking_unit_results" : "ranking_cadre_results";
  const group = kind === "units" ? "peer_group" : "band";
  const rows = await db.execute<{ group: string; ranked: number; total: number }>(sql`
    select ${sql.raw(group)}::text as group, count(rank)::int as ranked, count(*)::int as total
    from ${sql.raw(table)} where ranking_id = ${rankingId} group by 1`);
  const by = new Map(rows.map((r) => [r.group, { group: r.group, ranked: Number(r.ranked), total: Number(r.total) }]));
  return peerGroupsOf(kind).map((g) => by.get(g) ?? { group: g, ranked: 0, total: 0 });
}

/**
 * One peer group's table. `unitIds` limits the rows (a unit head's own, when cadre tables are shared
 * with heads); the search matches name, code or staff number, and for cadres the unit's name.
 */
export async function tableView(
  db: DbOrTx,
  ranking: Pick<RankingHead, "id" | "quarter" | "previousId" | "model">,
  kind: SubjectKind,
  query: TableQuery,
): Promise<TableView> {
  const groups = await groupCounts(db, kind, ranking.id);
  const group = groups.some((g) => g.group === query.group) ? query.group! : (groups.find((g) => g.total > 0)?.group ?? groups[0]!.group);
  const sort = (SORTS as readonly string[]).includes(query.sort ?? "") ? query.sort! : "rank";
  const dir =
    query.dir === "desc" ? "desc" : query.dir === "asc" ? "asc" : sort === "rank" || sort === "code" || sort === "name" ? "asc" : "desc";
  const q = (query.q ?? "").trim().slice(0, 50);
  const like = `%${escapeLike(q)}%`;
  const page = query.page === 0 ? 0 : Math.max(1, query.page ?? 1);
  const k = ranking.model.spec.params.agendaSize;
  const indicators = indicatorsOf(kind);
  const values = sql.raw(indicators.map((i) => `r.${i}_value`).join(", "));

  const rows =
    kind === "units"
      ? await db.execute<Record<string, unknown>>(sql`
          select r.unit_id as id, r.code, r.name, r.peer_group::text as "group", r.score, r.rank, ${values},
            null::int as unit_id, null::text as unit_name, null::text as cadre_rank,
            prev.rank as previous_rank,
            exists (select 1 from ranking_commitments c join ranking_meetings m on m.id = c.meeting_id
                    where m.quarter = ${previousQuarter(ranking.quarter)} and c.unit_id = r.unit_id) as committed,
            f.status::text as flag, count(*) over ()::int as total
          from ranking_unit_results r
          left join ranking_unit_results prev on prev.ranking_id = ${ranking.previousId ?? 0} and prev.unit_id = r.unit_id
          left join ranking_flags f on f.unit_id = r.unit_id and f.quarter = ${ranking.quarter}
          where r.ranking_id = ${ranking.id} and r.peer_group::text = ${group}
            ${q ? sql`and (r.name ilike ${like} or r.code ilike ${like})` : sql``}
          order by ${orderBy(kind, sort, dir)}`)
      : await db.execute<Record<string, unknown>>(sql`
          select r.cadre_id as id, r.staff_no as code, r.name, r.band::text as "group", r.score, r.rank, ${values},
            r.unit_id, u.name as unit_name, r.cadre_rank::text as cadre_rank,
            null::int as previous_rank, false as committed, null::text as flag, count(*) over ()::int as total
          from ranking_cadre_results r
          left join ranking_unit_results u on u.ranking_id = r.ranking_id and u.unit_id = r.unit_id
          where r.ranking_id = ${ranking.id} and r.band::text = ${group}
            ${q ? sql`and (r.name ilike ${like} or r.staff_no ilike ${like} or u.name ilike ${like})` : sql``}
          order by ${orderBy(kind, sort, dir)}
          ${page ? sql`limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}` : sql``}`);

  const size = groups.find((g) => g.group === group)?.ranked ?? 0;
  const slots = agendaSlots(size, k);
  const total = rows.length ? Number(rows[0]!.total) : 0;
  return {
    kind,
    group,
    groups,
    total,
    page: page || 1,
    pages: kind === "cadres" && page ? Math.max(1, Math.ceil(total / PAGE_SIZE)) : 1,
    sort,
    dir,
    q,
    rows: rows.map((r) => {
      const rank = r.rank === null ? null : Number(r.rank);
      const previousRank = r.previous_rank === null || r.previous_rank === undefined ? null : Number(r.previous_rank);
      return {
        id: Number(r.id),
        code: String(r.code),
        name: String(r.name),
        group: String(r.group),
        score: r.score === null ? null : Number(r.score),
        rank,
        groupSize: size,
        values: Object.fromEntries(indicators.map((i) => [i, r[`${i}_value`] === null ? null : Number(r[`${i}_value`])])),
        unitId: r.unit_id === null ? null : Number(r.unit_id),
        unitName: (r.unit_name as string | null) ?? null,
        cadreRank: (r.cadre_rank as string | null) ?? null,
        previousRank,
        change: previousRank !== null && rank !== null ? previousRank - rank : null,
        committed: Boolean(r.committed),
        top: kind === "units" && rank !== null && rank <= slots.top,
        bottom: kind === "units" && rank !== null && rank > size - slots.bottom,
        flag: (r.flag as "open" | "resolved" | null) ?? null,
      };
    }),
  };
}
