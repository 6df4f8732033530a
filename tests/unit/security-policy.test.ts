import { describe, expect, it } from "vitest";
import {
  DEFAULT_SECURITY_POLICY,
  passwordMaxAgeDays,
  readPolicy,
  SecurityPolicyFormSchema,
  sessionLimits,
} from "~/modules/security/policy";
import { parseForm } from "~/utils/forms";

describe("the security policy", () => {
  it("defaults to the level-3 settings the issue names", () => {
    expect(DEFAULT_SECURITY_POLICY).toMatchObject({
      passwordMinLength: 10,
      passwordMinClasses: 3,
      passwordHistory: 5,
      adminPasswordMaxAgeDays: 90,
      otherPasswordMaxAgeDays: 0,
      adminIdleMinutes: 30,
      otherIdleMinutes: 7 * 24 * 60,
      maxFailuresPerAccount: 5,
      oneTimePasswordHours: 72,
      securityLogRetentionDays: 180,
      rejectCommonPasswords: true,
      rejectPersonalPasswords: true,
    });
    expect(sessionLimits(DEFAULT_SECURITY_POLICY, true).idleMs).toBe(30 * 60_000);
    expect(sessionLimits(DEFAULT_SECURITY_POLICY, false).idleMs).toBe(7 * 86_400_000);
    expect([passwordMaxAgeDays(DEFAULT_SECURITY_POLICY, true), passwordMaxAgeDays(DEFAULT_SECURITY_POLICY, false)]).toEqual([90, 0]);
  });

  it("reads a stored policy leniently: a missing or out-of-range key takes its default", () => {
    expect(readPolicy({ passwordMinLength: 14, securityLogRetentionDays: 30, adminIdleMinutes: "x" })).toMatchObject({
      passwordMinLength: 14,
      securityLogRetentionDays: 180,
      adminIdleMinutes: 30,
    });
    expect(readPolicy(null)).toEqual(DEFAULT_SECURITY_POLICY);
  });

  it("refuses a form with the security log kept under 180 days, or a blank, beside the field", () => {
    const form = (values: Record<string, string>) => parseForm(SecurityPolicyFormSchema, values);
    const short = form({ securityLogRetentionDays: "179" });
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.errors.securityLogRetentionDays).toEqual(["security.policy.range"]);
    const fine = form({ securityLogRetentionDays: "365", rejectCommonPasswords: "on" });
    expect(fine.ok && fine.data).toMatchObject({
      securityLogRetentionDays: 365,
      rejectCommonPasswords: true,
      rejectPersonalPasswords: false,
    });
  });
});
