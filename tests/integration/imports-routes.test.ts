import { count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_IMPORT_BYTES } from "~/modules/imports/constants";
import { EXAMPLE_MARK } from "~/modules/imports/reader/layout";
import * as index from "~/routes/admin.imports._index";
import * as batchPage from "~/routes/admin.imports.$batchId";
import * as progress from "~/routes/admin.imports.$batchId.progress";
import * as rejected from "~/routes/admin.imports.$batchId.rejected";
import * as template from "~/routes/admin.imports.template.$kind";
import { importBatches, importFiles, units } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest, ORIGIN } from "../setup/routes";
import { assignStaff, createClassSession } from "./attendance-fixtures";

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

function upload(kind: string, name: string, content: string | Uint8Array, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append("kind", kind);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  form.append("file", new File([content as BlobPart], name));
  return form;
}
const batchCount = async () => (await db.select({ n: count() }).from(importBatches))[0]!.n;
const idOf = (location: string | null | undefined) => location!.split("/").pop()!;

describe("access", () => {
  it("answers 403 to anyone but the organization department, on every import route", async () => {
    const params = { batchId: "1", kind: "units" };
    const get = (path: string) => makeRequest(path, { cookie: cadreCookie });
    expect((await callRoute(index.loader, get("/admin/imports"))).status).toBe(403);
    expect((await callRoute(batchPage.loader, get("/admin/imports/1"), params)).status).toBe(403);
    expect((await callRoute(progress.loader, get("/admin/imports/1/progress"), params)).status).toBe(403);
    expect((await callRoute(rejected.loader, get("/admin/imports/1/rejected"), params)).status).toBe(403);
    expect((await callRoute(template.loader, get("/admin/imports/template/units"), params)).status).toBe(403);
    const post = makeRequest("/admin/imports", { cookie: cadreCookie, form: upload("units", "u.csv", "code,name,kind\nX,甲,部门\n") });
    expect((await callRoute(index.action, post)).status).toBe(403);
    const confirm = makeRequest("/admin/imports/1", { cookie: cadreCookie, form: { intent: "confirm" } });
    expect((await callRoute(batchPage.action, confirm, params)).status).toBe(403);
    expect(await batchCount()).toBe(0);
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
      [upload("units", "units.pdf", "code,name,kind\n"), "imports.errors.fileType"],
      [upload("units", "units.xls", "whatever"), "imports.errors.xlsFormat"],
      [upload("units", "units.csv", ""), "imports.errors.emptyFile"],
      [upload("units", "units.xlsx", "code,name,kind\nA,甲,部门\n"), "imports.errors.unreadable"],
      [upload("cadres", "cadres.csv", "工号,姓名\nA,甲\n"), "imports.errors.missingHeaderOr"],
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
    expect(await batchCount()).toBe(0);
  });

  it("refuses an oversized upload from its declared length, before reading it", async () => {
    const request = makeRequest("/admin/imports", { cookie: adminCookie, form: upload("units", "u.csv", "x") });
    const big = new Request(request, {
      headers: new Headers([...request.headers, ["content-length", String(MAX_IMPORT_BYTES + 1024 * 1024)]]),
    });
    const res = await callRoute<any>(index.action, big);
    expect(res.status).toBe(400);
    expect(res.data.errors.file).toEqual([{ key: "imports.errors.fileTooLarge", params: { mb: 50 } }]);
  });

  it("previews row problems with their values, offers the file back marked, then confirms a clean file", async () => {
    const bad = await callRoute(
      index.action,
      makeRequest("/admin/imports", {
        cookie: adminCookie,
        form: upload("units", "单位表.csv", "单位名录（2026）,,\ncode,name,kind\nRT-A,甲,部门\nRT-B,乙,学校\n合计,2,\n"),
      }),
    );
    expect(bad.status).toBe(302);
    const badId = idOf(bad.location);
    const badPage = await callRoute<any>(batchPage.loader, makeRequest(bad.location!, { cookie: adminCookie }), { batchId: badId });
    expect(badPage.data.errors).toEqual([
      { row: 4, column: "kind", messageKey: "imports.errors.unknownKind", params: { value: "学校" }, value: "学校" },
    ]);
    expect(badPage.data).toMatchObject({
      errorCount: 1,
      canDownloadRejected: true,
      layout: { format: "csv", encoding: "utf-8", headerRow: 2, headers: ["code", "name", "kind"] },
      skipped: [
        { row: 1, reason: "beforeHeader", text: "单位名录（2026）" },
        { row: 5, reason: "footer", text: "合计 2" },
      ],
    });

    // The rejected file back: every row where it was, the bad cell red, a 错误说明 column.
    const download = await callRoute(rejected.loader, makeRequest(`${bad.location}/rejected`, { cookie: adminCookie }), {
      batchId: badId,
    });
    expect(download.status).toBe(200);
    const res = (await rejected.loader({
      request: makeRequest(`${bad.location}/rejected`, { cookie: adminCookie }),
      params: { batchId: badId },
      context: {},
    })) as Response;
    expect(decodeURIComponent(res.headers.get("content-disposition")!)).toContain("单位表（错误标注）.xlsx");
    const marked = new ExcelJS.Workbook();
    await marked.xlsx.load(await res.arrayBuffer());
    const sheet = marked.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("单位名录（2026）");
    expect(sheet.getRow(2).values).toEqual([undefined, "code", "name", "kind", "错误说明"]);
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getRow(4).getCell(3).value).toBe("学校");
    expect((sheet.getRow(4).getCell(3).fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");
    expect(sheet.getRow(4).getCell(4).value).toBe("kind：无法识别的单位类别「学校」，应为 部门、镇街、园区、国企 或 其他");
    expect(sheet.getRow(5).getCell(1).value).toBe("合计");

    const refused = await callRoute<any>(
      batchPage.action,
      makeRequest(bad.location!, { cookie: adminCookie, form: { intent: "confirm" } }),
      {
        batchId: badId,
      },
    );
    expect(refused.data.outcome.status).toBe("invalid");
    expect(await db.select().from(units).where(eq(units.code, "RT-A"))).toEqual([]);

    const good = await callRoute(
      index.action,
      makeRequest("/admin/imports", {
        cookie: adminCookie,
        form: upload(
          "units",
          "units.csv",
          "\uFEFF单位编码,单位名称,上级单位编码,单位类别,备注,负责人电话\nRT-A,甲,RT-U,部门,x,1\nRT-B,乙,,镇街,,\n",
        ),
      }),
    );
    const id = idOf(good.location);
    const page = await callRoute<any>(batchPage.loader, makeRequest(good.location!, { cookie: adminCookie }), { batchId: id });
    expect(page.data).toMatchObject({
      batch: { status: "previewed", fileName: "units.csv" },
      counts: { rows: 2, create: 2, errors: 0 },
      ignoredColumns: ["负责人电话"],
      totalChanges: 2,
      canDownloadRejected: false,
    });
    // The file is kept with the batch, and read again to confirm.
    expect(
      (
        await db
          .select({ n: count() })
          .from(importFiles)
          .where(eq(importFiles.batchId, Number(id)))
      )[0]!.n,
    ).toBe(1);
    const applied = await callRoute<any>(
      batchPage.action,
      makeRequest(good.location!, { cookie: adminCookie, form: { intent: "confirm" } }),
      {
        batchId: id,
      },
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

    // Discarding an applied batch is refused beside the form; discarding the bad one drops its file.
    const noDiscard = await callRoute<any>(
      batchPage.action,
      makeRequest(good.location!, { cookie: adminCookie, form: { intent: "discard" } }),
      {
        batchId: id,
      },
    );
    expect(noDiscard.status).toBe(409);
    const discard = await callRoute(batchPage.action, makeRequest(bad.location!, { cookie: adminCookie, form: { intent: "discard" } }), {
      batchId: badId,
    });
    expect(discard.location).toBe("/admin/imports");
    expect(
      (
        await db
          .select({ n: count() })
          .from(importFiles)
          .where(eq(importFiles.batchId, Number(badId)))
      )[0]!.n,
    ).toBe(0);
    // Its marked-up copy is gone with it.
    expect(
      (await callRoute(rejected.loader, makeRequest(`${bad.location}/rejected`, { cookie: adminCookie }), { batchId: badId })).status,
    ).toBe(404);
    const list = await callRoute<any>(index.loader, makeRequest("/admin/imports", { cookie: adminCookie }));
    expect(list.data.batches.map((b: { status: string }) => b.status)).toEqual(["applied", "discarded"]);
  });

  it("reads the sheet named on the upload, and reads another sheet of the kept file on request", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("填写说明").addRow(["按模板填写"]);
    wb.addWorksheet("一月").addRows([
      ["单位编码", "单位名称", "单位类别"],
      ["SH-1", "一月单位", "部门"],
    ]);
    wb.addWorksheet("二月").addRows([
      ["单位编码", "单位名称", "单位类别"],
      ["SH-2", "二月单位", "部门"],
    ]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const first = await callRoute(
      index.action,
      makeRequest("/admin/imports", { cookie: adminCookie, form: upload("units", "两月.xlsx", bytes) }),
    );
    const firstId = idOf(first.location);
    const page = await callRoute<any>(batchPage.loader, makeRequest(first.location!, { cookie: adminCookie }), { batchId: firstId });
    expect(page.data.layout).toMatchObject({ sheet: "一月", sheets: ["填写说明", "一月", "二月"] });
    expect(page.data.otherSheets).toEqual(["填写说明", "二月"]);

    const reread = await callRoute(
      batchPage.action,
      makeRequest(first.location!, { cookie: adminCookie, form: { intent: "sheet", sheet: "二月" } }),
      { batchId: firstId },
    );
    expect(reread.status).toBe(302);
    const second = await callRoute<any>(batchPage.loader, makeRequest(reread.location!, { cookie: adminCookie }), {
      batchId: idOf(reread.location),
    });
    expect(second.data.changes.map((c: { key: string }) => c.key)).toEqual(["SH-2"]);
    const old = await db
      .select({ status: importBatches.status })
      .from(importBatches)
      .where(eq(importBatches.id, Number(firstId)));
    expect(old[0]!.status).toBe("discarded");
    const noHeaders = await callRoute<any>(
      batchPage.action,
      makeRequest(reread.location!, { cookie: adminCookie, form: { intent: "sheet", sheet: "填写说明" } }),
      { batchId: idOf(reread.location) },
    );
    expect(noHeaders.status).toBe(400);
    expect(noHeaders.data.errors.sheet[0].key).toBe("imports.errors.noHeaderInSheet");

    const named = await callRoute(
      index.action,
      makeRequest("/admin/imports", { cookie: adminCookie, form: upload("units", "两月.xlsx", bytes, { sheet: "二月" }) }),
    );
    const namedPage = await callRoute<any>(batchPage.loader, makeRequest(named.location!, { cookie: adminCookie }), {
      batchId: idOf(named.location),
    });
    expect(namedPage.data.layout.sheet).toBe("二月");
  });

  it("answers 404 for a batch that does not exist", async () => {
    const res = await callRoute(batchPage.loader, makeRequest("/admin/imports/99999", { cookie: adminCookie }), { batchId: "99999" });
    expect(res.status).toBe(404);
    const nonsense = await callRoute(batchPage.loader, makeRequest("/admin/imports/abc", { cookie: adminCookie }), { batchId: "abc" });
    expect(nonsense.status).toBe(404);
  });
});

describe("uploads are authorised before they are read", () => {
  /**
   * A multipart body whose file part is never sent unless asked for: the form's fields, the file's part
   * header, then the file's bytes from a stream that notes being pulled.
   */
  function pulledBody(fields: Record<string, string>, fileName: string) {
    const boundary = "----luoshi-test-boundary";
    const head = Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("");
    const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`;
    const state = { pulled: false };
    let step = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (step === 0) controller.enqueue(new TextEncoder().encode(head + fileHead));
          else if (step === 1) {
            state.pulled = true;
            controller.enqueue(new TextEncoder().encode(`工号,观看分钟\nA1,80\r\n--${boundary}--\r\n`));
          } else controller.close();
          step++;
        },
        // Nothing is read ahead: a chunk is made only when the reader asks for it.
      },
      { highWaterMark: 0 },
    );
    return { body, boundary, state };
  }

  it("refuses venue staff a session that is not theirs from the form's fields, without reading the file", async () => {
    const staff = await createUser(db, { roles: ["venue_staff"], password: "staff-password" });
    const other = await createUser(db, { roles: ["venue_staff"], password: "staff-password" });
    const made = await createClassSession(db, { startsAt: new Date(Date.now() - 3_600_000) });
    await assignStaff(db, made.venues[0]!.sessionVenueId, staff.id);
    const send = async (userId: number) => {
      const { body, boundary, state } = pulledBody({ kind: "attendance", "param.session": made.session.code }, "log.csv");
      // Node's Request needs `duplex` for a streamed body.
      const init = {
        method: "POST",
        headers: { cookie: await cookieFor(db, userId), origin: ORIGIN, "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: "half",
      } as RequestInit;
      const request = new Request(`${ORIGIN}/admin/imports`, init);
      return { res: await callRoute<any>(index.action, request), state };
    };
    const refused = await send(other.id);
    expect(refused.res.status).toBe(400);
    expect(refused.res.data.errors["param.session"]).toEqual(["attendance.import.errors.notStaff"]);
    expect(refused.state.pulled).toBe(false);
    const allowed = await send(staff.id);
    expect(allowed.state.pulled).toBe(true);
    expect(allowed.res.status).toBe(302);
  });
});

describe("templates", () => {
  it("downloads an Excel template: the sheet to fill, an example row the reader skips, drop-downs, instructions", async () => {
    const res = (await template.loader({
      request: makeRequest("/admin/imports/template/cadres", { cookie: adminCookie }),
      params: { kind: "cadres" },
      context: {},
    })) as Response;
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(decodeURIComponent(res.headers.get("content-disposition")!)).toContain("干部导入模板.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((s) => [s.name, s.state])).toEqual([
      ["干部", "visible"],
      ["填写说明", "visible"],
      ["选项", "hidden"],
    ]);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 6)).toEqual(["工号", "姓名", "单位编码", "单位", "职级"]);
    expect((sheet.getRow(2).values as unknown[]).at(-1)).toBe(EXAMPLE_MARK);
    const rankValidation = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations
      .model;
    expect(Object.entries(rankValidation).find(([range]) => range.startsWith("E2"))?.[1]).toMatchObject({ type: "list" });
    const lists = wb.getWorksheet("选项")!;
    expect((lists.getColumn(1).values as unknown[]).filter(Boolean)).toEqual([
      "职级",
      "科员",
      "副科级",
      "正科级",
      "副县级",
      "正县级",
      "副厅级",
      "正厅级",
    ]);
    const guide = wb.getWorksheet("填写说明")!;
    expect(guide.getCell("A1").value).toBe("干部导入模板 · 填写说明");
  });

  it("downloads a CSV with a BOM and the Chinese headers", async () => {
    const res = (await template.loader({
      request: makeRequest("/admin/imports/template/units?format=csv", { cookie: adminCookie }),
      params: { kind: "units" },
      context: {},
    })) as Response;
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toBe("单位编码,单位名称,上级单位编码,单位类别\r\n");
  });

  it("a filled-in template imports, its example row skipped", async () => {
    const res = (await template.loader({
      request: makeRequest("/admin/imports/template/units", { cookie: adminCookie }),
      params: { kind: "units" },
      context: {},
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    wb.worksheets[0]!.addRow(["TPL-1", "模板单位", "", "园区"]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const sent = await callRoute(
      index.action,
      makeRequest("/admin/imports", { cookie: adminCookie, form: upload("units", "模板.xlsx", bytes) }),
    );
    const page = await callRoute<any>(batchPage.loader, makeRequest(sent.location!, { cookie: adminCookie }), {
      batchId: idOf(sent.location),
    });
    expect(page.data.changes.map((c: { key: string }) => c.key)).toEqual(["TPL-1"]);
    expect(page.data.skipped).toEqual([{ row: 2, reason: "example", text: expect.stringContaining("SF010") }]);
    expect(page.data.ignoredColumns).toEqual([]);
  });
});
