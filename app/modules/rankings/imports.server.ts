import { and, sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { type ApplyContext, chunked, countActions, type ImportKindHandler, importReason } from "~/modules/imports/registry.server";
import type { FieldChange, ImportProblem, RowChange } from "~/modules/imports/types";
import { cadreScopeFilter, unitScopeFilter } from "~/modules/organization/access.server";
import { idList, textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, units } from "~db/schema";
import type { AssessmentGrade } from "~db/schema/rankings";
import { type AssessmentImportRow, assessmentKind, type RatingImportRow, ratingKind } from "./import-kinds";

/**
 * The database side of the two import kinds. Rows are found again by their natural key (staff number
 * and quarter; unit code and date), so the same file twice changes nothing; the file is the truth
 * for the columns it has. Every change is audited with the batch as its reason.
 */

type Action = "create" | "update" | "unchanged";

interface AssessmentItem {
  row: AssessmentImportRow;
  cadreId: number;
  cadreName: string;
  action: Action;
  fields: FieldChange[];
}

async function planAssessments(
  db: DbOrTx,
  rows: AssessmentImportRow[],
  options: { scope: Parameters<typeof cadreScopeFilter>[0]; column: (field: string) => string },
) {
  const problems: ImportProblem[] = [];
  const staffNos = [...new Set(rows.map((r) => r.staffNo.toLowerCase()).filter(Boolean))];
  const people = staffNos.length
    ? await db
        .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name })
        .from(cadres)
        .where(and(sql`lower(${cadres.staffNo}) in ${textList(staffNos)}`, cadreScopeFilter(options.scope)))
    : [];
  const byStaffNo = new Map(people.map((p) => [p.staffNo.toLowerCase(), p]));
  const existing = new Map<string, { grade: AssessmentGrade; comment: string }>();
  for (const chunk of chunked(people, 1000)) {
    const found = await db.execute<{ cadre_id: number; quarter: string; grade: AssessmentGrade; comment: string }>(sql`
      select cadre_id, quarter, grade, comment from ranking_assessments
      where cadre_id in ${idList(chunk.map((p) => p.id))}`);
    for (const f of found) existing.set(`${f.cadre_id}|${f.quarter}`, { grade: f.grade, comment: f.comment });
  }
  const items: AssessmentItem[] = [];
  for (const row of rows) {
    const cadre = row.staffNo ? byStaffNo.get(row.staffNo.toLowerCase()) : undefined;
    if (!cadre && row.staffNo) {
      problems.push({
        row: row.row,
        column: options.column("staffNo"),
        messageKey: "rankings.import.unknownStaffNo",
        params: { value: row.staffNo },
      });
      continue;
    }
    if (!cadre || row.invalid) continue;
    const before = existing.get(`${cadre.id}|${row.quarter}`);
    const fields: FieldChange[] = [];
    if (!before) {
      items.push({
        row,
        cadreId: cadre.id,
        cadreName: cadre.name,
        action: "create",
        fields: [{ field: "grade", before: null, after: row.grade }],
      });
      continue;
    }
    if (before.grade !== row.grade) fields.push({ field: "grade", before: before.grade, after: row.grade });
    if (row.comment !== undefined && before.comment !== row.comment)
      fields.push({ field: "comment", before: before.comment, after: row.comment });
    items.push({ row, cadreId: cadre.id, cadreName: cadre.name, action: fields.length ? "update" : "unchanged", fields });
  }
  return { items, problems };
}

export const assessmentImport: ImportKindHandler<AssessmentImportRow, { items: AssessmentItem[] }> = {
  ...assessmentKind,
  chunkRows: 5000,
  async plan(db, rows, options) {
    const { items, problems } = await planAssessments(db, rows, { scope: options.scope, column: options.column });
    const changes: RowChange[] = items
      .filter((i) => i.action !== "unchanged")
      .map((i) => ({ row: i.row.row, key: i.row.staffNo, name: `${i.cadreName} · ${i.row.quarter}`, action: i.action, fields: i.fields }));
    return { problems, changes, counts: countActions(items, assessmentKind.counts), plan: { items } };
  },
  async apply(tx, plan, ctx: ApplyContext) {
    const reason = importReason(ctx.batchId);
    let processed = 0;
    for (const chunk of chunked(plan.items)) {
      const writes = chunk.filter((i) => i.action !== "unchanged");
      if (writes.length) {
        // Rows without a comment column keep the comment they have; the others replace it.
        const saved: { id: number; cadre_id: number; quarter: string }[] = [];
        for (const withComment of [true, false]) {
          const part = writes.filter((i) => (i.row.comment !== undefined) === withComment);
          if (!part.length) continue;
          const values = part.map((i) => ({
            cadre_id: i.cadreId,
            quarter: i.row.quarter,
            grade: i.row.grade,
            comment: i.row.comment ?? "",
          }));
          saved.push(
            ...(await tx.execute<{ id: number; cadre_id: number; quarter: string }>(sql`
              insert into ranking_assessments (cadre_id, quarter, grade, comment, graded_by_user_id, source, import_batch_id)
              select x.cadre_id, x.quarter, x.grade::assessment_grade, x.comment, ${ctx.actor.userId}, 'import', ${ctx.batchId}
              from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as x(cadre_id integer, quarter text, grade text, comment text)
              on conflict (cadre_id, quarter) do update set grade = excluded.grade,
                ${withComment ? sql`comment = excluded.comment,` : sql``}
                graded_by_user_id = excluded.graded_by_user_id, source = 'import', import_batch_id = excluded.import_batch_id, updated_at = now()
              returning id, cadre_id, quarter`)),
          );
        }
        const idOf = new Map(saved.map((s) => [`${s.cadre_id}|${s.quarter}`, Number(s.id)]));
        const entries: AuditEntry[] = writes.map((i) => ({
          action: "ranking.assessment_imported",
          entityType: "ranking_assessment",
          entityId: idOf.get(`${i.cadreId}|${i.row.quarter}`) ?? null,
          before: i.action === "create" ? null : Object.fromEntries(i.fields.map((f) => [f.field, f.before])),
          after: { cadreId: i.cadreId, quarter: i.row.quarter, ...Object.fromEntries(i.fields.map((f) => [f.field, f.after])) },
          reason,
        }));
        await audit(tx, ctx.actor, entries);
      }
      processed += chunk.length;
      await ctx.progress(processed);
    }
  },
};

interface RatingItem {
  row: RatingImportRow;
  unitId: number;
  unitName: string;
  action: Action;
  fields: FieldChange[];
}

export const ratingImport: ImportKindHandler<RatingImportRow, { items: RatingItem[] }> = {
  ...ratingKind,
  chunkRows: 5000,
  async plan(db, rows, options) {
    const problems: ImportProblem[] = [];
    const codes = [...new Set(rows.map((r) => r.unitCode.toLowerCase()).filter(Boolean))];
    const names = [...new Set(rows.filter((r) => !r.unitCode && r.unitName).map((r) => r.unitName!))];
    const found =
      codes.length || names.length
        ? await db
            .select({ id: units.id, code: units.code, name: units.name })
            .from(units)
            .where(
              and(sql`(lower(${units.code}) in ${textList(codes)} or ${units.name} in ${textList(names)})`, unitScopeFilter(options.scope)),
            )
        : [];
    const byCode = new Map(found.map((u) => [u.code.toLowerCase(), u]));
    const byName = new Map<string, typeof found>();
    for (const u of found) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
    const existing = new Map<string, { satisfied: number; unsatisfied: number }>();
    for (const chunk of chunked(found, 1000)) {
      const rowsFound = await db.execute<{ unit_id: number; date: string; satisfied: number; unsatisfied: number }>(sql`
        select unit_id, date::text as date, satisfied, unsatisfied from satisfaction_ratings
        where unit_id in ${idList(chunk.map((u) => u.id))}`);
      for (const r of rowsFound)
        existing.set(`${r.unit_id}|${r.date}`, { satisfied: Number(r.satisfied), unsatisfied: Number(r.unsatisfied) });
    }
    const items: RatingItem[] = [];
    for (const row of rows) {
      if (!row.unitCode && row.unitName) {
        const named = byName.get(row.unitName) ?? [];
        if (named.length !== 1) {
          const params = { value: row.unitName, count: named.length };
          const messageKey = named.length ? "imports.errors.unitNameAmbiguous" : "imports.errors.unitNameNotFound";
          problems.push({ row: row.row, column: options.column("unitName"), messageKey, params });
          continue;
        }
      }
      const unit = row.unitCode ? byCode.get(row.unitCode.toLowerCase()) : row.unitName ? byName.get(row.unitName)?.[0] : undefined;
      if (!unit && row.unitCode) {
        problems.push({
          row: row.row,
          column: options.column("unitCode"),
          messageKey: "rankings.import.unknownUnit",
          params: { value: row.unitCode },
        });
        continue;
      }
      if (!unit || row.invalid) continue;
      const before = existing.get(`${unit.id}|${row.date}`);
      const fields: FieldChange[] = [];
      for (const f of ["satisfied", "unsatisfied"] as const) {
        if (!before || before[f] !== row[f]) fields.push({ field: f, before: before ? before[f] : null, after: row[f] });
      }
      items.push({
        row,
        unitId: unit.id,
        unitName: unit.name,
        action: !before ? "create" : fields.length ? "update" : "unchanged",
        fields,
      });
    }
    const changes: RowChange[] = items
      .filter((i) => i.action !== "unchanged")
      .map((i) => ({
        row: i.row.row,
        key: i.row.unitCode || i.unitName,
        name: `${i.unitName} · ${i.row.date}`,
        action: i.action,
        fields: i.fields,
      }));
    return { problems, changes, counts: countActions(items, ratingKind.counts), plan: { items } };
  },
  async apply(tx, plan, ctx) {
    const reason = importReason(ctx.batchId);
    let processed = 0;
    for (const chunk of chunked(plan.items)) {
      const writes = chunk.filter((i) => i.action !== "unchanged");
      if (writes.length) {
        const values = writes.map((i) => ({
          unit_id: i.unitId,
          date: i.row.date,
          satisfied: i.row.satisfied,
          unsatisfied: i.row.unsatisfied,
        }));
        await tx.execute(sql`
          insert into satisfaction_ratings (unit_id, date, satisfied, unsatisfied, import_batch_id)
          select x.unit_id, x.date, x.satisfied, x.unsatisfied, ${ctx.batchId}
          from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as x(unit_id integer, date date, satisfied integer, unsatisfied integer)
          on conflict (unit_id, date) do update set satisfied = excluded.satisfied, unsatisfied = excluded.unsatisfied,
            import_batch_id = excluded.import_batch_id, updated_at = now()`);
        await audit(
          tx,
          ctx.actor,
          writes.map((i) => ({
            action: "ranking.ratings_imported",
            entityType: "unit",
            entityId: i.unitId,
            before: i.action === "create" ? null : Object.fromEntries(i.fields.map((f) => [f.field, f.before])),
            after: { date: i.row.date, satisfied: i.row.satisfied, unsatisfied: i.row.unsatisfied },
            reason,
          })),
        );
      }
      processed += chunk.length;
      await ctx.progress(processed);
    }
  },
};
