import { describe, expect, it } from "vitest";
import {
  checkInKey,
  readCheckInToken,
  readScan,
  signCheckInToken,
  signScan,
  tokenTimeProblem,
  windowExpiry,
  windowOf,
} from "~/modules/attendance/checkin/token.server";

const key = checkInKey("a-secret-of-at-least-thirty-two-characters");
const otherKey = checkInKey("another-secret-of-thirty-two-characters!");
const now = new Date("2026-11-25T11:35:12Z");
const period = 30;
const claims = { sessionId: 12, sessionVenueId: 345, window: windowOf(now, period), period };

describe("check-in tokens", () => {
  it("round-trip the session, venue and window, in 42 URL-safe characters", () => {
    const token = signCheckInToken(key, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]{42}$/);
    expect(readCheckInToken(key, token)).toEqual(claims);
  });

  it("refuse a forged, altered or foreign token", () => {
    const token = signCheckInToken(key, claims);
    expect(readCheckInToken(otherKey, token)).toBeNull();
    // Another venue, the same MAC: the signature no longer matches.
    const bytes = Buffer.from(token, "base64url");
    bytes.writeUInt32BE(346, 5);
    expect(readCheckInToken(key, bytes.toString("base64url"))).toBeNull();
    // Another window, to make a photo live longer.
    const later = Buffer.from(token, "base64url");
    later.writeUInt32BE(claims.window + 10, 9);
    expect(readCheckInToken(key, later.toString("base64url"))).toBeNull();
    for (let i = 0; i < token.length; i++) {
      const flipped = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
      expect(readCheckInToken(key, flipped)).toBeNull();
    }
    expect(readCheckInToken(key, "")).toBeNull();
    expect(readCheckInToken(key, token.slice(0, 41))).toBeNull();
    expect(readCheckInToken(key, `${token}A`)).toBeNull();
  });

  it("refuse a window length outside 10 s … 10 min even when signed", () => {
    expect(readCheckInToken(key, signCheckInToken(key, { ...claims, period: 5 }))).toBeNull();
    expect(readCheckInToken(key, signCheckInToken(key, { ...claims, period: 3600 }))).toBeNull();
  });

  it.each([
    ["its own window", 0, null],
    ["the next window (the code turned over while scanning)", 1, null],
    ["two windows on: replayed", 2, "expired"],
    ["an hour on", 120, "expired"],
    ["a window that has not come yet", -1, "future"],
  ] as const)("is good in %s: %s", (_label, windowsLater, expected) => {
    const when = new Date(now.getTime() + windowsLater * period * 1000);
    expect(tokenTimeProblem(claims, when)).toBe(expected);
  });

  it("expires at the end of the window after its own", () => {
    const expiry = windowExpiry(claims.window, period);
    expect(tokenTimeProblem(claims, new Date(expiry.getTime() - 1))).toBeNull();
    expect(tokenTimeProblem(claims, expiry)).toBe("expired");
  });
});

describe("the remembered scan", () => {
  const token = signCheckInToken(key, claims);
  const cookie = signScan(key, token, now);

  it("gives back the scan time within its age", () => {
    expect(readScan(key, cookie, token, new Date(now.getTime() + 9 * 60_000), 600)).toEqual(
      new Date(Math.floor(now.getTime() / 1000) * 1000),
    );
  });

  it.each([
    ["too old", cookie, token, 601_000],
    ["for another code", cookie, signCheckInToken(key, { ...claims, sessionVenueId: 9 }), 1000],
    ["with its time moved", cookie.replace(/\.(\d+)\./, (_m, t: string) => `.${Number(t) + 300}.`), token, 1000],
    ["signed with another key", signScan(otherKey, token, now), token, 1000],
    ["missing", null, token, 1000],
    ["garbage", "x.y.z", token, 1000],
  ] as const)("refuses one %s", (_label, value, forToken, later) => {
    expect(readScan(key, value, forToken, new Date(now.getTime() + later), 600)).toBeNull();
  });
});
