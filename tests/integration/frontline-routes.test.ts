import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { addAttachment } from "~/modules/frontline/attachments.server";
import { FRONTLINE_RULES_KEY } from "~/modules/frontline/settings.server";
import * as home from "~/routes/frontline._index";
import * as record from "~/routes/frontline.$recordId";
import * as attachment from "~/routes/frontline.$recordId_.attachments.$attachmentId";
import * as recordEdit from "~/routes/frontline.$recordId_.edit";
import * as cadrePage from "~/routes/frontline.cadres.$cadreId";
import * as newRecord from "~/routes/frontline.new";
import * as overview from "~/routes/frontline.overview";
import * as overviewExport from "~/routes/frontline.overview_.export";
import * as settingsPage from "~/routes/frontline.settings";
import * as unitPage from "~/routes/frontline.units.$unitId";
import * as unitExport from "~/routes/frontline.units.$unitId_.export";
import * as verify from "~/routes/frontline.verify";
import { auditLog, frontlineRecords, settings } from "~db/schema";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

/**
 * Who reaches which frontline page, and who is refused: 302 to sign in, 403 for a role that may not
 * use the page, 404 for a record, cadre or unit outside the caller's scope (ids typed into the URL
 * included). Then the actions' refusals and the exports.
 */
const conn = await testDatabase();
const db = conn.db;

const WHO = ["anonymous", "orgAdmin", "systemAdmin", "headA", "headB", "cadreA1", "cadreB"] as const;
type Who = (typeof WHO)[number];
const cookies = {} as Record<Who, string | undefined>;
const ids = {} as Record<"A" | "B" | "cadreA1" | "cadreB" | "submittedA1" | "draftA1" | "submittedB" | "attachmentA1", number>;

beforeAll(async () => {
  const city = await createUnit(db, { code: "RCITY", name: "示范市", kind: "other" });
  ids.A = (await createUnit(db, { code: "RA", name: "市教育局", parentId: city.id })).id;
  const a1 = (await createUnit(db, { code: "RA1", name: "市第一中学", parentId: ids.A })).id;
  ids.B = (await createUnit(db, { code: "RB", name: "市财政局", parentId: city.id })).id;
  const account = async (who: Who, unitId: number | null, roles: ("org_admin" | "system_admin")[] = []) => {
    const cadre = unitId ? await createCadre(db, { unitId, staffNo: `R${who}`, rank: "deputy_county" }) : null;
    const user = await createUser(db, { cadreId: cadre?.id ?? null, roles, disabled: false });
    cookies[who] = await cookieFor(db, user.id);
    return { cadre, user };
  };
  await account("orgAdmin", city.id, ["org_admin"]);
  await account("systemAdmin", null, ["system_admin"]);
  const headA = await account("headA", ids.A);
  const headB = await account("headB", ids.B);
  const cadreA1 = await account("cadreA1", a1);
  const cadreB = await account("cadreB", ids.B);
  await makeHead(db, ids.A, headA.cadre!.id);
  await makeHead(db, ids.B, headB.cadre!.id);
  ids.cadreA1 = cadreA1.cadre!.id;
  ids.cadreB = cadreB.cadre!.id;
  const submitted = { status: "submitted" as const, startDate: "2026-03-02", endDate: "2026-03-04" };
  ids.submittedA1 = (await createFrontlineRecord(db, { cadreId: ids.cadreA1, ...submitted, submittedByUserId: cadreA1.user.id })).id;
  ids.draftA1 = (await createFrontlineRecord(db, { cadreId: ids.cadreA1, startDate: "2026-03-10" })).id;
  ids.submittedB = (await createFrontlineRecord(db, { cadreId: ids.cadreB, ...submitted, submittedByUserId: cadreB.user.id })).id;
  const caller = (await loadCurrentUser(db, cadreA1.user.id, "t"))!;
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
  ids.attachmentA1 = (await addAttachment(db, caller, ids.draftA1, { name: "a.png", bytes: png })).id;
  cookies.anonymous = undefined;
});

type Status = 200 | 302 | 400 | 403 | 404;
const all = (status: Status, overrides: Partial<Record<Who, Status>> = {}) =>
  Object.fromEntries(WHO.map((w) => [w, w === "anonymous" ? 302 : (overrides[w] ?? status)])) as Record<Who, Status>;

type RouteFn = Parameters<typeof callRoute>[0];
interface Case {
  path: () => string;
  params: () => Record<string, string>;
  module: { loader?: RouteFn };
  expected: Record<Who, Status>;
}
const p = (path: string, params: Record<string, string> = {}) => ({ path: () => path, params: () => params });

const CASES: [string, () => Case][] = [
  ["/frontline", () => ({ ...p("/frontline"), module: home, expected: all(200, { systemAdmin: 403 }) })],
  ["/frontline/new", () => ({ ...p("/frontline/new"), module: newRecord, expected: all(200, { systemAdmin: 403 }) })],
  [
    "a submitted record of A1",
    () => ({
      ...p(`/frontline/${ids.submittedA1}`, { recordId: String(ids.submittedA1) }),
      module: record,
      expected: all(404, { orgAdmin: 200, headA: 200, cadreA1: 200 }),
    }),
  ],
  [
    "a submitted record of B",
    () => ({
      ...p(`/frontline/${ids.submittedB}`, { recordId: String(ids.submittedB) }),
      module: record,
      expected: all(404, { orgAdmin: 200, headB: 200, cadreB: 200 }),
    }),
  ],
  ["a record id that is not a number", () => ({ ...p("/frontline/abc", { recordId: "abc" }), module: record, expected: all(404) })],
  ["a record that does not exist", () => ({ ...p("/frontline/999999", { recordId: "999999" }), module: record, expected: all(404) })],
  [
    "editing a draft of A1",
    () => ({
      ...p(`/frontline/${ids.draftA1}/edit`, { recordId: String(ids.draftA1) }),
      module: recordEdit,
      expected: all(404, { orgAdmin: 200, headA: 200, cadreA1: 200 }),
    }),
  ],
  [
    "editing a submitted record goes back to its page",
    () => ({
      ...p(`/frontline/${ids.submittedA1}/edit`, { recordId: String(ids.submittedA1) }),
      module: recordEdit,
      expected: all(404, { orgAdmin: 302, headA: 302, cadreA1: 302 }),
    }),
  ],
  [
    "the verification queue",
    () => ({ ...p("/frontline/verify"), module: verify, expected: all(403, { orgAdmin: 200, headA: 200, headB: 200 }) }),
  ],
  [
    "a cadre's frontline page",
    () => ({
      ...p(`/frontline/cadres/${ids.cadreA1}`, { cadreId: String(ids.cadreA1) }),
      module: cadrePage,
      expected: all(404, { orgAdmin: 200, headA: 200, cadreA1: 302 }),
    }),
  ],
  [
    "unit A's report",
    () => ({
      ...p(`/frontline/units/${ids.A}`, { unitId: String(ids.A) }),
      module: unitPage,
      expected: all(403, { orgAdmin: 200, headA: 200, headB: 404 }),
    }),
  ],
  [
    "unit A's export",
    () => ({
      ...p(`/frontline/units/${ids.A}/export?table=cadres`, { unitId: String(ids.A) }),
      module: unitExport,
      expected: all(403, { orgAdmin: 200, headA: 200, headB: 404 }),
    }),
  ],
  [
    "a unit id typed by hand",
    () => ({
      ...p("/frontline/units/1e3", { unitId: "1e3" }),
      module: unitPage,
      expected: all(403, { orgAdmin: 404, headA: 404, headB: 404 }),
    }),
  ],
  ["the overview", () => ({ ...p("/frontline/overview"), module: overview, expected: all(403, { orgAdmin: 200 }) })],
  [
    "the overview export",
    () => ({ ...p("/frontline/overview/export?format=xlsx"), module: overviewExport, expected: all(403, { orgAdmin: 200 }) }),
  ],
  ["the settings", () => ({ ...p("/frontline/settings"), module: settingsPage, expected: all(403, { orgAdmin: 200 }) })],
  [
    "an attachment of A1's draft",
    () => ({
      ...p(`/frontline/${ids.draftA1}/attachments/${ids.attachmentA1}`, {
        recordId: String(ids.draftA1),
        attachmentId: String(ids.attachmentA1),
      }),
      module: attachment,
      expected: all(404, { orgAdmin: 200, headA: 200, cadreA1: 200 }),
    }),
  ],
  [
    "an attachment asked for under another record",
    () => ({
      ...p(`/frontline/${ids.submittedB}/attachments/${ids.attachmentA1}`, {
        recordId: String(ids.submittedB),
        attachmentId: String(ids.attachmentA1),
      }),
      module: attachment,
      expected: all(404),
    }),
  ],
];

describe.each(CASES)("%s", (_, make) => {
  it.each(WHO)("%s", async (who) => {
    const c = make();
    const result = await callRoute(c.module.loader, makeRequest(c.path(), { cookie: cookies[who] }), c.params());
    expect(result.status).toBe(c.expected[who]);
  });
});

const post = (
  module: { action?: RouteFn },
  path: string,
  who: Who,
  form: Record<string, string | string[]>,
  params: Record<string, string> = {},
) => callRoute(module.action, makeRequest(path, { cookie: cookies[who], form }), params);

describe("actions", () => {
  const onRecord = (who: Who, id: number, form: Record<string, string>) =>
    post(record, `/frontline/${id}`, who, form, { recordId: String(id) });

  it("only the unit's head or an org admin decides, never the cadre; a return needs a comment", async () => {
    const id = ids.submittedA1;
    expect((await onRecord("cadreA1", id, { intent: "verify" })).status).toBe(403);
    expect((await onRecord("headB", id, { intent: "verify" })).status).toBe(404);
    expect((await onRecord("cadreB", id, { intent: "return", comment: "x" })).status).toBe(404);
    expect((await onRecord("systemAdmin", id, { intent: "verify" })).status).toBe(404);
    expect((await onRecord("anonymous", id, { intent: "verify" })).status).toBe(302);
    const noComment = await onRecord("headA", id, { intent: "return", comment: "  " });
    expect(noComment.status).toBe(400);
    expect((noComment.data as { errors: Record<string, string[]> }).errors.comment).toEqual(["frontline.validation.commentRequired"]);
    expect((await db.select().from(frontlineRecords).where(eq(frontlineRecords.id, id)))[0]!.status).toBe("submitted");

    const queue = await post(verify, "/frontline/verify", "cadreA1", { intent: "bulkVerify", recordIds: [String(id)] });
    expect(queue.status).toBe(403);
    const elsewhere = await post(verify, "/frontline/verify", "headB", { intent: "bulkVerify", recordIds: [String(id)] });
    expect(elsewhere.data).toMatchObject({ ok: true, verified: 0, skipped: 1 });

    const done = await onRecord("headA", id, { intent: "verify" });
    expect(done).toMatchObject({ status: 302, location: `/frontline/${id}?done=verified` });
    expect((await onRecord("headA", id, { intent: "verify" })).status).toBe(302);
    expect((await onRecord("headA", id, { intent: "return", comment: "晚了" })).status).toBe(409);
  });

  it("evidence files: uploaded by whoever may edit, a wrong type refused beside the field", async () => {
    const upload = (who: Who, bytes: Uint8Array<ArrayBuffer>, name: string) => {
      const form = new FormData();
      form.set("intent", "attach");
      form.set("file", new File([bytes], name));
      return callRoute(record.action, makeRequest(`/frontline/${ids.draftA1}`, { cookie: cookies[who], form }), {
        recordId: String(ids.draftA1),
      });
    };
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    expect(await upload("cadreA1", jpeg, "现场.jpg")).toMatchObject({ status: 302, location: `/frontline/${ids.draftA1}?done=attached` });
    expect((await upload("headB", jpeg, "x.jpg")).status).toBe(404);
    const html = await upload("cadreA1", new Uint8Array(new TextEncoder().encode("<html><script>alert(1)</script>")), "photo.jpg");
    expect(html.status).toBe(400);
    expect((html.data as { errors: Record<string, { key: string }[]> }).errors.file![0]!.key).toBe("frontline.attachments.badType");
    const served = (await attachment.loader({
      request: makeRequest(`/frontline/${ids.draftA1}/attachments/${ids.attachmentA1}`, { cookie: cookies.headA }),
      params: { recordId: String(ids.draftA1), attachmentId: String(ids.attachmentA1) },
      context: {},
    })) as Response;
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("a cadre cannot record for someone else by staff number; bad input is refused beside the field", async () => {
    const path = "/frontline/new";
    const base = { category: "petition", place: "某地", startDate: "2026-04-01", endDate: "2026-04-02", summary: "内容" };
    const other = await post(newRecord, path, "cadreA1", { ...base, staffNo: "RcadreB" });
    expect(other.status).toBe(400);
    expect((other.data as { errors: Record<string, unknown[]> }).errors.staffNo).toBeDefined();
    const bad = await post(newRecord, path, "cadreA1", {
      ...base,
      category: "castle",
      endDate: "2026-03-01",
      links: "javascript:alert(1)",
    });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { errors: Record<string, unknown> }).errors).sort()).toEqual(["category", "endDate", "links"]);
    const ok = await post(newRecord, path, "cadreA1", { ...base, intent: "submit" });
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(/^\/frontline\/\d+\?done=submitted$/);
    const twice = await post(newRecord, path, "cadreA1", { ...base, intent: "submit" });
    expect(twice.location).toBe(ok.location!.replace("submitted", "existing"));
  });

  it("settings: org admins only, bad input changes nothing, a change is audited", async () => {
    const form = { quotaLeading: "6", quotaSection: "2", quotaStaff: "0", eligibilityMinDays: "120" };
    expect((await post(settingsPage, "/frontline/settings", "headA", form)).status).toBe(403);
    const bad = await post(settingsPage, "/frontline/settings", "orgAdmin", { ...form, quotaLeading: "40", eligibilityMinDays: "1.5" });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { errors: Record<string, unknown> }).errors).sort()).toEqual(["eligibilityMinDays", "quotaLeading"]);
    expect(await db.select().from(settings).where(eq(settings.key, FRONTLINE_RULES_KEY))).toEqual([]);
    expect((await post(settingsPage, "/frontline/settings", "orgAdmin", form)).status).toBe(200);
    const [stored] = await db.select().from(settings).where(eq(settings.key, FRONTLINE_RULES_KEY));
    expect(stored!.value).toEqual({ monthlyQuota: { leading: 6, section: 2, staff: 0 }, eligibilityMinDays: 120 });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "frontline.rules_changed"));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.before).toEqual({ monthlyQuota: { leading: 5, section: 0, staff: 0 }, eligibilityMinDays: 90 });
    // Saving the same values again writes nothing.
    await post(settingsPage, "/frontline/settings", "orgAdmin", form);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "frontline.rules_changed"))).toHaveLength(1);
  });
});

describe("exports equal the page", () => {
  it("the unit table as CSV has the page's columns and a BOM; the overview as XLSX", async () => {
    await createFrontlineRecord(db, {
      cadreId: ids.cadreA1,
      status: "verified",
      startDate: "2026-04-06",
      endDate: "2026-04-08",
      place: "四月记录",
    });
    const request = makeRequest(`/frontline/units/${ids.A}/export?table=cadres&format=csv&from=2026-01&to=2026-04`, {
      cookie: cookies.headA,
    });
    const response = (await unitPage.loader({ request, params: { unitId: String(ids.A) }, context: {} })) as Awaited<
      ReturnType<typeof unitPage.loader>
    >;
    const exported = (await unitExport.loader({ request, params: { unitId: String(ids.A) }, context: {} })) as Response;
    expect(exported.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await exported.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(header).toBe(`工号,姓名,单位,职级,每月定额,2026-01,2026-02,2026-03,2026-04,合计,未达标月数,缺口天数`);
    expect(lines.length).toBe(response.cadres.length);
    const a1 = lines.find((l) => l.startsWith("RcadreA1,"))!;
    // March: the record verified above; April: this one.
    expect(a1.split(",").slice(5, 10)).toEqual(["0", "0", "3", "3", "6"]);

    const xlsx = (await overviewExport.loader({
      request: makeRequest("/frontline/overview/export?format=xlsx", { cookie: cookies.orgAdmin }),
      params: {},
      context: {},
    })) as Response;
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });
});
