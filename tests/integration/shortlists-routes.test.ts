import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { tableCsv } from "~/modules/rankings/tables";
import * as index from "~/routes/shortlists._index";
import * as roundPage from "~/routes/shortlists.$roundId";
import * as candidatePage from "~/routes/shortlists.$roundId_.cadres.$cadreId";
import * as editPage from "~/routes/shortlists.$roundId_.edit";
import * as exportRoute from "~/routes/shortlists.$roundId_.export";
import * as printPage from "~/routes/shortlists.$roundId_.print";
import * as newPage from "~/routes/shortlists.new";
import { shortlistNominations, shortlistRounds } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/**
 * The shortlist pages through their loaders and actions: who reaches what, what each sees, forms that
 * answer beside the field, and exports that say what the page says.
 */
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const A = await createUnit(db, { code: "RA", name: "甲局" });
  const B = await createUnit(db, { code: "RB", name: "乙局" });
  ids.A = A.id;
  ids.B = B.id;
  const cadre = async (key: string, unitId: number, rank: "staff" | "deputy_section" | "section" = "deputy_section") => {
    ids[key] = (await createCadre(db, { staffNo: `R-${key}`, name: `干部${key}`, unitId, rank })).id;
  };
  await cadre("hA", A.id, "section");
  await cadre("a1", A.id);
  await cadre("a2", A.id);
  await cadre("aStaff", A.id, "staff");
  await cadre("hB", B.id, "section");
  await cadre("lB", B.id);
  await cadre("b1", B.id);
  await cadre("org", B.id, "section");
  await makeHead(db, A.id, ids.hA!);
  await makeHead(db, B.id, ids.hB!);
  await addLiaison(db, B.id, ids.lB!);
  const account = async (key: string, cadreId: number | null, roles: ("org_admin" | "venue_staff")[] = []) => {
    const user = await createUser(db, { cadreId, roles, password: "a-long-password-1" });
    ids[`user_${key}`] = user.id;
    cookies[key] = await cookieFor(db, user.id);
  };
  await account("admin", ids.org!, ["org_admin"]);
  await account("head", ids.hA!);
  await account("liaison", ids.lB!);
  await account("cadre", ids.a1!);
  await account("staff", ids.b1!, ["venue_staff"]);
});

/** The body as written, BOM included (Response.text() drops it). */
const bodyOf = async (res: Response) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());

const get = (fn: unknown, path: string, who: string | null, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: who ? cookies[who] : undefined }), params);
const post = (fn: unknown, path: string, who: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: cookies[who], form }), params);

const roundForm = {
  name: "路由测试轮次",
  description: "",
  quota: "2",
  deadline: "2099-12-31T18:00",
  useMinRank: "on",
  minRank: "deputy_section",
};

describe("opening a round", () => {
  it("is for the organization department only", async () => {
    expect((await get(newPage.loader, "/shortlists/new", "admin")).status).toBe(200);
    for (const who of ["head", "liaison", "cadre", "staff"]) {
      expect((await get(newPage.loader, "/shortlists/new", who)).status).toBe(403);
      expect((await post(newPage.action, "/shortlists/new", who, roundForm)).status).toBe(403);
    }
    expect((await get(newPage.loader, "/shortlists/new", null)).location).toMatch(/^\/login/);
  });

  it("answers bad input beside each field, in keys the page translates, and creates nothing", async () => {
    const res = await post(newPage.action, "/shortlists/new", "admin", {
      name: " ",
      quota: "0",
      deadline: "明天",
      useAttendance: "on",
      attendanceRate: "0",
      attendanceQuarters: "9",
      useTopPercent: "on",
      topPercent: "101",
      topQuarters: "",
      useTrainingHours: "on",
      trainingYear: "26",
    });
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({
      name: ["validation.required"],
      quota: ["shortlists.validation.quota"],
      deadline: ["shortlists.validation.deadline"],
      attendanceRate: ["shortlists.validation.rate"],
      attendanceQuarters: ["shortlists.validation.quarters"],
      topPercent: ["shortlists.validation.percent"],
      topQuarters: ["shortlists.validation.quarters"],
      trainingYear: ["shortlists.validation.year"],
    });
    // A quota that is not a number at all stops zod's own refinements; the rules are checked all the same.
    const notNumber = await post(newPage.action, "/shortlists/new", "admin", {
      ...roundForm,
      quota: "abc",
      useTopPercent: "on",
      topPercent: "x",
      topQuarters: "2",
    });
    expect(notNumber.data.errors).toMatchObject({ quota: ["shortlists.validation.quota"], topPercent: ["shortlists.validation.percent"] });
    const past = await post(newPage.action, "/shortlists/new", "admin", { ...roundForm, deadline: "2020-01-01T18:00" });
    expect(past.data.errors.deadline).toEqual([{ key: "shortlists.validation.deadlinePast" }]);
    expect(await db.select().from(shortlistRounds)).toHaveLength(0);
  });

  it("stores the rules asked for, in Asia/Shanghai time, and edits them", async () => {
    const res = await post(newPage.action, "/shortlists/new", "admin", {
      ...roundForm,
      useAttendance: "on",
      attendanceRate: "87.5",
      attendanceQuarters: "2",
      useNoAccountability: "on",
    });
    expect(res.status).toBe(302);
    ids.round = Number(res.location!.split("/").pop());
    const [round] = await db.select().from(shortlistRounds).where(eq(shortlistRounds.id, ids.round));
    expect(round).toMatchObject({
      quota: 2,
      status: "open",
      rules: { minRank: "deputy_section", attendance: { minRate: 0.875, quarters: 2 }, noAccountability: true },
    });
    expect(round!.deadline.toISOString()).toBe("2099-12-31T10:00:00.000Z");
    expect((await get(editPage.loader, `/shortlists/${ids.round}/edit`, "head", { roundId: String(ids.round) })).status).toBe(403);
    const edit = await get(editPage.loader, `/shortlists/${ids.round}/edit`, "admin", { roundId: String(ids.round) });
    expect(edit.data.round.values).toMatchObject({ quota: "2", deadline: "2099-12-31T18:00" });
    expect((await post(editPage.action, `/shortlists/${ids.round}/edit`, "admin", roundForm, { roundId: String(ids.round) })).status).toBe(
      302,
    );
    expect((await db.select().from(shortlistRounds).where(eq(shortlistRounds.id, ids.round)))[0]!.rules).toEqual({
      minRank: "deputy_section",
    });
    expect((await get(editPage.loader, "/shortlists/999999/edit", "admin", { roundId: "999999" })).status).toBe(404);
  });
});

describe("the round pages by role", () => {
  const round = () => ({ roundId: String(ids.round) });

  it("are open to the department, heads and liaisons; a plain cadre and venue staff are refused", async () => {
    for (const who of ["admin", "head", "liaison"]) {
      expect((await get(index.loader, "/shortlists", who)).status).toBe(200);
      expect((await get(roundPage.loader, `/shortlists/${ids.round}`, who, round())).status).toBe(200);
    }
    for (const who of ["cadre", "staff"]) {
      expect((await get(index.loader, "/shortlists", who)).status).toBe(403);
      expect((await get(roundPage.loader, `/shortlists/${ids.round}`, who, round())).status).toBe(403);
      expect(
        (await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/${ids.a1}`, who, { ...round(), cadreId: String(ids.a1) })).status,
      ).toBe(403);
      expect((await get(exportRoute.loader, `/shortlists/${ids.round}/export?kind=evidence`, who, round())).status).toBe(403);
      expect((await get(printPage.loader, `/shortlists/${ids.round}/print`, who, round())).status).toBe(403);
      expect(
        (
          await post(
            candidatePage.action,
            `/shortlists/${ids.round}/cadres/${ids.a2}`,
            who,
            { intent: "nominate", recommendation: "x" },
            { ...round(), cadreId: String(ids.a2) },
          )
        ).status,
      ).toBe(403);
    }
    expect((await get(roundPage.loader, "/shortlists/999999", "admin", { roundId: "999999" })).status).toBe(404);
    expect((await get(roundPage.loader, "/shortlists/abc", "admin", { roundId: "abc" })).status).toBe(404);
  });

  it("show a head the cadres of their unit only, never themself, with links to the evidence", async () => {
    const page = await get(roundPage.loader, `/shortlists/${ids.round}`, "head", round());
    expect(page.data.admin).toBe(false);
    const names = page.data.candidates.table.rows.map((r: { value: unknown }[]) => r[1]!.value);
    expect(names.sort()).toEqual(["干部a1", "干部a2", "干部aStaff"]);
    expect(page.data.candidates.table.rows[0][1].href).toMatch(new RegExp(`^/shortlists/${ids.round}/cadres/\\d+$`));
    const all = await get(roundPage.loader, `/shortlists/${ids.round}?unit=${ids.B}`, "head", round());
    expect(all.data.candidates.table.rows).toEqual([]);
  });

  it("keep other units' cadres out of a head's reach: their pages do not exist", async () => {
    const params = (cadre: string) => ({ ...round(), cadreId: String(ids[cadre]) });
    expect((await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/${ids.b1}`, "head", params("b1"))).status).toBe(404);
    expect((await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/${ids.hA}`, "head", params("hA"))).status).toBe(404);
    expect((await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/${ids.a1}`, "head", params("a1"))).status).toBe(200);
    expect((await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/${ids.b1}`, "liaison", params("b1"))).status).toBe(200);
    expect((await get(candidatePage.loader, `/shortlists/${ids.round}/cadres/abc`, "admin", { ...round(), cadreId: "abc" })).status).toBe(
      404,
    );
    const res = await post(
      candidatePage.action,
      `/shortlists/${ids.round}/cadres/${ids.b1}`,
      "head",
      { intent: "nominate", recommendation: "推荐" },
      params("b1"),
    );
    expect(res.status).toBe(404);
    expect(await db.select().from(shortlistNominations)).toHaveLength(0);
  });
});

describe("nominating through the page", () => {
  const params = (cadre: string) => ({ roundId: String(ids.round), cadreId: String(ids[cadre]) });
  const path = (cadre: string) => `/shortlists/${ids.round}/cadres/${ids[cadre]}`;

  it("needs a recommendation, and an override for a cadre who fails a rule, keeping what was typed", async () => {
    const empty = await post(candidatePage.action, path("a1"), "head", { intent: "nominate", recommendation: "" }, params("a1"));
    expect(empty.status).toBe(400);
    expect(empty.data.errors.recommendation).toEqual(["validation.required"]);
    const noOverride = await post(
      candidatePage.action,
      path("aStaff"),
      "head",
      { intent: "nominate", recommendation: "表现突出" },
      params("aStaff"),
    );
    expect(noOverride.status).toBe(400);
    expect(noOverride.data.errors.overrideReason).toEqual([{ key: "shortlists.validation.overrideRequired" }]);
    expect(noOverride.data.typed.recommendation).toBe("表现突出");
    expect(await db.select().from(shortlistNominations)).toHaveLength(0);
  });

  it("creates one nomination however often it is sent", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(
        candidatePage.action,
        path("a1"),
        "head",
        { intent: "nominate", recommendation: "敢担当、善作为" },
        params("a1"),
      );
      expect(res.status).toBe(302);
    }
    await post(
      candidatePage.action,
      path("aStaff"),
      "head",
      { intent: "nominate", recommendation: "表现突出", overrideReason: "职级未到但实绩突出" },
      params("aStaff"),
    );
    await post(candidatePage.action, path("b1"), "liaison", { intent: "nominate", recommendation: "代负责人推荐" }, params("b1"));
    const rows = await db.select().from(shortlistNominations).where(eq(shortlistNominations.roundId, ids.round!));
    expect(rows.map((r) => r.cadreId).sort()).toEqual([ids.a1, ids.aStaff, ids.b1].sort());
    const page = await get(candidatePage.loader, path("aStaff"), "head", params("aStaff"));
    expect(page.data.detail.nomination).toMatchObject({ overrideReason: "职级未到但实绩突出", decision: null });
    expect(page.data.mayNominate).toBe(false);
    expect(page.data.mayWithdraw).toBe(true);
  });
});

describe("deciding and publishing through the page", () => {
  const path = () => `/shortlists/${ids.round}`;
  const params = () => ({ roundId: String(ids.round) });
  const nomination = async (cadre: string) =>
    (
      await db
        .select()
        .from(shortlistNominations)
        .where(and(eq(shortlistNominations.roundId, ids.round!), eq(shortlistNominations.cadreId, ids[cadre]!)))
    )[0]!;

  it("refuses decisions and publication to heads and liaisons", async () => {
    const a1 = await nomination("a1");
    for (const who of ["head", "liaison"]) {
      expect(
        (
          await post(
            roundPage.action,
            path(),
            who,
            { intent: "decide", nominationId: String(a1.id), decision: "shortlisted", reason: "好" },
            params(),
          )
        ).status,
      ).toBe(403);
      expect((await post(roundPage.action, path(), who, { intent: "publish", expectedVersion: "0" }, params())).status).toBe(403);
      expect(
        (
          await post(
            candidatePage.action,
            `${path()}/cadres/${ids.a1}`,
            who,
            { intent: "decide", nominationId: String(a1.id), decision: "shortlisted", reason: "好" },
            { ...params(), cadreId: String(ids.a1) },
          )
        ).status,
      ).toBe(403);
    }
    expect((await nomination("a1")).decision).toBeNull();
    // Heads see their nominations, not the department's decisions.
    const tab = await get(roundPage.loader, `${path()}?tab=nominations`, "head", params());
    expect(tab.data.nominations.rows.map((r: { name: string }) => r.name).sort()).toEqual(["干部a1", "干部aStaff"]);
  });

  it("answers a full quota beside the decision of that nomination", async () => {
    const decideAs = async (cadre: string, decision: string) =>
      post(
        roundPage.action,
        path(),
        "admin",
        { intent: "decide", nominationId: String((await nomination(cadre)).id), decision, reason: "经研究" },
        params(),
      );
    expect((await decideAs("a1", "shortlisted")).status).toBe(200);
    expect((await decideAs("b1", "shortlisted")).status).toBe(200);
    const full = await decideAs("aStaff", "shortlisted");
    expect(full.status).toBe(400);
    expect(full.data).toMatchObject({
      ok: false,
      nominationId: (await nomination("aStaff")).id,
      errors: { decision: [{ key: "shortlists.errors.quotaFull", params: { quota: 2 } }] },
    });
    const missing = await post(
      roundPage.action,
      path(),
      "admin",
      { intent: "decide", nominationId: String((await nomination("aStaff")).id), decision: "deferred", reason: "" },
      params(),
    );
    expect(missing.data.errors.reason).toEqual(["validation.required"]);
    expect((await decideAs("aStaff", "deferred")).status).toBe(200);
    const tab = await get(roundPage.loader, `${path()}?tab=nominations`, "admin", params());
    expect(tab.data.nominations.counts).toMatchObject({ active: 3, undecided: 0, shortlisted: 2, overrides: 1 });
  });

  it("publishes, then shows the frozen list; a print and the exports say the same", async () => {
    expect((await get(printPage.loader, `${path()}/print`, "admin", params())).status).toBe(404);
    expect((await get(exportRoute.loader, `${path()}/export?kind=list&format=csv`, "admin", params())).status).toBe(404);
    // The button leads to a confirmation that says what publishing does; nothing is published by it.
    const bare = await post(roundPage.action, path(), "admin", { intent: "publish", expectedVersion: "0" }, params());
    expect(bare.location).toBe(`/shortlists/${ids.round}?tab=nominations&confirm=publish`);
    const confirm = await get(roundPage.loader, `${path()}?tab=nominations&confirm=publish`, "admin", params());
    expect(confirm.data.preview).toMatchObject({
      version: 1,
      mayPublish: false,
      counts: { shortlisted: 2, deferred: 1, rejected: 0, undecided: 0 },
      adminRecipients: 1,
    });
    // The deadline is far off: publishing waits until nominations are closed, early and with a reason.
    const publish = { intent: "publish", expectedVersion: "0", confirm: "yes" };
    const early = await post(roundPage.action, path(), "admin", publish, params());
    expect(early.status).toBe(400);
    expect(early.data.errors.form).toEqual([{ key: "shortlists.errors.nominationsOpen" }]);
    expect((await post(roundPage.action, path(), "head", { intent: "closeNominations", reason: "提前" }, params())).status).toBe(403);
    const noReason = await post(roundPage.action, path(), "admin", { intent: "closeNominations", reason: "" }, params());
    expect(noReason.data.errors.reason).toEqual(["validation.required"]);
    const closed = await post(roundPage.action, path(), "admin", { intent: "closeNominations", reason: "市委常委会提前研究" }, params());
    expect(closed.location).toBe(`/shortlists/${ids.round}?tab=nominations&closed=1`);
    const roundNow = await get(roundPage.loader, path(), "admin", params());
    expect(roundNow.data.round).toMatchObject({ window: "closedEarly", nominationsClosedReason: "市委常委会提前研究" });
    expect((await get(roundPage.loader, `${path()}?tab=nominations&confirm=publish`, "admin", params())).data.preview.mayPublish).toBe(
      true,
    );

    const res = await post(roundPage.action, path(), "admin", publish, params());
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/shortlists/${ids.round}?tab=list&published=1`);
    const again = await post(roundPage.action, path(), "admin", publish, params());
    expect(again.location).toBe(`/shortlists/${ids.round}?tab=list&published=1`);

    const page = await get(roundPage.loader, path(), "admin", params());
    expect(page.data.tab).toBe("list");
    expect(page.data.list).toMatchObject({ version: 1, latest: true, counts: { count: 3, shortlisted: 2, deferred: 1, rejected: 0 } });
    const csv = await get(exportRoute.loader, `${path()}/export?kind=list&format=csv`, "admin", params());
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await bodyOf(
      await exportRoute.loader({
        request: makeRequest(`${path()}/export?kind=list&format=csv`, { cookie: cookies.admin }),
        params: params(),
        context: {},
      } as never),
    );
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text).toBe(tableCsv(page.data.list.table));
    const print = await get(printPage.loader, `${path()}/print`, "admin", params());
    expect(print.data.list.table).toEqual(page.data.list.table);
    expect(print.data.list.hash).toMatch(/^[0-9a-f]{64}$/);

    const xlsx = await exportRoute.loader({
      request: makeRequest(`${path()}/export?kind=list&format=xlsx`, { cookie: cookies.admin }),
      params: params(),
      context: {},
    } as never);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + page.data.list.table.rows.length);
    expect(sheet.getRow(2).getCell(4).value).toBe(page.data.list.table.rows[0][3].value);

    // A head: their unit's entries only, on the page, in the file and on paper.
    const head = await get(roundPage.loader, path(), "head", params());
    expect(head.data.list.table.rows.map((r: { value: unknown }[]) => r[3]!.value)).toEqual(["干部a1", "干部aStaff"]);
    const headCsv = await bodyOf(
      await exportRoute.loader({
        request: makeRequest(`${path()}/export?kind=list&format=csv`, { cookie: cookies.head }),
        params: params(),
        context: {},
      } as never),
    );
    expect(headCsv).toBe(tableCsv(head.data.list.table));
    expect(headCsv).not.toContain("干部b1");
  });

  it("exports the eligibility table as the page shows it, with the same filters", async () => {
    const page = await get(roundPage.loader, `${path()}?tab=candidates&eligible=1`, "admin", params());
    const text = await bodyOf(
      await exportRoute.loader({
        request: makeRequest(`${path()}/export?kind=evidence&format=csv&eligible=1`, { cookie: cookies.admin }),
        params: params(),
        context: {},
      } as never),
    );
    const withoutLinks = {
      ...page.data.candidates.table,
      rows: page.data.candidates.table.rows.map((r: { value: unknown }[]) => r.map((c) => ({ value: c.value }))),
    };
    expect(text).toBe(tableCsv(withoutLinks));
    expect(page.data.candidates.table.rows.length).toBeGreaterThan(0);
    expect(text).not.toContain("干部aStaff");
  });

  it("closes nominations once published", async () => {
    const res = await post(
      candidatePage.action,
      `${path()}/cadres/${ids.a2}`,
      "head",
      { intent: "nominate", recommendation: "晚了" },
      { ...params(), cadreId: String(ids.a2) },
    );
    expect(res.status).toBe(409);
    expect(res.data.errors.form).toEqual([{ key: "shortlists.errors.published" }]);
  });
});
