import { eq, inArray, sql } from "drizzle-orm";
import { type Actor, type AuditEntry, audit } from "~/modules/audit/service.server";
import { addDays } from "~/utils/dates";
import { forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { rankingAssessments, units } from "~db/schema";
import type { AssessmentGrade } from "~db/schema/rankings";
import { isRankingsAdmin, type RankingsCaller } from "./access";
import { DEFAULT_MODEL } from "./model";
import { latestModel } from "./model.server";
import { parseQuarter, quarterPeriod } from "./quarter";

/**
 * 平时考核: each quarter a unit head (or liaison) grades each cadre of their unit — never themselves —
 * until a deadline some days after the quarter ends (the model's parameter). The organization
 * department may grade or import at any time and sees the completion per unit. Cadres are those of
 * the unit on the quarter's last day, or today while the quarter runs.
 */

export interface AssessmentWindow {
  opensOn: string;
  /** The last day a unit head may grade (inclusive). */
  closesOn: string;
  /** Whose membership counts: the quarter's last day, or today while it runs. */
  referenceDay: string;
}

export function assessmentWindow(quarter: string, deadlineDays: number, today: string): AssessmentWindow {
  const p = quarterPeriod(quarter);
  return { opensOn: p.from, closesOn: addDays(p.lastDay, deadlineDays), referenceDay: today < p.lastDay ? today : p.lastDay };
}

export function windowOpen(window: AssessmentWindow, today: string): boolean {
  return today >= window.opensOn && today <= window.closesOn;
}

export async function windowFor(db: DbOrTx, quarter: string, today: string): Promise<AssessmentWindow> {
  const q = parseQuarter(quarter);
  if (!q) throw notFound();
  const model = await latestModel(db, q.year);
  return assessmentWindow(quarter, (model?.spec ?? DEFAULT_MODEL).params.assessmentDeadlineDays, today);
}

/** Units a caller grades: the organization department any, heads and liaisons their own subtrees. */
function assertUnit(caller: RankingsCaller, unitId: number): void {
  if (!isRankingsAdmin(caller) && !caller.scope.unitIds.includes(unitId)) throw notFound();
}

export interface GradingRow {
  cadreId: number;
  staffNo: string;
  name: string;
  rank: string;
  title: string;
  grade: AssessmentGrade | null;
  comment: string;
  self: boolean;
}

/** The cadres of a unit on the reference day, with their grade for the quarter. */
export async function gradingSheet(
  db: DbOrTx,
  caller: RankingsCaller & { cadreId?: number | null },
  quarter: string,
  unitId: number,
  today: string,
) {
  assertUnit(caller, unitId);
  const [unit] = await db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(eq(units.id, unitId));
  if (!unit) throw notFound();
  const window = await windowFor(db, quarter, today);
  const rows = await db.execute<{
    cadre_id: number;
    staff_no: string;
    name: string;
    rank: string;
    title: string;
    grade: AssessmentGrade | null;
    comment: string | null;
  }>(sql`
    select c.id as cadre_id, c.staff_no, c.name, c.rank::text as rank, c.title, a.grade, a.comment
    from unit_memberships m
    join cadres c on c.id = m.cadre_id and c.status = 'active'
    left join ranking_assessments a on a.cadre_id = c.id and a.quarter = ${quarter}
    where m.unit_id = ${unitId}
      and (m.start_date is null or m.start_date <= ${window.referenceDay}::date)
      and (m.end_date is null or m.end_date > ${window.referenceDay}::date)
    order by c.rank desc, c.staff_no`);
  return {
    unit,
    window,
    open: windowOpen(window, today),
    rows: rows.map(
      (r): GradingRow => ({
        cadreId: Number(r.cadre_id),
        staffNo: r.staff_no,
        name: r.name,
        rank: r.rank,
        title: r.title,
        grade: r.grade,
        comment: r.comment ?? "",
        self: caller.cadreId === Number(r.cadre_id),
      }),
    ),
  };
}

export interface GradeEntry {
  cadreId: number;
  grade: AssessmentGrade | null;
  comment: string;
}

/**
 * Saves a unit's grades for a quarter. Only cadres on the unit's sheet; a blank grade leaves the cadre
 * as they are; a head never grades themselves; after the deadline only the organization department
 * may still grade. Each change is audited; saving the same sheet twice changes nothing.
 */
export async function saveGrades(
  db: Database,
  caller: RankingsCaller & { cadreId?: number | null },
  quarter: string,
  unitId: number,
  entries: GradeEntry[],
  today: string,
): Promise<{ saved: number }> {
  const sheet = await gradingSheet(db, caller, quarter, unitId, today);
  const admin = isRankingsAdmin(caller);
  if (!sheet.open && !admin) throw invalid("rankings.errors.assessmentClosed", "form", { date: sheet.window.closesOn });
  if (!admin && !caller.scope.unitIds.length) throw forbidden();
  const onSheet = new Map(sheet.rows.map((r) => [r.cadreId, r]));
  const wanted = entries.filter((e) => e.grade !== null);
  for (const e of wanted) {
    const row = onSheet.get(e.cadreId);
    if (!row) throw invalid("rankings.errors.notOnSheet", "form");
    if (row.self) throw invalid("rankings.errors.gradeSelf", `grade.${e.cadreId}`);
  }
  const changed = wanted.filter((e) => {
    const row = onSheet.get(e.cadreId)!;
    return row.grade !== e.grade || row.comment !== e.comment.trim();
  });
  if (!changed.length) return { saved: 0 };
  const actor: Actor = { userId: caller.id };
  await db.transaction(async (tx) => {
    const entriesOut: AuditEntry[] = [];
    for (const e of changed) {
      const before = onSheet.get(e.cadreId)!;
      const [row] = await tx
        .insert(rankingAssessments)
        .values({
          cadreId: e.cadreId,
          quarter,
          grade: e.grade!,
          comment: e.comment.trim(),
          unitId,
          gradedByUserId: caller.id,
          source: "app",
        })
        .onConflictDoUpdate({
          target: [rankingAssessments.cadreId, rankingAssessments.quarter],
          set: { grade: e.grade!, comment: e.comment.trim(), unitId, gradedByUserId: caller.id, source: "app", updatedAt: new Date() },
        })
        .returning({ id: rankingAssessments.id });
      entriesOut.push({
        action: "ranking.assessment_graded",
        entityType: "ranking_assessment",
        entityId: row!.id,
        before: before.grade ? { grade: before.grade, comment: before.comment } : null,
        after: { cadreId: e.cadreId, quarter, grade: e.grade, comment: e.comment.trim() },
      });
    }
    await audit(tx, actor, entriesOut);
  });
  return { saved: changed.length };
}

export interface CompletionRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  headName: string | null;
  members: number;
  graded: number;
}

/** How far each unit is with the quarter's grades (the organization department's overview). */
export async function completion(db: DbOrTx, quarter: string, today: string): Promise<{ window: AssessmentWindow; rows: CompletionRow[] }> {
  const window = await windowFor(db, quarter, today);
  const rows = await db.execute<{
    unit_id: number;
    code: string;
    name: string;
    kind: string;
    head_name: string | null;
    members: number;
    graded: number;
  }>(sql`
    select u.id as unit_id, u.code, u.name, u.kind::text as kind, h.name as head_name,
      count(c.id)::int as members, count(a.id)::int as graded
    from units u
    left join cadres h on h.id = u.head_cadre_id
    left join unit_memberships m on m.unit_id = u.id
      and (m.start_date is null or m.start_date <= ${window.referenceDay}::date)
      and (m.end_date is null or m.end_date > ${window.referenceDay}::date)
    left join cadres c on c.id = m.cadre_id and c.status = 'active'
    left join ranking_assessments a on a.cadre_id = c.id and a.quarter = ${quarter}
    group by u.id, u.code, u.name, u.kind, h.name
    having count(c.id) > 0
    order by (count(a.id)::float / nullif(count(c.id), 0)) asc, u.code`);
  return {
    window,
    rows: rows.map((r) => ({
      unitId: Number(r.unit_id),
      code: r.code,
      name: r.name,
      kind: r.kind,
      headName: r.head_name,
      members: Number(r.members),
      graded: Number(r.graded),
    })),
  };
}

/** The units a head or liaison grades, for the unit chooser. */
export async function gradingUnits(db: DbOrTx, caller: RankingsCaller) {
  if (isRankingsAdmin(caller)) return [];
  if (!caller.scope.unitIds.length) return [];
  return db
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(inArray(units.id, caller.scope.unitIds))
    .orderBy(units.code);
}
