import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as index from "~/routes/admin.imports._index";
import * as batchPage from "~/routes/admin.imports.$batchId";
import * as progress from "~/routes/admin.imports.$batchId.progress";
import * as template from "~/routes/admin.imports.template.$kind";
import { importBatches, units } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

let adminCookie: string;
let cadreCookie: string;
beforeAll(async () => {
  const unit = await createUnit(db, { code: "RT-U" });
  const cadre = await createCadre(db, { unitId: unit.id });
  cadreCookie = await cookieFor(db, (await createUser(db, { cadreId: cadre.id, password: "cadre-password" })).id);
  adminCookie = await cookieFor(db, (await createUser(db, { password: "admin-password", roles: ["org_admin"] })).id);
});

function upload(kind: string, name: string, content: string) {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new File([content], name));
  return form;
}

describe("access", () => {
  it("answers 403 to anyone but the organization department, on every import route", async () => {
    const params = { batchId: "1", kind: "units" };
    const get = (path: string) => makeRequest(path, { cookie: cadreCookie });
    expect((await callRoute(index.loader, get("/admin/imports"))).status).toBe(403);
    expect((await callRoute(batchPage.loader, get("/admin/imports/1"), params)).status).toBe(403);
    expect((await callRoute(progress.loader, get("/admin/imports/1/progress"), params)).status).toBe(403);
    expect((await callRoute(template.loader, get("/admin/imports/template/units"), params)).status).toBe(403);
    const post = makeRequest("/admin/imports", { cookie: cadreCookie, form: upload("units", "u.csv", "code,name,kind\nX,甲,部门\n") });
    expect((await callRoute(index.action, post)).status).toBe(403);
    const confirm = makeRequest("/admin/imports/1", { cookie: cadreCookie, form: { intent: "confirm" } });
    expect((await callRoute(batchPage.action, confirm, params)).status).toBe(403);
    expect((await db.select({ n: count() }).from(importBatches))[0]!.n).toBe(0);
  });

  it("sends someone not signed in to the login page", async () => {
    const res = await callRoute(index.loader, makeRequest("/admin/imports"));
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login/);
  });
});

describe("upload", () => {
  it("shows what is wrong with a bad file beside the file field and stores nothing", async () => {
    const cases: [FormData, string][] = [
      [upload("units", "units.txt", "code,name,kind\n"), "imports.errors.fileType"],
      [upload("units", "units.csv", ""), "imports.errors.emptyFile"],
      [upload("units", "units.xlsx", "code,name,kind\nA,甲,部门\n"), "imports.errors.unreadable"],
      [upload("cadres", "cadres.csv", "工号,姓名\nA,甲\n"), "imports.errors.missingHeader"],
    ];
    for (const [form, key] of cases) {
      const res = await callRoute<any>(index.action, makeRequest("/admin/imports", { cookie: adminCookie, form }));
      expect(res.status).toBe(400);
      expect(res.data.errors.file[0].key ?? res.data.errors.file[0]).toBe(key);
    }
    const noFile = new FormData();
    noFile.append("kind", "units");
    const res = await callRoute<any>(index.action, makeRequest("/admin/imports", { cookie: adminCookie, form: noFile }));
    expect(res.data.errors.file).toEqual(["imports.errors.fileRequired"]);
    const badKind = await callRoute<any>(
      index.action,
      makeRequest("/admin/imports", { cookie: adminCookie, form: upload("people", "p.csv", "a\n1\n") }),
    );
    expect(badKind.data.errors.kind).toEqual(["imports.errors.kind"]);
    expect((await db.select({ n: count() }).from(importBatches))[0]!.n).toBe(0);
  });

  it("refuses an oversized upload from its declared length, before reading it", async () => {
    const request = makeRequest("/admin/imports", { cookie: adminCookie, form: upload("units", "u.csv", "x") });
    const big = new Request(request, { headers: new Headers([...request.headers, ["content-length", String(50 * 1024 * 1024)]]) });
    const res = await callRoute<any>(index.action, big);
    expect(res.status).toBe(400);
    expect(res.data.errors.file).toEqual(["imports.errors.fileTooLarge"]);
  });

  it("previews row problems, then confirms a clean file and shows the result", async () => {
    const bad = await callRoute(
      index.action,
      makeRequest("/admin/imports", {
        cookie: adminCookie,
        form: upload("units", "units.csv", "code,name,kind\nRT-A,甲,部门\nRT-B,乙,学校\n"),
      }),
    );
    expect(bad.status).toBe(302);
    const badId = bad.location!.split("/").pop()!;
    const badPage = await callRoute<any>(batchPage.loader, makeRequest(bad.location!, { cookie: adminCookie }), { batchId: badId });
    expect(badPage.data.errors).toEqual([{ row: 3, column: "kind", messageKey: "imports.errors.unknownKind", params: { value: "学校" } }]);
    const refused = await callRoute<any>(
      batchPage.action,
      makeRequest(bad.location!, { cookie: adminCookie, form: { intent: "confirm" } }),
      { batchId: badId },
    );
    expect(refused.data.outcome.status).toBe("invalid");
    expect(await db.select().from(units).where(eq(units.code, "RT-A"))).toEqual([]);

    const good = await callRoute(
      index.action,
      makeRequest("/admin/imports", {
        cookie: adminCookie,
        form: upload("units", "units.csv", "\uFEFF单位编码,单位名称,上级单位编码,单位类别,备注\nRT-A,甲,RT-U,部门,x\nRT-B,乙,,镇街,\n"),
      }),
    );
    const id = good.location!.split("/").pop()!;
    const page = await callRoute<any>(batchPage.loader, makeRequest(good.location!, { cookie: adminCookie }), { batchId: id });
    expect(page.data).toMatchObject({
      batch: { status: "previewed", fileName: "units.csv" },
      counts: { rows: 2, create: 2, errors: 0 },
      ignoredColumns: ["备注"],
      totalChanges: 2,
    });
    const applied = await callRoute<any>(
      batchPage.action,
      makeRequest(good.location!, { cookie: adminCookie, form: { intent: "confirm" } }),
      { batchId: id },
    );
    expect(applied.data.outcome).toEqual({ status: "applied", alreadyApplied: false, counts: expect.objectContaining({ create: 2 }) });
    const [a] = await db.select().from(units).where(eq(units.code, "RT-A"));
    expect(a!.kind).toBe("department");

    const progressRes = await callRoute(progress.loader, makeRequest(`${good.location}/progress`, { cookie: adminCookie }), {
      batchId: id,
    });
    expect(progressRes.status).toBe(200);
    const after = await callRoute<any>(batchPage.loader, makeRequest(good.location!, { cookie: adminCookie }), { batchId: id });
    expect(after.data.batch.status).toBe("applied");
    expect(after.data.applied.counts.create).toBe(2);

    // Discarding an applied batch is refused beside the form; discarding the bad one works.
    const noDiscard = await callRoute<any>(
      batchPage.action,
      makeRequest(good.location!, { cookie: adminCookie, form: { intent: "discard" } }),
      { batchId: id },
    );
    expect(noDiscard.status).toBe(409);
    const discard = await callRoute(batchPage.action, makeRequest(bad.location!, { cookie: adminCookie, form: { intent: "discard" } }), {
      batchId: badId,
    });
    expect(discard.location).toBe("/admin/imports");
    const list = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie: adminCookie }));
    expect(list.data.batches.map((b: { status: string }) => b.status)).toEqual(["applied", "discarded"]);
  });

  it("answers 404 for a batch that does not exist", async () => {
    const res = await callRoute(batchPage.loader, makeRequest("/admin/imports/99999", { cookie: adminCookie }), { batchId: "99999" });
    expect(res.status).toBe(404);
    const nonsense = await callRoute(batchPage.loader, makeRequest("/admin/imports/abc", { cookie: adminCookie }), { batchId: "abc" });
    expect(nonsense.status).toBe(404);
  });
});

describe("templates", () => {
  it("downloads a CSV with a BOM and the Chinese headers", async () => {
    const res = await template.loader({
      request: makeRequest("/admin/imports/template/cadres", { cookie: adminCookie }),
      params: { kind: "cadres" },
      context: {},
    });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toBe("工号,姓名,单位编码,职级,职务,邮箱,手机,单位负责人,任职日期\r\n");
  });
});
