import { pinyin } from "pinyin-pro";
import type { SecurityPolicy } from "~/modules/security/policy";
import type { FormMessage } from "~/utils/errors";

/**
 * The password rules of the security policy, as plain functions: every reason a password is refused,
 * so the form can list them all beside the field at once. The common-password list and the history
 * come from password-policy.server.ts.
 */
export interface PasswordOwner {
  staffNo?: string | null;
  email?: string | null;
  name?: string | null;
}

export const CHARACTER_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/] as const;

export function characterClasses(password: string): number {
  return CHARACTER_CLASSES.filter((re) => re.test(password)).length;
}

/** What of a person a password must not contain: staff number, the name of the email, the name in pinyin. */
export function personalFragments(owner: PasswordOwner): { kind: "staffNo" | "email" | "name"; text: string }[] {
  const out: { kind: "staffNo" | "email" | "name"; text: string }[] = [];
  const staffNo = owner.staffNo?.trim().toLowerCase();
  if (staffNo && staffNo.length >= 3) out.push({ kind: "staffNo", text: staffNo });
  const local = owner.email?.split("@")[0]?.trim().toLowerCase();
  if (local && local.length >= 3) out.push({ kind: "email", text: local });
  const name = owner.name?.trim();
  if (name && /[\u4e00-\u9fff]/.test(name)) {
    const syllables = pinyin(name, { toneType: "none", type: "array", surname: "head", nonZh: "removed" }).map((s) => s.toLowerCase());
    const full = syllables.join("");
    if (full.length >= 3) out.push({ kind: "name", text: full });
    // The given name alone (邓敏伟 → minwei), when it is long enough to mean something.
    const given = syllables.slice(1).join("");
    if (given.length >= 4) out.push({ kind: "name", text: given });
  } else if (name && name.length >= 3) {
    for (const part of name.toLowerCase().split(/\s+/)) if (part.length >= 3) out.push({ kind: "name", text: part });
  }
  return out;
}

export function passwordProblems(
  password: string,
  policy: Pick<SecurityPolicy, "passwordMinLength" | "passwordMinClasses" | "rejectCommonPasswords" | "rejectPersonalPasswords">,
  owner: PasswordOwner,
  isCommon: (lowerCased: string) => boolean,
): FormMessage[] {
  const problems: FormMessage[] = [];
  if ([...password].length < policy.passwordMinLength)
    problems.push({ key: "auth.policy.tooShort", params: { min: policy.passwordMinLength } });
  if (characterClasses(password) < policy.passwordMinClasses) {
    problems.push({ key: "auth.policy.tooFewClasses", params: { min: policy.passwordMinClasses } });
  }
  const lower = password.toLowerCase();
  if (policy.rejectCommonPasswords && isCommon(lower)) problems.push({ key: "auth.policy.common" });
  if (policy.rejectPersonalPasswords) {
    const kinds = new Set(
      personalFragments(owner)
        .filter((f) => lower.includes(f.text))
        .map((f) => f.kind),
    );
    for (const kind of kinds) problems.push({ key: `auth.policy.contains.${kind}` });
  }
  return problems;
}
