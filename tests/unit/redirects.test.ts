import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/utils/redirects";

describe("safeRedirect (the one redirect-target rule)", () => {
  it.each([
    ["/classes", "/classes"],
    ["/classes?year=2026&tab=a#b", "/classes?year=2026&tab=a#b"],
    ["/c/AbC-_123", "/c/AbC-_123"],
    ["/rankings/2026Q3/units/4", "/rankings/2026Q3/units/4"],
    // Normalised as a browser resolves it, still on this site.
    ["/a/../b", "/b"],
    ["/人员?q=张", "/%E4%BA%BA%E5%91%98?q=%E5%BC%A0"],
  ])("keeps %j → %j", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it.each([
    // The finding: a tab (raw or encoded) that browsers drop, leaving //evil.example.
    "/\t/evil.example/phish",
    "/%09/evil.example/phish",
    "/\n/evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "/\r\nLocation: http://evil.example",
    // Backslashes, which browsers read as slashes.
    "/\\evil.example",
    "/%5Cevil.example",
    "\\\\evil.example",
    // Other sites, schemes and protocol-relative forms.
    "//evil.example",
    "/%2F/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    // Not decodable, NUL, empty, not a string.
    "/%E0%A4%A",
    "/a%00b",
    "",
    null,
    undefined,
  ])("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/");
    expect(safeRedirect(to, "/home")).toBe("/home");
  });
});
