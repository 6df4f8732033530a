import { afterEach, describe, expect, it } from "vitest";
import { baseHeaders, completeHeaders, documentPolicy, RESOURCE_POLICY } from "~/server/security-headers.server";
import { clearCookie, readCookie, setCookie } from "~/utils/cookies.server";
import { resetEnvCache } from "~/utils/env.server";
import { buildCalendar } from "~/utils/ical.server";
import { singleLine, withoutControlCharacters } from "~/utils/text";

const saved = process.env.APP_ORIGIN;
function origin(value: string | undefined) {
  if (value === undefined) delete process.env.APP_ORIGIN;
  else process.env.APP_ORIGIN = value;
  resetEnvCache();
}
afterEach(() => origin(saved));

describe("headers", () => {
  it("HSTS and Secure cookies exactly when the app origin is https", () => {
    origin("https://luoshi.example.gov.cn");
    expect(baseHeaders()["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(setCookie("luoshi_lng", "en", { maxAge: 60 })).toMatch(/; Secure/);
    origin("http://localhost:3000");
    expect(baseHeaders()["Strict-Transport-Security"]).toBeUndefined();
    expect(setCookie("luoshi_lng", "en", { maxAge: 60 })).not.toMatch(/Secure/);
  });

  it("pages: scripts only from us or with the nonce, no eval, no inline script, no framing", () => {
    const policy = documentPolicy("abc123");
    expect(policy).toContain("script-src 'self' 'nonce-abc123'");
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  it("whatever else Remix answers gets a deny-all CSP, nosniff and no-store unless it chose its own", () => {
    const plain = new Headers({ "Content-Type": "text/csv" });
    completeHeaders(plain);
    expect(plain.get("content-security-policy")).toBe(RESOURCE_POLICY);
    expect(plain.get("x-content-type-options")).toBe("nosniff");
    expect(plain.get("cache-control")).toBe("no-store");
    const own = new Headers({ "Cache-Control": "private, max-age=60", "Content-Security-Policy": "sandbox" });
    completeHeaders(own);
    expect(own.get("cache-control")).toBe("private, max-age=60");
    expect(own.get("content-security-policy")).toBe("sandbox");
  });
});

describe("cookies", () => {
  it("are HttpOnly and SameSite=Lax, cleared with the same path, and never throw on bad encoding", () => {
    expect(setCookie("luoshi_scan", "v.1", { path: "/c", maxAge: 600 })).toBe(
      "luoshi_scan=v.1; Max-Age=600; Path=/c; HttpOnly; SameSite=Lax",
    );
    expect(clearCookie("luoshi_session")).toBe("luoshi_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    expect(readCookie("a=%E0%A4%A; b=%41", "b")).toBe("A");
    expect(readCookie("a=%E0%A4%A; b=%41", "a")).toBe("%E0%A4%A");
    expect(readCookie("=;;;", "a")).toBeNull();
    expect(readCookie(null, "a")).toBeNull();
  });
});

describe("text for files and headers", () => {
  it("keeps no control character, and line breaks only where several lines are allowed", () => {
    expect(singleLine("党史\r\nBcc: x\n学习\u0007\u0000\u009b\t章")).toBe("党史 Bcc: x 学习 章");
    expect(withoutControlCharacters("第一行\r\n第二行\r第三行\u0000\u001b[31m")).toBe("第一行\n第二行\n第三行[31m");
  });

  it("the iCalendar builder writes no line a title did not ask for", () => {
    const ics = buildCalendar({
      name: "夜课堂\r\nX-INJECTED:1",
      product: "test",
      events: [
        {
          uid: "class-1@luoshi",
          sequence: 2,
          start: new Date("2026-07-08T11:30:00Z"),
          end: new Date("2026-07-08T13:00:00Z"),
          summary: "党史\r\nATTENDEE:mailto:victim@example.cn\rURL:http://evil.example\u0007",
          location: "报告厅\nORGANIZER:mailto:x@example.cn",
          description: "第一行\r\n第二行\u0000",
          url: "http://luoshi.test/classes/1",
        },
      ],
    });
    const lines = ics.split("\r\n");
    expect(lines.filter((l) => /^(ATTENDEE|ORGANIZER|X-INJECTED)/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("URL")).length).toBe(1);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/\p{Cc}/u);
    expect(ics).toContain("DTSTART;TZID=Asia/Shanghai:20260708T193000");
    expect(ics).toContain("TZOFFSETTO:+0800");
  });
});
