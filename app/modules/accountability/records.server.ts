import { and, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { flagById, resolveFlagByRecord } from "~/modules/rankings/flags.server";
import { accountabilityRequest, linkRequestToRecord } from "~/modules/ratings/accountability.server";
import { todayInShanghai } from "~/utils/dates";
import { conflict, forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { accountabilityRecords, cadres, units } from "~db/schema";
import type { AccountabilityKind, AccountabilitySubject } from "~db/schema/accountability";
import { queueRecordNotice } from "./notify.server";
import { type AccountabilityCaller, effectUntil, isAccountabilityAdmin, mayRead, mayReport, type RecordFacts } from "./rules";
import type { OpenRecordInput } from "./schema";
import { getEffectPeriods } from "./settings.server";

/**
 * Opening an accountability record and carrying it through: the rectification report (by the unit or
 * the cadre), the department's follow-up, and closing. Every step records who took it, in the same
 * transaction as the change, with the record's notice or reminders queued in the outbox.
 */

/** What opened a record: a 约谈 flag, the department's own initiative, or a public rating's request (a case, or 十差 twice). */
export type RecordSource = { type: "flag"; flagId: number } | { type: "initiative" } | { type: "public_rating"; requestId: number };

export interface OpenRecordRequest {
  subject: AccountabilitySubject;
  /** The unit concerned (a unit record); for a cadre record, taken from the cadre when not given. */
  unitId?: number | null;
  /** The cadre concerned (a cadre record), or the principal held to account for a unit (its head by default). */
  cadreId?: number | null;
  kind: AccountabilityKind;
  source: RecordSource;
  heldOn: string;
  interviewers: string;
  findings: string;
  rectification?: string | null;
  rectificationDue?: string | null;
  /** The form's own key: the same form sent twice opens one record. */
  requestKey?: string | null;
}

/** The units a caller heads and liaises for, whole subtrees: what the record rules read. */
export async function accessOf(db: DbOrTx, caller: Pick<AccountabilityCaller, "headOfUnitIds" | "liaisonOfUnitIds">) {
  const [headUnitIds, liaisonUnitIds] = await Promise.all([
    caller.headOfUnitIds.length ? unitSubtreeIds(db, caller.headOfUnitIds) : Promise.resolve([]),
    caller.liaisonOfUnitIds.length ? unitSubtreeIds(db, caller.liaisonOfUnitIds) : Promise.resolve([]),
  ]);
  return { headUnitIds, liaisonUnitIds };
}

/**
 * Opens a record — the one way records come to be, whatever opened them: a 约谈 flag (resolved by the
 * record, in the same transaction), the department's own initiative, or a confirmed public-rating case
 * (see openRecordForUnitHead). The kind's effect period is fixed now, from the department's settings.
 * The unit, or the cadre, is told by email.
 */
export async function openAccountabilityRecord(
  db: Database,
  actor: Actor,
  input: OpenRecordRequest,
  options: { today?: string; origin?: string } = {},
): Promise<{ recordId: number; created: boolean }> {
  const today = options.today ?? todayInShanghai();
  if (input.heldOn > today) throw invalid("accountability.validation.heldInFuture", "heldOn");
  if (input.rectificationDue && input.rectificationDue < input.heldOn)
    throw invalid("accountability.validation.dueBeforeHeld", "rectificationDue");
  const findings = input.findings.trim();
  const interviewers = input.interviewers.trim();
  if (!findings) throw invalid("validation.required", "findings");
  if (!interviewers) throw invalid("validation.required", "interviewers");
  return db.transaction(async (tx) => {
    if (input.requestKey) {
      const [again] = await tx
        .select({ id: accountabilityRecords.id })
        .from(accountabilityRecords)
        .where(eq(accountabilityRecords.requestKey, input.requestKey));
      if (again) return { recordId: again.id, created: false };
    }
    let flagId: number | null = null;
    let unitId = input.unitId ?? null;
    if (input.source.type === "flag") {
      const flag = await flagById(tx, input.source.flagId);
      if (!flag) throw invalid("accountability.errors.unknownFlag", "flagId");
      const [existing] = await tx
        .select({ id: accountabilityRecords.id })
        .from(accountabilityRecords)
        .where(eq(accountabilityRecords.flagId, flag.id));
      // A flag is answered by one record: the second submit of the same form finds it.
      if (existing) return { recordId: existing.id, created: false };
      if (flag.status !== "open") throw conflict("accountability.errors.flagResolved", "flagId");
      flagId = flag.id;
      unitId = flag.unitId;
    }
    let sourceRef: string | null = null;
    let ratingRequestId: number | null = null;
    if (input.source.type === "public_rating") {
      const asked = await accountabilityRequest(tx, input.source.requestId, { lock: true });
      if (!asked) throw invalid("accountability.errors.unknownRatingRequest", "ratingRequestId");
      // A request is answered by one record: a second submit (or a second admin) finds the first.
      if (asked.accountabilityRecordId) return { recordId: asked.accountabilityRecordId, created: false };
      ratingRequestId = asked.id;
      unitId = asked.unitId;
      sourceRef = asked.source === "case" ? `rating-case/${asked.caseId}` : `ten-worst/${asked.year}`;
    }
    let cadreId = input.cadreId ?? null;
    if (input.subject === "cadre") {
      if (!cadreId) throw invalid("validation.required", "cadreId");
      const [cadre] = await tx.select({ unitId: cadres.unitId }).from(cadres).where(eq(cadres.id, cadreId));
      if (!cadre) throw invalid("accountability.errors.unknownCadre", "cadreId");
      unitId = cadre.unitId;
    } else {
      if (!unitId) throw invalid("validation.required", "unitId");
      const [unit] = await tx.select({ headCadreId: units.headCadreId }).from(units).where(eq(units.id, unitId));
      if (!unit) throw invalid("accountability.errors.unknownUnit", "unitId");
      // The principal held to account for a unit is its head, unless the department names another of its cadres.
      cadreId ??= unit.headCadreId;
      if (cadreId !== null) {
        const [member] = await tx.select({ unitId: cadres.unitId }).from(cadres).where(eq(cadres.id, cadreId));
        if (!member || member.unitId !== unitId) throw invalid("accountability.errors.notOfUnit", "cadreId");
      }
    }
    const months = (await getEffectPeriods(tx))[input.kind];
    const rectification = input.rectification?.trim() || null;
    const [row] = await tx
      .insert(accountabilityRecords)
      .values({
        subject: input.subject,
        unitId: unitId!,
        cadreId,
        kind: input.kind,
        source: input.source.type,
        flagId,
        sourceRef,
        heldOn: input.heldOn,
        interviewers,
        findings,
        rectification,
        rectificationDue: rectification ? (input.rectificationDue ?? null) : null,
        effectMonths: months,
        effectUntil: effectUntil(input.heldOn, months),
        requestKey: input.requestKey || null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      // The same form, sent at the same moment by a second request: the first one's record.
      const [first] = await tx
        .select({ id: accountabilityRecords.id })
        .from(accountabilityRecords)
        .where(input.requestKey ? eq(accountabilityRecords.requestKey, input.requestKey) : eq(accountabilityRecords.flagId, flagId!));
      return { recordId: first!.id, created: false };
    }
    await audit(tx, actor, {
      action: "accountability.opened",
      entityType: "accountability_record",
      entityId: row.id,
      after: {
        subject: row.subject,
        unitId: row.unitId,
        cadreId: row.cadreId,
        kind: row.kind,
        source: row.source,
        flagId: row.flagId,
        sourceRef: row.sourceRef,
        heldOn: row.heldOn,
        rectificationDue: row.rectificationDue,
        effectUntil: row.effectUntil,
      },
    });
    if (flagId) await resolveFlagByRecord(tx, actor, flagId, row.id);
    // The request was locked and unanswered above: it now points at this record.
    if (ratingRequestId) await linkRequestToRecord(tx, ratingRequestId, row.id);
    await queueRecordNotice(tx, row, "opened", { origin: options.origin });
    return { recordId: row.id, created: true };
  });
}

/** The opening form as the department fills it in: the cadre by staff number, the source a flag or its own initiative. */
export async function openRecordFromForm(
  db: Database,
  actor: Actor,
  form: OpenRecordInput,
  options: { today?: string; origin?: string } = {},
): Promise<{ recordId: number; created: boolean }> {
  let cadreId: number | null = null;
  if (form.subject === "cadre") {
    const [cadre] = await db
      .select({ id: cadres.id })
      .from(cadres)
      .where(sql`lower(${cadres.staffNo}) = ${(form.cadreStaffNo ?? "").trim().toLowerCase()}`);
    if (!cadre) throw invalid("accountability.errors.unknownStaffNo", "cadreStaffNo");
    cadreId = cadre.id;
  }
  return openAccountabilityRecord(
    db,
    actor,
    {
      subject: form.subject,
      unitId: form.unitId ?? null,
      cadreId,
      kind: form.kind,
      source: form.flagId
        ? { type: "flag", flagId: form.flagId }
        : form.ratingRequestId
          ? { type: "public_rating", requestId: form.ratingRequestId }
          : { type: "initiative" },
      heldOn: form.heldOn,
      interviewers: form.interviewers,
      findings: form.findings,
      rectification: form.rectification ?? null,
      rectificationDue: form.rectificationDue ?? null,
      requestKey: form.requestKey ?? null,
    },
    options,
  );
}

/** What the opening form shows: the flag it answers, the unit or cadre it starts from, the choices and the periods. */
export async function newRecordContext(db: DbOrTx, from: { flagId?: number; ratingRequestId?: number; unitId?: number; cadreId?: number }) {
  const flag = from.flagId ? await flagById(db, from.flagId) : null;
  const ratingRequest = from.ratingRequestId ? await accountabilityRequest(db, from.ratingRequestId) : null;
  // A public rating's request holds the unit's head (at the time) to account: the form starts from that cadre.
  from = ratingRequest ? { ...from, unitId: ratingRequest.unitId, cadreId: ratingRequest.cadreId ?? undefined } : from;
  const unitChoices = await db
    .select({ id: units.id, code: units.code, name: units.name, headName: cadres.name })
    .from(units)
    .leftJoin(cadres, eq(cadres.id, units.headCadreId))
    .orderBy(units.code);
  const [cadre] = from.cadreId
    ? await db.select({ staffNo: cadres.staffNo, name: cadres.name }).from(cadres).where(eq(cadres.id, from.cadreId))
    : [];
  return {
    flag,
    ratingRequest,
    unitId: flag?.unitId ?? from.unitId ?? null,
    cadre: cadre ?? null,
    units: unitChoices,
    periods: await getEffectPeriods(db),
  };
}

/** The record, locked (for a change) or not (to read), with the facts the rules read (and the cadre's unit now). */
export async function lockRecord(tx: DbOrTx, recordId: number, options: { lock?: boolean } = {}) {
  const query = tx.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, recordId));
  const [row] = options.lock === false ? await query : await query.for("update");
  if (!row) throw notFound();
  const [cadre] = row.cadreId ? await tx.select({ unitId: cadres.unitId }).from(cadres).where(eq(cadres.id, row.cadreId)) : [];
  const facts: RecordFacts = { subject: row.subject, unitId: row.unitId, cadreId: row.cadreId, cadreUnitId: cadre?.unitId ?? null };
  return { row, facts };
}

/**
 * The rectification report, by the unit (its head or liaison) or the cadre, or recorded by the
 * department on their behalf; it may be revised until the department has followed it up.
 */
export async function submitReport(
  db: Database,
  caller: AccountabilityCaller,
  recordId: number,
  text: string,
): Promise<{ changed: boolean }> {
  const report = text.trim();
  if (!report) throw invalid("validation.required", "reportText");
  const access = await accessOf(db, caller);
  return db.transaction(async (tx) => {
    const { row, facts } = await lockRecord(tx, recordId);
    if (!mayReport(caller, access, facts)) throw mayReadOr404(caller, access, facts);
    if (row.status !== "open") throw conflict("accountability.errors.closed", "reportText");
    if (!row.rectification) throw conflict("accountability.errors.noRectification", "reportText");
    if (row.followedUpAt) throw conflict("accountability.errors.followedUp", "reportText");
    if (row.reportText === report) return { changed: false };
    const now = new Date();
    await tx
      .update(accountabilityRecords)
      .set({ reportText: report, reportSubmittedAt: now, reportSubmittedBy: caller.id, updatedAt: now })
      .where(eq(accountabilityRecords.id, recordId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "accountability.report_submitted",
        entityType: "accountability_record",
        entityId: recordId,
        before: row.reportText ? { reportText: row.reportText } : null,
        after: { reportText: report },
      },
    );
    return { changed: true };
  });
}

/** A caller who may read the record but not act answers 403; one who may not read it, 404. */
function mayReadOr404(
  caller: AccountabilityCaller,
  access: { headUnitIds: readonly number[]; liaisonUnitIds: readonly number[] },
  facts: RecordFacts,
) {
  return mayRead(caller, access, facts) ? forbidden() : notFound();
}

/** The department's follow-up on the rectification (回访, 核查): what it found. */
export async function recordFollowUp(
  db: Database,
  caller: AccountabilityCaller,
  recordId: number,
  text: string,
): Promise<{ changed: boolean }> {
  if (!isAccountabilityAdmin(caller)) throw forbidden();
  const followUp = text.trim();
  if (!followUp) throw invalid("validation.required", "followUp");
  return db.transaction(async (tx) => {
    const { row } = await lockRecord(tx, recordId);
    if (row.status !== "open") throw conflict("accountability.errors.closed", "followUp");
    if (row.followUp === followUp) return { changed: false };
    const now = new Date();
    await tx
      .update(accountabilityRecords)
      .set({ followUp, followedUpAt: now, followedUpBy: caller.id, updatedAt: now })
      .where(eq(accountabilityRecords.id, recordId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "accountability.followed_up",
        entityType: "accountability_record",
        entityId: recordId,
        before: row.followUp ? { followUp: row.followUp } : null,
        after: { followUp },
      },
    );
    return { changed: true };
  });
}

/** Closes a record with the department's note; closing again changes nothing. Its effect period runs on. */
export async function closeRecord(
  db: Database,
  caller: AccountabilityCaller,
  recordId: number,
  note: string,
): Promise<{ changed: boolean }> {
  if (!isAccountabilityAdmin(caller)) throw forbidden();
  const closingNote = note.trim();
  if (!closingNote) throw invalid("validation.required", "closingNote");
  return db.transaction(async (tx) => {
    const { row } = await lockRecord(tx, recordId);
    if (row.status === "closed") return { changed: false };
    // A rectification asked for is reported before the record closes.
    if (row.rectification && !row.reportSubmittedAt) throw conflict("accountability.errors.reportMissing", "closingNote");
    const now = new Date();
    await tx
      .update(accountabilityRecords)
      .set({ status: "closed", closedAt: now, closedBy: caller.id, closingNote, updatedAt: now })
      .where(and(eq(accountabilityRecords.id, recordId), eq(accountabilityRecords.status, "open")));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "accountability.closed",
        entityType: "accountability_record",
        entityId: recordId,
        before: { status: "open" },
        after: { status: "closed", effectUntil: row.effectUntil },
        reason: closingNote,
      },
    );
    return { changed: true };
  });
}
