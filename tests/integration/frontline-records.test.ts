import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { addAttachment, getAttachment, removeAttachment } from "~/modules/frontline/attachments.server";
import { correctRecord, createRecord, deleteRecord, submitRecord, updateRecord, withdrawRecord } from "~/modules/frontline/records.server";
import { RecordFormSchema } from "~/modules/frontline/schema";
import { recordDetail } from "~/modules/frontline/timeline.server";
import { bulkVerify, decideRecord, verificationQueue } from "~/modules/frontline/verification.server";
import { DomainError } from "~/utils/errors";
import { auditLog, emailOutbox, frontlineAttachments, frontlineRecords, users } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const TODAY = "2026-05-20";
const context = { origin: "http://luoshi.test" };

/** Unit A (head, liaison, sub-unit A1) and unit B (head); cadres in each; an org admin. */
const u: Record<string, CurrentUser> = {};
const cadreIds: Record<string, number> = {};
/** A cadre of the unit with an open account, known by `key` (staff number FL<KEY>, email <key>@example.cn). */
async function person(
  key: string,
  unitId: number,
  rank: "section" | "deputy_section" | "deputy_county" = "deputy_section",
  roles: "org_admin"[] = [],
) {
  const cadre = await createCadre(db, { unitId, rank, staffNo: `FL${key.toUpperCase()}`, email: `${key}@example.cn` });
  cadreIds[key] = cadre.id;
  await createUser(db, { cadreId: cadre.id, roles, disabled: false });
}

/** The callers as a request would see them, after heads and liaisons are set. */
async function loadCallers() {
  for (const [key, id] of Object.entries(cadreIds)) {
    const [account] = await db.select({ id: users.id }).from(users).where(eq(users.cadreId, id));
    u[key] = (await loadCurrentUser(db, account!.id, "test"))!;
  }
}

beforeAll(async () => {
  const city = await createUnit(db, { code: "FCITY", name: "示范市", kind: "other" });
  const unitA = (await createUnit(db, { code: "FA", name: "市教育局", parentId: city.id })).id;
  const unitA1 = (await createUnit(db, { code: "FA1", name: "市第一中学", parentId: unitA })).id;
  const unitB = (await createUnit(db, { code: "FB", name: "市财政局", parentId: city.id })).id;
  await person("admin", city.id, "section", ["org_admin"]);
  await person("headA", unitA, "section");
  await person("liaisonA", unitA);
  await person("cadreA", unitA, "deputy_county");
  await person("cadreA1", unitA1);
  await person("headB", unitB, "section");
  await person("cadreB", unitB);
  await makeHead(db, unitA, cadreIds.headA!);
  await addLiaison(db, unitA, cadreIds.liaisonA!);
  await makeHead(db, unitB, cadreIds.headB!);
  await loadCallers();
});

const form = (values: Record<string, string>) => {
  const parsed = RecordFormSchema.safeParse({
    category: "petition",
    place: "市信访局接待大厅",
    startDate: "2026-04-13",
    endDate: "2026-04-17",
    summary: "接待来访群众",
    ...values,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
};

async function domainError(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

const recordOf = async (id: number) => (await db.select().from(frontlineRecords).where(eq(frontlineRecords.id, id)))[0]!;
const outboxFor = (id: number) =>
  db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.template, "frontline-outcome"))
    .then((rows) => rows.filter((r) => (r.props as { url: string }).url.endsWith(`/frontline/${id}`)));
const auditsFor = (action: string, id: number) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityType, "frontline_record"), eq(auditLog.entityId, String(id))));

describe("recording", () => {
  it("a cadre saves a draft; sending the same form again finds it instead of adding a second", async () => {
    const first = await createRecord(db, u.cadreA!, form({ place: "双击测试" }), { today: TODAY });
    const again = await createRecord(db, u.cadreA!, form({ place: "双击测试" }), { today: TODAY });
    expect(again).toEqual({ id: first.id, existing: true });
    expect(first.existing).toBe(false);
    const row = await recordOf(first.id);
    expect(row).toMatchObject({ status: "draft", cadreId: cadreIds.cadreA, createdByUserId: u.cadreA!.id });
    expect(await auditsFor("frontline.created", first.id)).toHaveLength(1);
  });

  it("a record cannot be submitted before its last day, and nothing is written", async () => {
    const error = await domainError(
      createRecord(db, u.cadreA!, form({ intent: "submit", place: "未来", endDate: "2026-05-25" }), { today: TODAY }),
    );
    expect(error.messageKey).toBe("frontline.validation.future");
    expect(error.options.field).toBe("endDate");
    expect((await db.select().from(frontlineRecords).where(eq(frontlineRecords.place, "未来"))).length).toBe(0);
  });

  it("a head records for a cadre of a sub-unit by staff number; another unit's head cannot name that cadre", async () => {
    const made = await createRecord(db, u.headA!, form({ staffNo: "FLCADREA1", place: "代填" }), { today: TODAY });
    expect((await recordOf(made.id)).cadreId).toBe(cadreIds.cadreA1);
    const error = await domainError(createRecord(db, u.headB!, form({ staffNo: "FLCADREA1", place: "越权" }), { today: TODAY }));
    expect(error.messageKey).toBe("frontline.errors.staffNoUnknown");
    const colleague = await domainError(createRecord(db, u.cadreB!, form({ staffNo: "FLCADREA", place: "越权" }), { today: TODAY }));
    expect(colleague.messageKey).toBe("frontline.errors.staffNoUnknown");
  });

  it("an edit from a stale form is refused; an edit that collides with another record is a field error", async () => {
    const a = await createRecord(db, u.cadreA!, form({ place: "修订甲" }), { today: TODAY });
    await createRecord(db, u.cadreA!, form({ place: "修订乙" }), { today: TODAY });
    await updateRecord(db, u.cadreA!, a.id, form({ place: "修订甲", summary: "改过", revision: "1" }), { today: TODAY });
    expect((await recordOf(a.id)).revision).toBe(2);
    const stale = await domainError(
      updateRecord(db, u.cadreA!, a.id, form({ place: "修订甲", summary: "又改", revision: "1" }), { today: TODAY }),
    );
    expect(stale.messageKey).toBe("frontline.errors.stale");
    const clash = await domainError(updateRecord(db, u.cadreA!, a.id, form({ place: "修订乙", revision: "2" }), { today: TODAY }));
    expect(clash.messageKey).toBe("frontline.errors.duplicate");
    expect((await recordOf(a.id)).summary).toBe("改过");
  });
});

describe("verification", () => {
  it("submit → return with a comment → edit and resubmit → verify, each emailed and audited once", async () => {
    const { id } = await createRecord(db, u.cadreA!, form({ intent: "submit", place: "信访一周" }), { today: TODAY });
    expect((await recordOf(id)).status).toBe("submitted");

    // The cadre cannot verify their own record; another unit's head cannot even see it.
    expect((await domainError(decideRecord(db, u.cadreA!, id, { intent: "verify" }, context))).label).toBe("forbidden");
    expect((await domainError(decideRecord(db, u.headB!, id, { intent: "verify" }, context))).label).toBe("not_found");
    expect((await domainError(decideRecord(db, u.cadreA1!, id, { intent: "verify" }, context))).label).toBe("not_found");

    await decideRecord(db, u.headA!, id, { intent: "return", comment: "与督查记录重叠，请核对" }, context);
    expect(await recordOf(id)).toMatchObject({
      status: "returned",
      returnComment: "与督查记录重叠，请核对",
      returnedByUserId: u.headA!.id,
    });
    // A verified-or-returned record is not the cadre's to withdraw; a returned one is theirs to fix.
    await updateRecord(db, u.cadreA!, id, form({ place: "信访一周", startDate: "2026-04-14", intent: "submit" }), { today: TODAY });
    expect(await recordOf(id)).toMatchObject({ status: "submitted", startDate: "2026-04-14" });

    await decideRecord(db, u.liaisonA!, id, { intent: "verify" }, context);
    // A second click by the same person changes nothing and sends nothing more.
    expect(await decideRecord(db, u.liaisonA!, id, { intent: "verify" }, context)).toEqual({ changed: false });
    expect(await recordOf(id)).toMatchObject({ status: "verified", verifiedByUserId: u.liaisonA!.id });

    const emails = await outboxFor(id);
    expect(emails.map((e) => (e.props as { outcome: string }).outcome).sort()).toEqual(["returned", "verified"]);
    expect(emails.every((e) => e.toAddress === "cadreA@example.cn")).toBe(true);
    expect(emails.find((e) => (e.props as { outcome: string }).outcome === "returned")!.text).toContain("与督查记录重叠，请核对");
    expect(await auditsFor("frontline.returned", id)).toHaveLength(1);
    expect(await auditsFor("frontline.verified", id)).toHaveLength(1);

    // Verified: the cadre can no longer edit, withdraw or delete it.
    // One at a time: started together, the later refusals would reject before anything awaits them.
    for (const attempt of [
      () => updateRecord(db, u.cadreA!, id, form({ place: "信访一周", summary: "偷改" }), { today: TODAY }),
      () => withdrawRecord(db, u.cadreA!, id),
      () => deleteRecord(db, u.cadreA!, id),
      () => submitRecord(db, u.cadreA!, id, { today: TODAY }),
    ]) {
      expect((await domainError(attempt())).messageKey).toBe("frontline.errors.notNow");
    }
    // Only an org admin corrects it, with a reason that is audited.
    expect(
      (await domainError(correctRecord(db, u.headA!, id, { ...form({ place: "信访一周", summary: "更正" }), reason: "核对台账" }))).label,
    ).toBe("forbidden");
    await correctRecord(db, u.admin!, id, {
      ...form({ place: "信访一周", startDate: "2026-04-14", summary: "更正后的内容" }),
      reason: "核对台账",
    });
    const [corrected] = await auditsFor("frontline.corrected", id);
    expect(corrected).toMatchObject({ reason: "核对台账", actorUserId: u.admin!.id });
    expect(await recordOf(id)).toMatchObject({ status: "verified", summary: "更正后的内容" });
  });

  it("a unit head never verifies their own record, and whoever submitted for a cadre does not verify it", async () => {
    const own = await createRecord(db, u.headA!, form({ intent: "submit", place: "负责人自己的" }), { today: TODAY });
    const error = await domainError(decideRecord(db, u.headA!, own.id, { intent: "verify" }, context));
    expect(error).toMatchObject({ label: "forbidden", messageKey: "frontline.errors.ownRecord" });
    const queue = await verificationQueue(db, u.headA!);
    expect(queue.rows.some((r) => r.id === own.id)).toBe(false);
    await decideRecord(db, u.admin!, own.id, { intent: "verify" }, context);

    const onBehalf = await createRecord(db, u.headA!, form({ intent: "submit", staffNo: "FLCADREA1", place: "代为提交" }), {
      today: TODAY,
    });
    expect((await domainError(decideRecord(db, u.headA!, onBehalf.id, { intent: "verify" }, context))).messageKey).toBe(
      "frontline.errors.ownSubmission",
    );
    await decideRecord(db, u.liaisonA!, onBehalf.id, { intent: "verify" }, context);
    expect((await recordOf(onBehalf.id)).status).toBe("verified");
  });

  it("the queue shows overlaps; bulk verification takes only the clean records", async () => {
    const base = await createFrontlineRecord(db, {
      cadreId: cadreIds.cadreA1!,
      category: "supervision",
      place: "重叠底",
      startDate: "2026-03-01",
      endDate: "2026-03-05",
      status: "verified",
    });
    const overlapping = await createRecord(
      db,
      u.cadreA1!,
      form({ intent: "submit", place: "重叠新", startDate: "2026-03-04", endDate: "2026-03-08" }),
      { today: TODAY },
    );
    const clean = await createRecord(
      db,
      u.cadreA1!,
      form({ intent: "submit", place: "干净", startDate: "2026-03-20", endDate: "2026-03-21" }),
      { today: TODAY },
    );
    const queue = await verificationQueue(db, u.headA!);
    const item = queue.rows.find((r) => r.id === overlapping.id)!;
    expect(item.overlaps).toEqual([expect.objectContaining({ id: base.id, days: 2, status: "verified" })]);
    expect(item.newDays).toBe(3);
    expect(item.others.map((o) => o.id)).toContain(base.id);
    expect(queue.rows.find((r) => r.id === clean.id)!.overlaps).toEqual([]);

    const detail = await recordDetail(db, u.headA!, overlapping.id);
    expect(detail.overlaps.map((o) => o.id)).toEqual([base.id]);
    expect(detail.actions).toEqual(["verify", "return"]);

    const result = await bulkVerify(db, u.headA!, [clean.id, overlapping.id, 99_999_999], context);
    expect(result.verified).toEqual([clean.id]);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { id: overlapping.id, reason: "overlap" },
        { id: 99_999_999, reason: "not_found" },
      ]),
    );
    // Again: already verified by this head, so counted as done, not sent twice.
    expect((await bulkVerify(db, u.headA!, [clean.id], context)).verified).toEqual([clean.id]);
    expect(await outboxFor(clean.id)).toHaveLength(1);
    // Another unit's head cannot bulk-verify A's records.
    const other = await createRecord(
      db,
      u.cadreA1!,
      form({ intent: "submit", place: "别人的", startDate: "2026-02-10", endDate: "2026-02-10" }),
      { today: TODAY },
    );
    expect((await bulkVerify(db, u.headB!, [other.id], context)).skipped).toEqual([{ id: other.id, reason: "not_found" }]);
    expect((await recordOf(other.id)).status).toBe("submitted");
  });

  it("drafts can be deleted, withdrawn records go back to draft, and every illegal move is refused", async () => {
    const draft = await createRecord(db, u.cadreB!, form({ place: "草稿删" }), { today: TODAY });
    expect((await domainError(decideRecord(db, u.headB!, draft.id, { intent: "verify" }, context))).messageKey).toBe(
      "frontline.errors.notNow",
    );
    await deleteRecord(db, u.cadreB!, draft.id);
    expect(await db.select().from(frontlineRecords).where(eq(frontlineRecords.id, draft.id))).toEqual([]);
    expect(await auditsFor("frontline.deleted", draft.id)).toHaveLength(1);

    const sent = await createRecord(db, u.cadreB!, form({ intent: "submit", place: "撤回" }), { today: TODAY });
    expect(
      (await domainError(updateRecord(db, u.cadreB!, sent.id, form({ place: "撤回", summary: "改" }), { today: TODAY }))).messageKey,
    ).toBe("frontline.errors.notNow");
    await withdrawRecord(db, u.cadreB!, sent.id);
    expect((await recordOf(sent.id)).status).toBe("draft");
  });
});

describe("attachments", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  it("stores a photo once however often it is sent, refuses other types and sizes, and serves it only in scope", async () => {
    const { id } = await createRecord(db, u.cadreB!, form({ place: "有照片" }), { today: TODAY });
    const first = await addAttachment(db, u.cadreB!, id, { name: "../../现场.png", bytes: png });
    const again = await addAttachment(db, u.cadreB!, id, { name: "现场.png", bytes: png });
    expect(again).toEqual({ id: first.id, existing: true });
    const [stored] = await db.select().from(frontlineAttachments).where(eq(frontlineAttachments.recordId, id));
    expect(stored).toMatchObject({ fileName: "现场.png", contentType: "image/png", byteSize: png.byteLength });

    const script = new TextEncoder().encode("<script>alert(1)</script>");
    expect((await domainError(addAttachment(db, u.cadreB!, id, { name: "photo.jpg", bytes: script }))).messageKey).toBe(
      "frontline.attachments.badType",
    );
    const huge = new Uint8Array(5 * 1024 * 1024 + 1);
    huge.set(png);
    expect((await domainError(addAttachment(db, u.cadreB!, id, { name: "big.png", bytes: huge }))).messageKey).toBe(
      "frontline.attachments.tooLarge",
    );

    expect((await getAttachment(db, u.headB!, id, first.id)).contentType).toBe("image/png");
    expect((await domainError(getAttachment(db, u.headA!, id, first.id))).label).toBe("not_found");
    expect((await domainError(getAttachment(db, u.cadreA!, id, first.id))).label).toBe("not_found");
    expect((await domainError(addAttachment(db, u.cadreA!, id, { name: "x.png", bytes: png }))).label).toBe("not_found");

    await removeAttachment(db, u.cadreB!, id, first.id);
    await removeAttachment(db, u.cadreB!, id, first.id);
    expect(await db.select().from(frontlineAttachments).where(eq(frontlineAttachments.recordId, id))).toEqual([]);
  });
});
