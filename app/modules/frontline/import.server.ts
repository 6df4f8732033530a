import { and, eq, sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { type ApplyContext, chunked, countActions, type ImportKindHandler, importReason } from "~/modules/imports/registry.server";
import type { FieldChange, ImportProblem, RowChange } from "~/modules/imports/types";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, type FrontlineStatus, frontlineRecords } from "~db/schema";
import { type FrontlineImportRow, frontlineKind } from "./import-kinds";

/**
 * Importing a frontline ledger. A row is found again by its natural key (staff number, category,
 * start, end, place), so importing the same file twice creates nothing the second time; a changed
 * summary, outcome or status updates the record found. Imported records keep who imported them and
 * from which batch; a record imported as verified counts as verified by the importer. A verified record
 * is never taken back to an earlier status by a file: that is the organization department's decision
 * on the record's page.
 */

type Existing = {
  id: number;
  summary: string;
  outcome: string;
  status: FrontlineStatus;
};

export interface FrontlinePlanItem {
  row: FrontlineImportRow;
  cadreId: number;
  cadreName: string;
  action: "create" | "update" | "unchanged";
  existing: Existing | null;
  fields: FieldChange[];
}

export interface FrontlinePlan {
  items: FrontlinePlanItem[];
}

const naturalKey = (r: { cadreId: number; category: string; startDate: string; endDate: string; place: string }) =>
  [r.cadreId, r.category, r.startDate, r.endDate, r.place].join("|");

export async function planFrontline(
  db: DbOrTx,
  rows: FrontlineImportRow[],
  options: { today: string; scope: Parameters<typeof cadreScopeFilter>[0]; column: (field: string) => string },
): Promise<{ plan: FrontlinePlan; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const staffNos = [...new Set(rows.map((r) => r.staffNo.toLowerCase()).filter(Boolean))];
  // Only cadres the importer may see: a staff number outside their scope reads as unknown.
  const people = staffNos.length
    ? await db
        .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name })
        .from(cadres)
        .where(and(sql`lower(${cadres.staffNo}) in ${textList(staffNos)}`, cadreScopeFilter(options.scope)))
    : [];
  const byStaffNo = new Map(people.map((p) => [p.staffNo.toLowerCase(), p]));

  const keyed = rows.flatMap((r) => {
    const cadre = r.staffNo ? byStaffNo.get(r.staffNo.toLowerCase()) : undefined;
    if (!cadre && r.staffNo) {
      problems.push({
        row: r.row,
        column: options.column("staffNo"),
        messageKey: "frontline.import.unknownStaffNo",
        params: { value: r.staffNo },
      });
      return [];
    }
    if (!cadre || r.invalid) return [];
    if (r.status !== "draft" && r.endDate > options.today) {
      problems.push({ row: r.row, column: options.column("endDate"), messageKey: "frontline.validation.future" });
      return [];
    }
    return [{ row: r, cadre }];
  });

  const existing = new Map<string, Existing>();
  for (const chunk of chunked(keyed, 1000)) {
    const keys = chunk.map(({ row, cadre }) => ({
      cadre_id: cadre.id,
      category: row.category,
      start_date: row.startDate,
      end_date: row.endDate,
      place: row.place,
    }));
    const found = await db.execute<
      Existing & { cadre_id: number; category: string; start_date: string; end_date: string; place: string }
    >(sql`
      select r.id, r.cadre_id, r.category::text as category, r.start_date::text as start_date, r.end_date::text as end_date,
             r.place, r.summary, r.outcome, r.status
      from frontline_records r
      join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(cadre_id integer, category text, start_date date, end_date date, place text)
        on r.cadre_id = k.cadre_id and r.category::text = k.category and r.start_date = k.start_date
       and r.end_date = k.end_date and r.place = k.place`);
    for (const f of found) {
      existing.set(
        naturalKey({ cadreId: Number(f.cadre_id), category: f.category, startDate: f.start_date, endDate: f.end_date, place: f.place }),
        {
          id: Number(f.id),
          summary: f.summary,
          outcome: f.outcome,
          status: f.status,
        },
      );
    }
  }

  const items: FrontlinePlanItem[] = [];
  for (const { row, cadre } of keyed) {
    const before = existing.get(naturalKey({ cadreId: cadre.id, ...row })) ?? null;
    if (!before) {
      items.push({ row, cadreId: cadre.id, cadreName: cadre.name, action: "create", existing: null, fields: [] });
      continue;
    }
    if (before.status === "verified" && row.status !== "verified") {
      problems.push({ row: row.row, column: options.column("status"), messageKey: "frontline.import.cannotUnverify" });
      continue;
    }
    const fields: FieldChange[] = [];
    if (before.summary !== row.summary) fields.push({ field: "summary", before: before.summary, after: row.summary });
    if (row.outcome !== undefined && before.outcome !== row.outcome)
      fields.push({ field: "outcome", before: before.outcome, after: row.outcome });
    if (before.status !== row.status) fields.push({ field: "status", before: before.status, after: row.status });
    items.push({ row, cadreId: cadre.id, cadreName: cadre.name, action: fields.length ? "update" : "unchanged", existing: before, fields });
  }
  return { plan: { items }, problems };
}

export function frontlineChanges(plan: FrontlinePlan): RowChange[] {
  return plan.items
    .filter((i) => i.action !== "unchanged")
    .map((i) => ({
      row: i.row.row,
      key: i.row.staffNo,
      name: `${i.cadreName} · ${i.row.startDate} – ${i.row.endDate} · ${i.row.place}`,
      action: i.action,
      fields:
        i.action === "create"
          ? [
              { field: "category", before: null, after: i.row.category },
              { field: "status", before: null, after: i.row.status },
            ]
          : i.fields,
    }));
}

/** The timestamps and people a status implies, for a record the importer puts into it. */
function statusStamps(status: FrontlineStatus, userId: number | null, now: Date) {
  switch (status) {
    case "draft":
      return {};
    case "submitted":
      return { submittedAt: now, submittedByUserId: userId };
    case "verified":
      return { verifiedAt: now, verifiedByUserId: userId };
    case "returned":
      return { returnedAt: now, returnedByUserId: userId };
  }
}

export async function applyFrontline(tx: DbOrTx, plan: FrontlinePlan, ctx: ApplyContext): Promise<void> {
  const reason = importReason(ctx.batchId);
  const userId = ctx.actor.userId;
  const now = new Date();
  let processed = 0;
  for (const chunk of chunked(plan.items)) {
    const creates = chunk.filter((i) => i.action === "create");
    const entries: AuditEntry[] = [];
    if (creates.length) {
      const written = await tx
        .insert(frontlineRecords)
        .values(
          creates.map((i) => ({
            cadreId: i.cadreId,
            category: i.row.category,
            place: i.row.place,
            startDate: i.row.startDate,
            endDate: i.row.endDate,
            summary: i.row.summary,
            outcome: i.row.outcome ?? "",
            status: i.row.status,
            source: "import" as const,
            importBatchId: ctx.batchId,
            createdByUserId: userId,
            ...(i.row.status === "draft" ? {} : { submittedAt: now, submittedByUserId: userId }),
            ...statusStamps(i.row.status, userId, now),
          })),
        )
        .onConflictDoNothing({
          target: [
            frontlineRecords.cadreId,
            frontlineRecords.category,
            frontlineRecords.startDate,
            frontlineRecords.endDate,
            frontlineRecords.place,
          ],
        })
        .returning({
          id: frontlineRecords.id,
          cadreId: frontlineRecords.cadreId,
          category: frontlineRecords.category,
          status: frontlineRecords.status,
        });
      for (const w of written) {
        entries.push({
          action: "frontline.imported",
          entityType: "frontline_record",
          entityId: w.id,
          after: { cadreId: w.cadreId, category: w.category, status: w.status },
          reason,
        });
      }
    }
    for (const i of chunk.filter((x) => x.action === "update")) {
      const next = {
        summary: i.row.summary,
        ...(i.row.outcome !== undefined ? { outcome: i.row.outcome } : {}),
        status: i.row.status,
        ...(i.row.status !== i.existing!.status ? statusStamps(i.row.status, userId, now) : {}),
      };
      await tx
        .update(frontlineRecords)
        .set({ ...next, revision: sql`${frontlineRecords.revision} + 1` })
        .where(eq(frontlineRecords.id, i.existing!.id));
      entries.push({
        action: "frontline.updated",
        entityType: "frontline_record",
        entityId: i.existing!.id,
        before: Object.fromEntries(i.fields.map((f) => [f.field, f.before])),
        after: Object.fromEntries(i.fields.map((f) => [f.field, f.after])),
        reason,
      });
    }
    await audit(tx, ctx.actor, entries);
    processed += chunk.length;
    await ctx.progress(processed);
  }
}

export const frontlineImport: ImportKindHandler<FrontlineImportRow, FrontlinePlan> = {
  ...frontlineKind,
  chunkRows: 5000,
  async plan(db, rows, options) {
    const { plan, problems } = await planFrontline(db, rows, { today: options.today, scope: options.scope, column: options.column });
    return { problems, changes: frontlineChanges(plan), counts: countActions(plan.items, frontlineKind.counts), plan };
  },
  apply: applyFrontline,
};
