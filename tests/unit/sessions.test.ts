import { describe, expect, it } from "vitest";
import { generateOneTimePassword } from "~/modules/auth/password.server";
import { generateSessionToken, sessionIdFromToken } from "~/modules/auth/session.server";

describe("session tokens", () => {
  it("carry 160 random bits in lower-case base32 and differ every time", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{32}$/);
  });

  it("are stored as their SHA-256, hex encoded", () => {
    // sha256("abc")
    expect(sessionIdFromToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("one-time passwords", () => {
  it("avoid characters that read alike", () => {
    for (let i = 0; i < 200; i++) expect(generateOneTimePassword()).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
  });
});
