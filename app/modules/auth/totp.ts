import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";

/**
 * TOTP (RFC 6238) as every authenticator app reads it: SHA-1, 6 digits, 30-second steps, from
 * @oslojs/otp. A code is accepted for the current step and one step either side (clock drift), and
 * only for a step later than the last one accepted, so a code seen over a shoulder cannot be replayed.
 */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const TOTP_KEY_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD);
}

export function totpCode(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/** The step a code matches, or null: within ±1 step of now and later than `lastStep`. */
export function matchTotp(key: Uint8Array, code: string, now: Date, lastStep: number | null): number | null {
  const typed = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const current = totpStep(now);
  const bytes = new TextEncoder().encode(typed);
  let matched: number | null = null;
  // Check every candidate, so the time taken does not tell which step matched.
  for (const step of [current - 1, current, current + 1]) {
    const ok = constantTimeEqual(new TextEncoder().encode(totpCode(key, step)), bytes);
    if (ok && (lastStep === null || step > lastStep) && matched === null) matched = step;
  }
  return matched;
}

export function newTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(TOTP_KEY_BYTES));
}

export function totpKeyUri(issuer: string, account: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, account, key, TOTP_PERIOD, TOTP_DIGITS);
}

/** The key as people type it into an app that cannot scan: base32 in groups of four. */
export function manualKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten characters from an alphabet without look-alikes (about 49 bits each), shown as xxxxx-xxxxx. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = crypto.getRandomValues(new Uint8Array(10));
    const raw = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Recovery codes are random and long enough that a salted SHA-256 is as good as a slow hash; the
 * account id salts it, so equal codes of two accounts differ in the table.
 */
export function recoveryCodeHash(userId: number, code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`recovery:${userId}:${normaliseRecoveryCode(code)}`)));
}
