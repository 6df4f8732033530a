import { and, asc, eq, ilike, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { cadreAttendanceRates, trainingHoursLedger } from "~/modules/attendance/reports/figures.server";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { frontlineEligibility } from "~/modules/frontline/days.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { quarterPeriod } from "~/modules/rankings/quarter";
import { cadrePercentiles, openFlags } from "~/modules/rankings/shortlist.server";
import { escapeLike, idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, units } from "~db/schema";
import type { ShortlistRules } from "~db/schema/shortlists";
import {
  appliedRules,
  attendanceWindow,
  type CandidateCadre,
  type Evaluation,
  evaluationDate,
  type FlagEvidence,
  isEligibleOverall,
  meetsAttendance,
  meetsFrontline,
  meetsMinRank,
  meetsNoOpenFlag,
  meetsTopPercent,
  meetsTrainingHours,
  type RankingPlace,
  type RuleResult,
} from "./rules";

/**
 * Eligibility, set-based: every applied rule of a round for a whole set of cadres in one query per
 * rule (frontline days, attendance counts, the hours ledger, ranking places, open flags), whatever the
 * number of cadres, then the pure rules decide. The figures come from the capabilities that own them.
 */

const candidateColumns = {
  cadreId: cadres.id,
  staffNo: cadres.staffNo,
  name: cadres.name,
  unitId: cadres.unitId,
  unitCode: units.code,
  unitName: units.name,
  rank: cadres.rank,
  title: cadres.title,
};

/**
 * Active cadres, narrowed to units (each given unit and nothing else: pass subtrees), to ids, by a
 * search on name, initials or staff number, never the caller themselves. Ordered by unit code, rank
 * (highest first) and staff number.
 */
export async function activeCadres(
  db: DbOrTx,
  filter: { unitIds?: readonly number[]; cadreIds?: readonly number[]; q?: string; excludeCadreId?: number | null } = {},
): Promise<CandidateCadre[]> {
  const where: (SQL | undefined)[] = [eq(cadres.status, "active")];
  if (filter.unitIds) where.push(filter.unitIds.length ? inArray(cadres.unitId, [...filter.unitIds]) : sql`false`);
  if (filter.cadreIds) where.push(filter.cadreIds.length ? sql`${cadres.id} in ${idList([...filter.cadreIds])}` : sql`false`);
  if (filter.excludeCadreId) where.push(ne(cadres.id, filter.excludeCadreId));
  const q = filter.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    where.push(or(ilike(cadres.name, like), ilike(cadres.staffNo, like), ilike(cadres.nameInitials, `${escapeLike(q.toLowerCase())}%`)));
  }
  return db
    .select(candidateColumns)
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(and(...where))
    .orderBy(asc(units.code), sql`${cadres.rank} desc`, asc(cadres.staffNo));
}

/** The N latest published rankings, newest first. */
async function latestPublishedRankings(db: DbOrTx, count: number) {
  const rows = await db.execute<{ id: number; quarter: string; version: number }>(sql`
    select id, quarter, version from rankings where status = 'published' order by quarter desc limit ${count}`);
  return rows.map((r) => ({ id: Number(r.id), quarter: r.quarter, version: Number(r.version) }));
}

/**
 * Open 约谈 flags that concern each cadre: the cadre belonged to the flagged unit on the last day of
 * the flagged quarter (their own membership history, so a cadre who joined later is not held to it).
 */
async function flagsByCadre(db: DbOrTx, cadreIds: number[]): Promise<Map<number, FlagEvidence[]>> {
  const out = new Map<number, FlagEvidence[]>();
  const flags = await openFlags(db);
  if (!flags.length || !cadreIds.length) return out;
  const pairs = flags.map((f) => ({ flag_id: f.id, unit_id: f.unitId, quarter: f.quarter, last_day: quarterPeriod(f.quarter).lastDay }));
  const rows = await db.execute<{ cadre_id: number; flag_id: number; unit_id: number; unit_name: string; quarter: string }>(sql`
    select m.cadre_id, x.flag_id, x.unit_id, u.name as unit_name, x.quarter
    from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(flag_id integer, unit_id integer, quarter text, last_day date)
    join units u on u.id = x.unit_id
    join unit_memberships m on m.unit_id = x.unit_id
      and (m.start_date is null or m.start_date <= x.last_day)
      and (m.end_date is null or m.end_date > x.last_day)
    where m.cadre_id in ${idList(cadreIds)}
    order by m.cadre_id, x.quarter, x.flag_id`);
  for (const r of rows) {
    const id = Number(r.cadre_id);
    out.set(id, [
      ...(out.get(id) ?? []),
      { flagId: Number(r.flag_id), unitId: Number(r.unit_id), unitName: r.unit_name, quarter: r.quarter },
    ]);
  }
  return out;
}

/**
 * Evaluates a round's rules for the given cadres. A few queries in all (one per applied rule plus the
 * settings), however many cadres; `now` fixes the evaluation date (tests, publication).
 */
export async function evaluateCadres(
  db: DbOrTx,
  round: { rules: ShortlistRules; deadline: Date },
  people: readonly Pick<CandidateCadre, "cadreId" | "rank">[],
  options: { now?: Date } = {},
): Promise<Map<number, Evaluation>> {
  const asOf = evaluationDate(round.deadline, options.now);
  const ids = people.map((p) => p.cadreId);
  const rules = round.rules;
  const applied = appliedRules(rules);
  const out = new Map<number, Evaluation>();
  if (!ids.length) return out;

  const frontline = rules.frontline ? await frontlineEligibility(db, ids, { asOf, rules: await getFrontlineRules(db) }) : null;
  const attendanceRules = rules.attendance || rules.trainingHours ? await getAttendanceRules(db) : null;
  const window = rules.attendance ? attendanceWindow(asOf, rules.attendance.quarters) : null;
  const rates =
    rules.attendance && window
      ? await cadreAttendanceRates(db, { from: window.from, to: window.to }, { lateWeight: attendanceRules!.lateWeight, cadreIds: ids })
      : null;
  const hours = rules.trainingHours
    ? await trainingHoursLedger(db, rules.trainingHours.year, { rules: attendanceRules!, cadreIds: ids })
    : null;
  const published = rules.topPercent ? await latestPublishedRankings(db, rules.topPercent.quarters) : null;
  const places =
    rules.topPercent && published?.length ? await cadrePercentiles(db, { cadreIds: ids, quarters: published.map((p) => p.quarter) }) : [];
  const placesByCadre = new Map<number, typeof places>();
  for (const p of places) placesByCadre.set(p.cadreId, [...(placesByCadre.get(p.cadreId) ?? []), p]);
  const flags = rules.noOpenFlag ? await flagsByCadre(db, ids) : null;

  for (const person of people) {
    const id = person.cadreId;
    const results: RuleResult[] = applied.map((rule): RuleResult => {
      switch (rule) {
        case "minRank":
          return { rule, pass: meetsMinRank(person.rank, rules.minRank!), rank: person.rank, minRank: rules.minRank! };
        case "frontline": {
          const f = frontline!.get(id)!;
          return { rule, pass: meetsFrontline(f.days, f.minDays), days: f.days, minDays: f.minDays, asOf };
        }
        case "attendance": {
          const r = rates!.get(id) ?? { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null };
          const minRate = rules.attendance!.minRate;
          return { rule, pass: meetsAttendance(r.rate, minRate), minRate, quarters: window!.quarters, ...r };
        }
        case "trainingHours": {
          const h = hours!.get(id);
          const earned = h?.earned ?? 0;
          const required = h?.required ?? 0;
          return { rule, pass: Boolean(h) && meetsTrainingHours(earned, required), year: rules.trainingHours!.year, earned, required };
        }
        case "topPercent": {
          const mine = placesByCadre.get(id) ?? [];
          const rankings: RankingPlace[] = (published ?? []).map((p) => {
            const place = mine.find((m) => m.rankingId === p.id);
            return {
              quarter: p.quarter,
              rankingId: p.id,
              version: p.version,
              band: place?.band ?? null,
              rank: place?.rank ?? null,
              bandSize: place?.bandSize ?? null,
            };
          });
          const { percent, quarters } = rules.topPercent!;
          return { rule, pass: meetsTopPercent(rankings, percent, quarters), percent, quarters, rankings };
        }
        case "noOpenFlag": {
          const mine = flags!.get(id) ?? [];
          return { rule, pass: meetsNoOpenFlag(mine), flags: mine };
        }
        default:
          throw new Error(`Unknown eligibility rule ${rule satisfies never}`);
      }
    });
    out.set(id, { cadreId: id, asOf, eligible: isEligibleOverall(results), results });
  }
  return out;
}
