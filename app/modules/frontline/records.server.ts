import { and, eq, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { conflict, invalid } from "~/utils/errors";
import { type Database, type DbOrTx, PG_UNIQUE_VIOLATION, pgErrorCode } from "~db/client";
import { cadres, frontlineRecords } from "~db/schema";
import { actorOf, assertMay, type FrontlineCaller, type LockedRecord, lockRecord } from "./access.server";
import { mayAct } from "./rules";
import type { CorrectionInput, RecordContent, RecordFormInput } from "./schema";

/**
 * Recording frontline work: a cadre's own records, or a head's or liaison's on the cadre's behalf.
 * Drafts and returned records are theirs to change; once submitted, only a decision moves it on.
 */

const CONTENT_FIELDS = ["category", "place", "startDate", "endDate", "summary", "outcome", "evidence", "links"] as const;

function content(input: RecordContent) {
  return {
    category: input.category,
    place: input.place,
    startDate: input.startDate,
    endDate: input.endDate,
    summary: input.summary,
    outcome: input.outcome,
    evidence: input.evidence,
    links: input.links,
  };
}

/** The fields an edit changed, before and after, for the audit log. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed = CONTENT_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  return {
    changed,
    before: Object.fromEntries(changed.map((f) => [f, before[f]])),
    after: Object.fromEntries(changed.map((f) => [f, after[f]])),
  };
}

/** Work is submitted once it is done: a record may be drafted ahead, but not claimed before its last day. */
function assertSubmittable(input: Pick<RecordContent, "endDate">, today: string) {
  if (input.endDate > today) throw invalid("frontline.validation.future", "endDate");
}

const duplicate = () => invalid("frontline.errors.duplicate", "place");

async function mapDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw duplicate();
    throw error;
  }
}

/**
 * The cadre a new record is for: the caller themselves, or the cadre whose staff number they gave,
 * if that cadre is in a unit they look after. A staff number outside their units gets the same answer
 * as one that does not exist.
 */
async function resolveCadre(db: DbOrTx, caller: FrontlineCaller, staffNo: string | undefined) {
  if (!staffNo) {
    if (!caller.cadreId) throw invalid("frontline.errors.staffNoRequired", "staffNo");
    const [own] = await db.select({ id: cadres.id, unitId: cadres.unitId }).from(cadres).where(eq(cadres.id, caller.cadreId));
    if (!own) throw invalid("frontline.errors.staffNoRequired", "staffNo");
    return own;
  }
  const [cadre] = await db
    .select({ id: cadres.id, unitId: cadres.unitId })
    .from(cadres)
    .where(and(sql`lower(${cadres.staffNo}) = ${staffNo.trim().toLowerCase()}`, cadreScopeFilter(caller.scope)));
  if (!cadre) throw invalid("frontline.errors.staffNoUnknown", "staffNo");
  return cadre;
}

export interface CreatedRecord {
  id: number;
  /** The same record was already there (a second click, a retry): nothing new was written. */
  existing: boolean;
}

export async function createRecord(
  db: Database,
  caller: FrontlineCaller,
  input: RecordFormInput,
  options: { today: string },
): Promise<CreatedRecord> {
  const cadre = await resolveCadre(db, caller, input.staffNo);
  const facts = { status: "draft" as const, cadreId: cadre.id, cadreUnitId: cadre.unitId, submittedByUserId: null };
  if (!mayAct(actorOf(caller), facts, "edit")) throw invalid("frontline.errors.staffNoUnknown", "staffNo");
  const submit = input.intent === "submit";
  if (submit) assertSubmittable(input, options.today);
  const now = new Date();
  return mapDuplicate(() =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .insert(frontlineRecords)
        .values({
          cadreId: cadre.id,
          ...content(input),
          status: submit ? "submitted" : "draft",
          createdByUserId: caller.id,
          ...(submit ? { submittedAt: now, submittedByUserId: caller.id } : {}),
        })
        .onConflictDoNothing({
          target: [
            frontlineRecords.cadreId,
            frontlineRecords.category,
            frontlineRecords.startDate,
            frontlineRecords.endDate,
            frontlineRecords.place,
          ],
        })
        .returning({ id: frontlineRecords.id });
      if (!row) {
        const [existing] = await tx
          .select({ id: frontlineRecords.id })
          .from(frontlineRecords)
          .where(
            and(
              eq(frontlineRecords.cadreId, cadre.id),
              eq(frontlineRecords.category, input.category),
              eq(frontlineRecords.startDate, input.startDate),
              eq(frontlineRecords.endDate, input.endDate),
              eq(frontlineRecords.place, input.place),
            ),
          );
        if (!existing) throw duplicate();
        return { id: existing.id, existing: true };
      }
      await audit(tx, { userId: caller.id }, [
        {
          action: "frontline.created" as const,
          entityType: "frontline_record",
          entityId: row.id,
          after: { cadreId: cadre.id, ...content(input) },
        },
        ...(submit ? [{ action: "frontline.submitted" as const, entityType: "frontline_record", entityId: row.id }] : []),
      ]);
      return { id: row.id, existing: false };
    }),
  );
}

/** An edit sent from a form opened before someone else's change would silently undo it. */
function assertCurrent(row: LockedRecord, revision: number | undefined) {
  if (revision !== undefined && revision !== row.revision) throw conflict("frontline.errors.stale");
}

/** A draft or returned record changed by whoever may record for the cadre; optionally submitted too. */
export async function updateRecord(
  db: Database,
  caller: FrontlineCaller,
  recordId: number,
  input: RecordFormInput,
  options: { today: string },
): Promise<void> {
  await mapDuplicate(() =>
    db.transaction(async (tx) => {
      const row = await lockRecord(tx, caller, recordId);
      assertMay(caller, row, "edit");
      assertCurrent(row, input.revision);
      const submit = input.intent === "submit";
      if (submit) {
        assertMay(caller, row, "submit");
        assertSubmittable(input, options.today);
      }
      const next = content(input);
      const diff = changedFields(row, next);
      if (!diff.changed.length && !submit) return;
      const now = new Date();
      await tx
        .update(frontlineRecords)
        .set({
          ...next,
          revision: row.revision + 1,
          ...(submit ? { status: "submitted" as const, submittedAt: now, submittedByUserId: caller.id } : {}),
        })
        .where(eq(frontlineRecords.id, recordId));
      await audit(tx, { userId: caller.id }, [
        ...(diff.changed.length
          ? [
              {
                action: "frontline.updated" as const,
                entityType: "frontline_record",
                entityId: recordId,
                before: diff.before,
                after: diff.after,
              },
            ]
          : []),
        ...(submit ? [{ action: "frontline.submitted" as const, entityType: "frontline_record", entityId: recordId }] : []),
      ]);
    }),
  );
}

/** Sends a draft or returned record to the unit for verification. Submitting twice is harmless. */
export async function submitRecord(db: Database, caller: FrontlineCaller, recordId: number, options: { today: string }) {
  await db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    if (row.status === "submitted" && row.submittedByUserId === caller.id) return;
    assertMay(caller, row, "submit");
    assertSubmittable(row, options.today);
    await tx
      .update(frontlineRecords)
      .set({ status: "submitted", submittedAt: new Date(), submittedByUserId: caller.id, revision: row.revision + 1 })
      .where(eq(frontlineRecords.id, recordId));
    await audit(tx, { userId: caller.id }, { action: "frontline.submitted", entityType: "frontline_record", entityId: recordId });
  });
}

/** Takes a submitted record back to draft before anyone has decided it (a mistake noticed in time). */
export async function withdrawRecord(db: Database, caller: FrontlineCaller, recordId: number) {
  await db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    if (row.status === "draft") return;
    assertMay(caller, row, "withdraw");
    await tx
      .update(frontlineRecords)
      .set({ status: "draft", submittedAt: null, submittedByUserId: null, revision: row.revision + 1 })
      .where(eq(frontlineRecords.id, recordId));
    await audit(tx, { userId: caller.id }, { action: "frontline.withdrawn", entityType: "frontline_record", entityId: recordId });
  });
}

/** Deletes a draft or returned record; the audit log keeps what it said. */
export async function deleteRecord(db: Database, caller: FrontlineCaller, recordId: number) {
  await db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    assertMay(caller, row, "delete");
    await tx.delete(frontlineRecords).where(eq(frontlineRecords.id, recordId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "frontline.deleted",
        entityType: "frontline_record",
        entityId: recordId,
        before: { cadreId: row.cadreId, status: row.status, ...content(row) },
      },
    );
  });
}

/**
 * The organization department corrects a verified record (a wrong date found in an inspection). It
 * stays verified; the change and its reason are in the audit log.
 */
export async function correctRecord(db: Database, caller: FrontlineCaller, recordId: number, input: CorrectionInput) {
  await mapDuplicate(() =>
    db.transaction(async (tx) => {
      const row = await lockRecord(tx, caller, recordId);
      assertMay(caller, row, "correct");
      assertCurrent(row, input.revision);
      const next = content(input);
      const diff = changedFields(row, next);
      if (!diff.changed.length) return;
      await tx
        .update(frontlineRecords)
        .set({ ...next, revision: row.revision + 1 })
        .where(eq(frontlineRecords.id, recordId));
      await audit(
        tx,
        { userId: caller.id },
        {
          action: "frontline.corrected",
          entityType: "frontline_record",
          entityId: recordId,
          before: diff.before,
          after: diff.after,
          reason: input.reason,
        },
      );
    }),
  );
}
