import { describe, expect, it } from "vitest";
import { characterClasses, passwordProblems, personalFragments } from "~/modules/auth/password-policy";
import { isCommonPassword } from "~/modules/auth/password-policy.server";
import { DEFAULT_SECURITY_POLICY } from "~/modules/security/policy";

const owner = { staffNo: "SF2024017", email: "dengminwei@shifan.gov.cn", name: "邓敏伟" };
const keys = (password: string, policy = DEFAULT_SECURITY_POLICY) =>
  passwordProblems(password, policy, owner, isCommonPassword).map((p) => p.key);

describe("the default password policy (≥10 characters, 3 of 4 classes, not common, not personal)", () => {
  it.each([
    ["Qz7!mountain-river", []],
    ["short1A!", ["auth.policy.tooShort"]],
    ["alllowercaseletters", ["auth.policy.tooFewClasses"]],
    ["lowercase-and-symbols", ["auth.policy.tooFewClasses"]],
    ["Lower-and-UPPER-only", []],
    ["password123", ["auth.policy.tooFewClasses", "auth.policy.common"]],
    ["Password123", ["auth.policy.common"]],
    ["1234567890", ["auth.policy.tooFewClasses", "auth.policy.common"]],
    ["Xy!SF2024017", ["auth.policy.contains.staffNo"]],
    ["Dengminwei#2026", ["auth.policy.contains.email", "auth.policy.contains.name"]],
    ["Minwei-2026!x", ["auth.policy.contains.name"]],
    ["xq7", ["auth.policy.tooShort", "auth.policy.tooFewClasses"]],
  ])("%s → %j", (password, expected) => {
    expect(keys(password)).toEqual(expected);
  });

  it("counts characters, not UTF-16 units, and passes the minimum length along for the message", () => {
    const [problem] = passwordProblems("密码密码", DEFAULT_SECURITY_POLICY, {}, () => false);
    expect(problem).toEqual({ key: "auth.policy.tooShort", params: { min: 10 } });
  });

  it("follows the policy the security admin set", () => {
    const lax = {
      ...DEFAULT_SECURITY_POLICY,
      passwordMinLength: 8,
      passwordMinClasses: 2,
      rejectCommonPasswords: false,
      rejectPersonalPasswords: false,
    };
    expect(keys("password1", lax)).toEqual([]);
    expect(keys("Dengminwei#2026", lax)).toEqual([]);
  });

  it("reads the common list shipped by @zxcvbn-ts/language-common, not one typed here", () => {
    expect(isCommonPassword("qwerty")).toBe(true);
    expect(isCommonPassword("iloveyou")).toBe(true);
    expect(isCommonPassword("qz7!mountain-river")).toBe(false);
  });

  it("finds the personal parts: staff number, the email's name, the name and given name in pinyin", () => {
    expect(personalFragments(owner)).toEqual([
      { kind: "staffNo", text: "sf2024017" },
      { kind: "email", text: "dengminwei" },
      { kind: "name", text: "dengminwei" },
      { kind: "name", text: "minwei" },
    ]);
    // Short names say nothing: "li" is in too many passwords to refuse.
    expect(personalFragments({ name: "李", staffNo: "12", email: "li@x.cn" })).toEqual([]);
  });

  it("counts character classes", () => {
    expect([characterClasses("abc"), characterClasses("aB"), characterClasses("aB1"), characterClasses("aB1!")]).toEqual([1, 2, 3, 4]);
  });
});
