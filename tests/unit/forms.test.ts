import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChangePasswordSchema, LoginSchema } from "~/modules/auth/schema";
import { fields, parseForm } from "~/utils/forms";

describe("parseForm", () => {
  it("gives i18n keys per field", () => {
    const result = parseForm(LoginSchema, new URLSearchParams({ identifier: " ", password: "" }));
    expect(result).toEqual({ ok: false, errors: { identifier: ["validation.required"], password: ["validation.required"] } });
  });

  it("falls back to a generic key for zod's own messages", () => {
    const result = parseForm(z.object({ n: z.number() }), { n: "x" });
    expect(result).toEqual({ ok: false, errors: { n: ["validation.invalid"] } });
  });

  it("puts a cross-field rule beside the field it names", () => {
    const result = parseForm(ChangePasswordSchema, { currentPassword: "a", newPassword: "long-enough-1", confirmPassword: "other-thing" });
    expect(result).toEqual({ ok: false, errors: { confirmPassword: ["validation.passwordsDiffer"] } });
  });

  it("keeps repeated keys as arrays", () => {
    const form = new FormData();
    form.append("ids", "1");
    form.append("ids", "2");
    const result = parseForm(z.object({ ids: z.array(z.string()) }), form);
    expect(result).toEqual({ ok: true, data: { ids: ["1", "2"] } });
  });
});

describe("fields.isoDate", () => {
  it.each([
    ["2026-02-28", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026/01/01", false],
    ["", false],
  ])("%s → %s", (value, ok) => {
    expect(fields.isoDate().safeParse(value).success).toBe(ok);
  });
});
