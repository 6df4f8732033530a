import { describe, expect, it } from "vitest";
import { fieldChanges } from "~/modules/audit/diff";
import { auditRowView, changeText, quickRanges } from "~/modules/audit/view";
import { createI18n } from "~/utils/i18n";

describe("field-by-field differences", () => {
  it.each([
    ["a change", { disabled: false }, { disabled: true }, [{ field: "disabled", before: "false", after: "true" }]],
    ["unchanged fields are left out", { name: "甲", code: "A" }, { name: "乙", code: "A" }, [{ field: "name", before: "甲", after: "乙" }]],
    [
      "a creation lists what it set",
      null,
      { code: "A", name: "市教育局" },
      [
        { field: "code", before: null, after: "A" },
        { field: "name", before: null, after: "市教育局" },
      ],
    ],
    ["a removal lists what was there", { code: "A" }, null, [{ field: "code", before: "A", after: null }]],
    [
      "nested objects by path",
      { weights: { attendance: 0.4, training: 0.3 } },
      { weights: { attendance: 0.5, training: 0.3 } },
      [{ field: "weights.attendance", before: "0.4", after: "0.5" }],
    ],
    [
      "lists whole, readably",
      { roles: ["org_admin"] },
      { roles: ["org_admin", "venue_staff"] },
      [{ field: "roles", before: "org_admin", after: "org_admin、venue_staff" }],
    ],
    ["nothing on either side", null, null, []],
  ])("%s", (_name, before, after, expected) => {
    expect(fieldChanges(before, after)).toEqual(expected);
  });
});

describe("an audit row as people read it", () => {
  const t = createI18n("zh-CN").t;
  const row = {
    id: 9,
    at: new Date("2026-11-02T01:30:00Z"),
    actorUserId: 57,
    actorName: "邓敏伟",
    actorRoles: ["cadre", "unit_head"],
    actorUnits: "市教育和体育局",
    actorLabel: null,
    action: "unit.updated",
    entityType: "unit",
    entityId: "12",
    before: { name: "市教育局" },
    after: { name: "市教育和体育局" },
    reason: null,
  };

  it("names the actor and their role and unit at the time, says what happened, links the object", () => {
    const view = auditRowView(row, t, { links: true });
    expect(view).toMatchObject({
      actor: "邓敏伟",
      actorRoles: "单位负责人",
      actorUnits: "市教育和体育局",
      description: "修改了单位信息",
      category: "单位",
      object: "单位 #12 市教育和体育局",
      href: "/units/12",
    });
    expect(view.changes.map((c) => changeText(c, t))).toEqual(["名称: 市教育局 → 市教育和体育局"]);
    expect(auditRowView(row, t, { links: false }).href).toBeNull();
  });

  it("names the system's actors in words, never '#57'", () => {
    expect(auditRowView({ ...row, actorUserId: null, actorName: null, actorLabel: "cli" }, t, { links: false }).actor).toBe("命令行");
    expect(auditRowView({ ...row, actorName: null }, t, { links: false }).actor).toBe("#57");
  });

  it("offers last week as Monday to Sunday in Shanghai", () => {
    // Wednesday 2026-11-11 00:30 in Shanghai is still Tuesday in UTC.
    const ranges = quickRanges(new Date("2026-11-10T16:30:00Z"));
    expect(ranges.find((r) => r.key === "lastWeek")).toEqual({ key: "lastWeek", from: "2026-11-02", to: "2026-11-08" });
    expect(ranges.find((r) => r.key === "today")).toEqual({ key: "today", from: "2026-11-11", to: "2026-11-11" });
  });
});
