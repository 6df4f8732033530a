import { describe, expect, it } from "vitest";
import {
  manualKey,
  matchTotp,
  newRecoveryCodes,
  normaliseRecoveryCode,
  recoveryCodeHash,
  totpCode,
  totpKeyUri,
  totpStep,
} from "~/modules/auth/totp";

// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890"; at T = 59 s the 8-digit code is 94287082.
const seed = new TextEncoder().encode("12345678901234567890");

describe("TOTP (RFC 6238)", () => {
  it("gives the RFC's test vectors (6 digits: the last six of the 8-digit ones)", () => {
    expect(totpCode(seed, totpStep(new Date(59_000)))).toBe("287082");
    expect(totpCode(seed, totpStep(new Date(1111111109_000)))).toBe("081804");
    expect(totpCode(seed, totpStep(new Date(1234567890_000)))).toBe("005924");
    expect(totpCode(seed, totpStep(new Date(2000000000_000)))).toBe("279037");
  });

  it("accepts the current step and one either side, and nothing further", () => {
    const now = new Date(1_800_000_000_000);
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) expect(matchTotp(seed, totpCode(seed, step + offset), now, null)).toBe(step + offset);
    for (const offset of [-3, -2, 2, 3]) expect(matchTotp(seed, totpCode(seed, step + offset), now, null)).toBeNull();
  });

  it("never accepts a step already used, so a code seen once cannot be replayed", () => {
    const now = new Date(1_800_000_000_000);
    const step = totpStep(now);
    const code = totpCode(seed, step);
    expect(matchTotp(seed, code, now, step - 1)).toBe(step);
    expect(matchTotp(seed, code, now, step)).toBeNull();
    expect(matchTotp(seed, totpCode(seed, step + 1), now, step)).toBe(step + 1);
  });

  it("refuses what is not six digits, and tolerates spaces", () => {
    const now = new Date(1_800_000_000_000);
    const code = totpCode(seed, totpStep(now));
    expect(matchTotp(seed, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).not.toBeNull();
    for (const bad of ["", "12345", "1234567", "abcdef", `${code}0`]) expect(matchTotp(seed, bad, now, null)).toBeNull();
  });

  it("builds the otpauth URI every authenticator app reads, and a key people can type", () => {
    const uri = totpKeyUri("Luoshi", "王晓明", seed);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Luoshi:/);
    expect(uri).toContain("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(uri).toContain("period=30");
    expect(uri).toContain("digits=6");
    expect(manualKey(seed)).toBe("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
  });
});

describe("recovery codes", () => {
  it("are ten, distinct, readable, and hashed per account", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
    expect(recoveryCodeHash(1, codes[0]!)).not.toBe(recoveryCodeHash(2, codes[0]!));
    expect(recoveryCodeHash(1, codes[0]!.toUpperCase().replace("-", " "))).toBe(recoveryCodeHash(1, codes[0]!));
    expect(normaliseRecoveryCode(" AbCdE-fGhJk ")).toBe("abcdefghjk");
  });
});
