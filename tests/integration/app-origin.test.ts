import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { handleError } from "~/entry.server";
import { getCurrentUser } from "~/modules/auth/guards.server";
import { enqueuePrepared } from "~/modules/email/outbox.server";
import { loader as rootLoader } from "~/root";
import * as forgot from "~/routes/forgot-password";
import { describeError } from "~/utils/log.server";
import { cadres, emailOutbox } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, ORIGIN } from "../setup/routes";

/**
 * Issue 14: links follow the app's one origin (APP_ORIGIN, http://luoshi.test in the tests), never the
 * Host header; a malformed cookie is read as absent, never a 500; email subjects are one line; a
 * failed query is logged without its parameters.
 */
const conn = await testDatabase();
const db = conn.db;

let cadreId: number;
beforeAll(async () => {
  const unit = await createUnit(db, { name: "来源局" });
  cadreId = (await createCadre(db, { unitId: unit.id, email: "origin@example.cn", phone: "13900001111" })).id;
  await createUser(db, { cadreId, password: "correct horse" });
});

/** A request as a client that lies about the host would send it. */
function forged(path: string, form: Record<string, string>): Request {
  return new Request(`http://evil.example${path}`, {
    method: "POST",
    headers: {
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      origin: "http://evil.example",
      "x-luoshi-client-address": "203.0.113.9",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(form),
  });
}

describe("links", () => {
  it("in a password-reset email point to the app origin, whatever Host the request named", async () => {
    const res = await callRoute<any>(forgot.action, forged("/forgot-password", { identifier: "origin@example.cn" }));
    expect(res.data.ok).toBe(true);
    const [message] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "origin@example.cn"));
    expect(message!.text).toContain(`${ORIGIN}/reset-password/`);
    expect(`${message!.text}${message!.html}${JSON.stringify(message!.props)}`).not.toContain("evil.example");
  });
});

describe("cookies", () => {
  it("a malformed Cookie header reads as no cookie: the page answers, signed out", async () => {
    for (const header of ["luoshi_session=%E0%A4%A", "luoshi_session=%; luoshi_lng=%ZZ", "=;;=x; luoshi_lng", "luoshi_session"]) {
      const request = new Request(`${ORIGIN}/`, { headers: { cookie: header } });
      expect(await getCurrentUser(request)).toBeNull();
      const root = await callRoute<any>(rootLoader, request);
      expect(root).toMatchObject({ status: 200, data: { user: null, locale: "zh-CN" } });
    }
    // A valid session beside rubbish still counts.
    const cookie = await cookieFor(db, (await createUser(db, { password: "x-y-z-long" })).id);
    expect(await getCurrentUser(new Request(`${ORIGIN}/`, { headers: { cookie: `junk=%E0%A4%A; ${cookie}` } }))).not.toBeNull();
  });
});

describe("email subjects", () => {
  it("are one line in the outbox, whatever a title held", async () => {
    await enqueuePrepared(db, [
      {
        template: "password-reset",
        props: {},
        locale: "zh-CN",
        from: "落实 <noreply@luoshi.local>",
        to: "subject@example.cn",
        idempotencyKey: "subject/1",
        userId: null,
        subject: "课程变更：党史\r\nBcc: victim@example.cn\n\u0007学习",
        html: "<p>x</p>",
        text: "x",
        attachments: [],
      },
    ]);
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "subject/1"));
    expect(row!.subject).toBe("课程变更：党史 Bcc: victim@example.cn 学习");
  });
});

describe("the log", () => {
  it("describes a failed query by its SQL and PostgreSQL's code, never its parameters", async () => {
    const failure = await db
      .update(cadres)
      .set({ phone: "13800138000", email: "private@example.cn" })
      .where(eq(cadres.id, sql`${"not a number: 13800138000"}::int`))
      .catch((error: unknown) => error);
    const described = describeError(failure);
    expect(described).toMatch(/failed query: update "cadres" set/);
    expect(described).toMatch(/PostgresError 22P02/);
    expect(described).not.toMatch(/13800138000|private@example\.cn/);

    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    try {
      const request = new Request(`${ORIGIN}/cadres/1/edit`, { method: "POST", headers: { "X-Request-Id": "ABCDE12345" } });
      handleError(failure, { request, params: {}, context: {} });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[error ABCDE12345\] POST \/cadres\/1\/edit: /);
    expect(lines[0]).not.toMatch(/13800138000|private@example\.cn/);
  });
});
