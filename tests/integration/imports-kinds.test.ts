import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "~/modules/audit/service.server";
import { COUNTS } from "~/modules/imports/kinds";
import { countActions, type ImportKindHandler, importReason, registerImportKind } from "~/modules/imports/registry.server";
import * as index from "~/routes/admin.imports._index";
import * as batchPage from "~/routes/admin.imports.$batchId";
import * as progress from "~/routes/admin.imports.$batchId.progress";
import * as rejected from "~/routes/admin.imports.$batchId.rejected";
import * as template from "~/routes/admin.imports.template.$kind";
import { auditLog, importBatches } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/**
 * A kind for venue staff, registered here as a capability would register its own: the upload page, the
 * batch page, confirming, progress and templates serve it, and keep it and the organization
 * department's kinds apart.
 */
interface TallyRow {
  row: number;
  staffNo: string;
  minutes: number;
}
type TallyPlan = { rows: TallyRow[]; session: string };
/** Whether each plan saw the whole organization: a kind restricted by scope gets the caller's. */
const plannedWithAll: boolean[] = [];

const tallyImport: ImportKindHandler<TallyRow, TallyPlan> = {
  kind: "tally",
  labelKey: "test.tally",
  roles: ["venue_staff"],
  columns: [
    { field: "staffNo", zh: "工号", en: "staff_no", aliases: [], required: true },
    { field: "minutes", zh: "分钟", en: "minutes", aliases: [], required: true },
  ],
  keyField: "staffNo",
  params: [{ name: "session", labelKey: "test.session", required: true }],
  counts: [COUNTS.create],
  normalise(r) {
    const staffNo = r.required("staffNo", 50);
    const minutes = Number(r.text("minutes"));
    if (!Number.isInteger(minutes)) r.problem("minutes", "imports.errors.required");
    return { staffNo, minutes };
  },
  async plan(_db, rows, options) {
    plannedWithAll.push(options.scope.all);
    const items = rows.map((row) => ({ row, action: "create" }));
    return {
      problems: [],
      changes: rows.map((r) => ({ row: r.row, key: r.staffNo, name: `${r.minutes}`, action: "create", fields: [] })),
      counts: countActions(items, tallyImport.counts),
      plan: { rows, session: options.params.session! },
    };
  },
  async apply(tx, plan, ctx) {
    await audit(
      tx,
      ctx.actor,
      plan.rows.map((r) => ({
        action: "attendance.imported",
        entityType: "tally",
        entityId: r.staffNo,
        after: { session: plan.session, minutes: r.minutes },
        reason: importReason(ctx.batchId),
      })),
    );
    await ctx.progress(plan.rows.length);
  },
};
registerImportKind(tallyImport);

let adminCookie: string;
let staffCookie: string;
let otherStaffCookie: string;
beforeAll(async () => {
  adminCookie = await cookieFor(db, (await createUser(db, { password: "admin-password", roles: ["org_admin"] })).id);
  staffCookie = await cookieFor(db, (await createUser(db, { password: "staff-password", roles: ["venue_staff"] })).id);
  otherStaffCookie = await cookieFor(db, (await createUser(db, { password: "staff-password", roles: ["venue_staff"] })).id);
});

function upload(kind: string, content: string, params: Record<string, string> = {}) {
  const form = new FormData();
  form.append("kind", kind);
  for (const [name, value] of Object.entries(params)) form.append(`param.${name}`, value);
  form.append("file", new File([content], "tally.csv"));
  return form;
}
const post = (cookie: string, form: FormData) => callRoute<any>(index.action, makeRequest("/admin/imports", { cookie, form }));
const batchCount = async () => (await db.select({ n: count() }).from(importBatches))[0]!.n;

describe("the upload page serves the kinds a user's roles allow", () => {
  it("lists only those kinds, and only their batches", async () => {
    const staffPage = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie: staffCookie }));
    expect(staffPage.status).toBe(200);
    expect(staffPage.data.kinds.map((k: { kind: string }) => k.kind)).toContain("tally");
    expect(staffPage.data.kinds.find((k: { kind: string }) => k.kind === "tally").params).toEqual([
      { name: "session", labelKey: "test.session", required: true },
    ]);
    const adminPage = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie: adminCookie }));
    const adminKinds = adminPage.data.kinds.map((k: { kind: string }) => k.kind);
    expect(adminKinds.slice(0, 2)).toEqual(["units", "cadres"]);
    expect(adminKinds).not.toContain("tally");
  });

  it("refuses with 403 a kind the user's roles may not use, either way round, and stores nothing", async () => {
    expect((await post(adminCookie, upload("tally", "工号,分钟\nA,5\n", { session: "S1" }))).status).toBe(403);
    expect((await post(staffCookie, upload("units", "code,name,kind\nX,甲,部门\n"))).status).toBe(403);
    const get = (path: string, params: Record<string, string>, cookie = staffCookie) =>
      callRoute(template.loader, makeRequest(path, { cookie }), params);
    expect((await get("/admin/imports/template/units", { kind: "units" })).status).toBe(403);
    expect((await get("/admin/imports/template/tally", { kind: "tally" }, adminCookie)).status).toBe(403);
    expect((await get("/admin/imports/template/nope", { kind: "nope" })).status).toBe(404);
    expect(await batchCount()).toBe(0);
  });

  it("answers an unknown kind, or a missing parameter, beside its field", async () => {
    const unknown = await post(staffCookie, upload("people", "a\n1\n"));
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors.kind).toEqual(["imports.errors.kind"]);
    const noSession = await post(staffCookie, upload("tally", "工号,分钟\nA,5\n"));
    expect(noSession.status).toBe(400);
    expect(noSession.data.errors["param.session"]).toEqual(["imports.errors.paramRequired"]);
    expect(await batchCount()).toBe(0);
  });

  it("previews, confirms with the upload's parameters, and keeps the batch from other roles", async () => {
    const sent = await post(staffCookie, upload("tally", "\uFEFF工号,分钟\nT1,45\nT2,30\n", { session: " S-2026-07 " }));
    expect(sent.status).toBe(302);
    const id = sent.location!.split("/").pop()!;
    const page = await callRoute<any>(batchPage.loader, makeRequest(sent.location!, { cookie: staffCookie }), { batchId: id });
    expect(page.data).toMatchObject({
      kind: { kind: "tally", labelKey: "test.tally", counts: [{ key: "create" }] },
      counts: { rows: 2, create: 2, errors: 0 },
      totalChanges: 2,
    });
    // Someone else's batch does not exist for them: the organization department (another kind's) and,
    // above all, another venue's staff, who may import this kind but did not upload this file.
    for (const cookie of [adminCookie, otherStaffCookie]) {
      expect((await callRoute(batchPage.loader, makeRequest(sent.location!, { cookie }), { batchId: id })).status).toBe(404);
      for (const intent of ["confirm", "discard"]) {
        const attempt = makeRequest(sent.location!, { cookie, form: { intent } });
        expect((await callRoute(batchPage.action, attempt, { batchId: id })).status).toBe(404);
      }
      expect((await callRoute(progress.loader, makeRequest(`${sent.location}/progress`, { cookie }), { batchId: id })).status).toBe(404);
      const list = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie }));
      expect(list.data.batches).toEqual([]);
    }
    expect(
      (
        await db
          .select({ status: importBatches.status })
          .from(importBatches)
          .where(eq(importBatches.id, Number(id)))
      )[0]!.status,
    ).toBe("previewed");

    const confirm = makeRequest(sent.location!, { cookie: staffCookie, form: { intent: "confirm" } });
    const applied = await callRoute<any>(batchPage.action, confirm, { batchId: id });
    expect(applied.data.outcome).toEqual({ status: "applied", alreadyApplied: false, counts: { rows: 2, create: 2, errors: 0 } });
    const entries = await db
      .select({ after: auditLog.after, reason: auditLog.reason })
      .from(auditLog)
      .where(and(eq(auditLog.action, "attendance.imported"), eq(auditLog.entityId, "T1")));
    expect(entries).toEqual([{ after: { session: "S-2026-07", minutes: 45 }, reason: `import #${id}` }]);
    const [done] = await db.select({ after: auditLog.after }).from(auditLog).where(eq(auditLog.action, "import.applied"));
    expect(done!.after).toMatchObject({ kind: "tally", params: { session: "S-2026-07" } });
    // The preview and the check when confirming both planned with the venue staff member's own scope.
    expect(plannedWithAll).toEqual([false, false]);
    const progressRes = await callRoute(progress.loader, makeRequest(`${sent.location}/progress`, { cookie: staffCookie }), {
      batchId: id,
    });
    expect(progressRes.status).toBe(200);

    const adminList = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie: adminCookie }));
    expect(adminList.data.batches).toEqual([]);
  });

  it("gives the marked-up file of a rejected upload to its uploader only, and leaves it to them to discard", async () => {
    const sent = await post(staffCookie, upload("tally", "工号,分钟\nT1,45\nT2,很多\n", { session: "S-2026-08" }));
    expect(sent.status).toBe(302);
    const id = sent.location!.split("/").pop()!;
    const file = (cookie: string) => callRoute(rejected.loader, makeRequest(`${sent.location}/rejected`, { cookie }), { batchId: id });
    for (const cookie of [adminCookie, otherStaffCookie]) {
      expect((await file(cookie)).status).toBe(404);
      const discard = makeRequest(sent.location!, { cookie, form: { intent: "discard" } });
      expect((await callRoute(batchPage.action, discard, { batchId: id })).status).toBe(404);
    }
    const own = await file(staffCookie);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toContain("spreadsheetml");
    const discard = makeRequest(sent.location!, { cookie: staffCookie, form: { intent: "discard" } });
    await callRoute(batchPage.action, discard, { batchId: id });
    const [batch] = await db
      .select({ status: importBatches.status })
      .from(importBatches)
      .where(eq(importBatches.id, Number(id)));
    expect(batch!.status).toBe("discarded");
  });
});
