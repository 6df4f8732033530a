import { describe, expect, it } from "vitest";
import { resources } from "~/locales";
import { AUDIT_ACTIONS, AUDIT_CATEGORIES, actionCategory, entityHref } from "~/modules/audit/actions";
import { createI18n } from "~/utils/i18n";
import { SECURITY_EVENT_KINDS } from "~db/schema/audit";

/**
 * One plain description per kind of audited action, in Chinese and English. A new action must be added
 * to AUDIT_ACTIONS (AuditEntry.action does not type-check otherwise), and then fails here until it has
 * its words in app/locales/*\/audit.ts.
 */
const languages = [createI18n("zh-CN"), createI18n("en")];
const label = (i18n: (typeof languages)[number], key: string) => {
  const value = i18n.t(key, { returnObjects: true });
  return typeof value === "string" && value !== key ? value : null;
};

describe("audit descriptions", () => {
  it.each(AUDIT_ACTIONS.map((a) => [a]))("%s has a description in both languages", (action) => {
    for (const i18n of languages) expect(label(i18n, `audit.actions.${action}`), `${i18n.language} ${action}`).toBeTruthy();
  });

  it("every category has a name, and no description is left over for an action that no longer exists", () => {
    for (const i18n of languages) for (const c of AUDIT_CATEGORIES) expect(label(i18n, `audit.categories.${c}`), c).toBeTruthy();
    const flatten = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : flatten(v as object, `${prefix}${k}.`)));
    const described = flatten(resources["zh-CN"].translation.audit.actions);
    expect(described.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  it("every kind of security event has a name in both languages", () => {
    for (const i18n of languages) for (const k of SECURITY_EVENT_KINDS) expect(label(i18n, `security.events.kinds.${k}`), k).toBeTruthy();
  });

  it("an action's category is its first word, and objects with a page of their own link there", () => {
    expect(actionCategory("class.session.published")).toBe("class");
    expect(entityHref("unit", "12", null)).toBe("/units/12");
    expect(entityHref("class_session", "7", { code: "2026-17" })).toBe("/classes/admin/sessions/2026-17");
    expect(entityHref("class_session", "7", null)).toBeNull();
    expect(entityHref("settings", "attendance.rules", null)).toBeNull();
  });
});
