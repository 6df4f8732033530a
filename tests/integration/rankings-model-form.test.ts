import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "~/modules/rankings/model";
import { latestModel } from "~/modules/rankings/model.server";
import * as modelPage from "~/routes/rankings.model";
import { rankingModels } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
let cookie: string;

beforeAll(async () => {
  const admin = await createUser(db, { password: "admin-password-1", roles: ["org_admin"] });
  cookie = await cookieFor(db, admin.id);
});

/** The model page's form as the browser sends it: every field flat, the default model unless changed. */
function form(change: Record<string, string> = {}) {
  return {
    year: "2026",
    reason: "按市委组织部文件调整",
    lateWeight: "0.5",
    agendaSize: "3",
    assessmentDeadlineDays: "15",
    ...Object.fromEntries(Object.entries(DEFAULT_MODEL.cadreWeights).map(([k, v]) => [`cadre.${k}`, String(v)])),
    ...Object.fromEntries(Object.entries(DEFAULT_MODEL.unitWeights).map(([k, v]) => [`unit.${k}`, String(v)])),
    ...Object.fromEntries(Object.entries(DEFAULT_MODEL.params.gradeValues).map(([k, v]) => [`grade.${k}`, String(v)])),
    ...change,
  };
}

const post = (values: Record<string, string>) => callRoute(modelPage.action, makeRequest("/rankings/model", { cookie, form: values }));

describe("the scoring model's form", () => {
  it("refuses weights that add up to 1.1, says so under the sum, and saves nothing", async () => {
    const result = await post(form({ "cadre.assessment": "0.2" }));
    expect(result.status).toBe(400);
    const errors = (result.data as { errors: Record<string, unknown[]> }).errors;
    expect(errors["cadre.sum"]).toEqual([{ key: "rankings.validation.weightSumIs", params: { sum: 1.1 } }]);
    expect(errors["unit.sum"]).toBeUndefined();
    expect(await db.select().from(rankingModels)).toHaveLength(0);
  });

  it("refuses a negative weight beside its field", async () => {
    const result = await post(form({ "unit.training": "-0.15", "unit.attendance": "0.7" }));
    expect(result.status).toBe(400);
    expect((result.data as { errors: Record<string, unknown[]> }).errors["unit.training"]).toEqual(["rankings.validation.weight"]);
    expect(await db.select().from(rankingModels)).toHaveLength(0);
  });

  it("saves weights that add up to 1 as a new version", async () => {
    const result = await post(form({ "cadre.attendance": "0.3", "cadre.assessment": "0.2" }));
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ ok: true, version: 1, changed: true });
    expect((await latestModel(db, 2026))!.spec.cadreWeights).toEqual({ attendance: 0.3, training: 0.2, frontline: 0.3, assessment: 0.2 });
  });

  it("keeps a version saved before the rule with the weights it was computed with", async () => {
    await db.insert(rankingModels).values({
      year: 2024,
      version: 1,
      cadreWeights: { attendance: 4, training: 2, frontline: 3, assessment: 1 },
      unitWeights: DEFAULT_MODEL.unitWeights,
      params: DEFAULT_MODEL.params as unknown as Record<string, unknown>,
    });
    expect((await latestModel(db, 2024))!.spec.cadreWeights).toEqual({ attendance: 4, training: 2, frontline: 3, assessment: 1 });
    await db.delete(rankingModels).where(eq(rankingModels.year, 2024));
  });

  it("tells the page which bands are scored without the frontline indicator, and with which weights", async () => {
    const result = await callRoute(modelPage.loader, makeRequest("/rankings/model?year=2026", { cookie }));
    const data = result.data as { withoutFrontline: string[]; rescaledWithoutFrontline: Record<string, number | null> };
    // The frontline settings' default: a monthly quota only from deputy-county up.
    expect(data.withoutFrontline).toEqual(["section", "staff"]);
    expect(data.rescaledWithoutFrontline.frontline).toBeNull();
    expect(data.rescaledWithoutFrontline.attendance).toBeCloseTo(0.3 / 0.7);
  });
});
