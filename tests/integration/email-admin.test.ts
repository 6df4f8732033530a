import { eq } from "drizzle-orm";
import { Webhook } from "svix";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drainOutbox } from "~/modules/email/delivery.server";
import { enqueuePrepared, prepareEmail } from "~/modules/email/outbox.server";
import { inAppOutboxTransport } from "~/modules/email/transports.server";
import * as list from "~/routes/admin.outbox._index";
import * as message from "~/routes/admin.outbox.$messageId";
import * as html from "~/routes/admin.outbox.$messageId.html";
import * as webhook from "~/routes/webhooks.resend";
import { resetEnvCache } from "~/utils/env.server";
import { auditLog, emailOutbox, emailSuppressions } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest, ORIGIN } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

const SECRET = `whsec_${Buffer.from("luoshi-test-webhook-secret-32by").toString("base64")}`;

let orgAdmin: string;
let systemAdmin: string;
let cadre: string;
let orgAdminId: number;
beforeAll(async () => {
  const admin = await createUser(db, { password: "admin-password", roles: ["org_admin"] });
  orgAdminId = admin.id;
  orgAdmin = await cookieFor(db, admin.id);
  systemAdmin = await cookieFor(db, (await createUser(db, { password: "system-password", roles: ["system_admin"] })).id);
  cadre = await cookieFor(db, (await createUser(db, { password: "plain-password" })).id);
});
beforeEach(async () => {
  await db.delete(emailOutbox);
  await db.delete(emailSuppressions);
  delete process.env.RESEND_WEBHOOK_SECRET;
  resetEnvCache();
});
afterAll(() => {
  delete process.env.RESEND_WEBHOOK_SECRET;
  resetEnvCache();
});

async function queue(to: string, key: string, template: "invitation" | "password-reset" = "password-reset") {
  const email =
    template === "password-reset"
      ? await prepareEmail({
          template,
          to,
          idempotencyKey: key,
          props: {
            locale: "zh-CN",
            organizationName: "测试市委组织部",
            name: "张三",
            url: `${ORIGIN}/reset-password/x`,
            expiresAt: new Date().toISOString(),
            validMinutes: 60,
          },
        })
      : await prepareEmail({
          template,
          to,
          idempotencyKey: key,
          props: {
            locale: "zh-CN",
            organizationName: "测试市委组织部",
            name: "<b>李四</b>",
            unitName: "测试局",
            staffNo: "T1",
            url: `${ORIGIN}/invite/x`,
            expiresAt: new Date().toISOString(),
            validDays: 7,
          },
        });
  await enqueuePrepared(db, [email]);
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, key));
  return row!;
}

function signed(body: unknown, secret = SECRET) {
  const payload = JSON.stringify(body);
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, payload);
  return new Request(`${ORIGIN}/webhooks/resend`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": signature,
    },
    body: payload,
  });
}

describe("outbox pages", () => {
  it("are for org and system admins only", async () => {
    expect((await callRoute(list.loader, makeRequest("/admin/outbox", { cookie: cadre }))).status).toBe(403);
    expect((await callRoute(list.loader, makeRequest("/admin/outbox", { cookie: systemAdmin }))).status).toBe(200);
    const row = await queue("a@example.cn", "auth/1");
    for (const fn of [message.loader, html.loader]) {
      expect((await callRoute(fn, makeRequest(`/admin/outbox/${row.id}`, { cookie: cadre }), { messageId: String(row.id) })).status).toBe(
        403,
      );
    }
    expect((await callRoute(list.loader, makeRequest("/admin/outbox"))).status).toBe(302);
  });

  it("filter by status, template, recipient and date", async () => {
    await queue("first@example.cn", "f/1");
    await queue("second@example.cn", "f/2", "invitation");
    await drainOutbox(db, { transport: inAppOutboxTransport });
    await queue("third@example.cn", "f/3");
    const ids = async (query: string) =>
      (await callRoute<any>(list.loader, makeRequest(`/admin/outbox${query}`, { cookie: orgAdmin }))).data.rows.map(
        (r: { toAddress: string }) => r.toAddress,
      );
    expect(await ids("")).toEqual(["third@example.cn", "second@example.cn", "first@example.cn"]);
    expect(await ids("?status=queued")).toEqual(["third@example.cn"]);
    expect(await ids("?status=sent&template=invitation")).toEqual(["second@example.cn"]);
    expect(await ids("?recipient=FIRST")).toEqual(["first@example.cn"]);
    expect(await ids("?from=2000-01-01&to=2000-01-02")).toEqual([]);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await ids(`?from=${today}&to=${today}`)).toHaveLength(3);
    // Nonsense in the query is ignored, not an error.
    expect(await ids("?status=bogus&from=yesterday")).toHaveLength(3);
    const counts = (await callRoute<any>(list.loader, makeRequest("/admin/outbox", { cookie: orgAdmin }))).data.counts;
    expect(counts).toEqual({ sent: 2, queued: 1 });
  });

  it("show the text, and the HTML in a sandboxed frame served with a strict CSP", async () => {
    const row = await queue("b@example.cn", "show/1", "invitation");
    const page = await callRoute<any>(message.loader, makeRequest(`/admin/outbox/${row.id}`, { cookie: orgAdmin }), {
      messageId: String(row.id),
    });
    expect(page.data.message.text).toContain("<b>李四</b>同志");
    expect(page.data.message).not.toHaveProperty("props");
    const res = (await html.loader({
      request: makeRequest(`/admin/outbox/${row.id}/html`, { cookie: orgAdmin }),
      params: { messageId: String(row.id) },
      context: {},
    })) as Response;
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const body = await res.text();
    expect(body).toContain("&lt;b&gt;李四&lt;/b&gt;");
    expect(
      (await callRoute(message.loader, makeRequest("/admin/outbox/999999", { cookie: orgAdmin }), { messageId: "999999" })).status,
    ).toBe(404);
    expect((await callRoute(html.loader, makeRequest("/admin/outbox/abc/html", { cookie: orgAdmin }), { messageId: "abc" })).status).toBe(
      404,
    );
  });

  it("retry a failed message (audited) and refuse to retry one already sent", async () => {
    const row = await queue("c@example.cn", "retry/1");
    await db
      .update(emailOutbox)
      .set({ status: "failed", attempts: 8, lastError: "500 internal_server_error (after 8 attempts)", batchKey: "batch/old" })
      .where(eq(emailOutbox.id, row.id));
    const res = await callRoute<any>(
      message.action,
      makeRequest(`/admin/outbox/${row.id}`, { cookie: orgAdmin, form: { intent: "retry" } }),
      {
        messageId: String(row.id),
      },
    );
    expect(res.data).toMatchObject({ ok: true, intent: "retry" });
    const [queued] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
    // Alone, under its own key, as a fresh series of attempts.
    expect(queued).toMatchObject({ status: "queued", attempts: 0, lastError: null, batchKey: "retry/1" });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "email.retry"));
    expect(entry).toMatchObject({ actorUserId: orgAdminId, entityType: "email_outbox", entityId: String(row.id) });
    expect(entry!.before).toMatchObject({ status: "failed", lastError: "500 internal_server_error (after 8 attempts)" });

    await drainOutbox(db, { transport: inAppOutboxTransport });
    const again = await callRoute<any>(
      message.action,
      makeRequest(`/admin/outbox/${row.id}`, { cookie: orgAdmin, form: { intent: "retry" } }),
      {
        messageId: String(row.id),
      },
    );
    expect(again.status).toBe(400);
    expect(again.data.errors.form[0].key).toBe("email.outbox.cannotRetry");
    expect(
      (
        await callRoute(message.action, makeRequest(`/admin/outbox/${row.id}`, { cookie: cadre, form: { intent: "retry" } }), {
          messageId: String(row.id),
        })
      ).status,
    ).toBe(403);
  });
});

describe("Resend webhook", () => {
  it("is refused without a configured secret, with a bad signature, or unsigned", async () => {
    const event = { type: "email.bounced", data: { to: ["x@example.cn"] } };
    expect((await webhook.action({ request: signed(event), params: {}, context: {} })).status).toBe(503);
    process.env.RESEND_WEBHOOK_SECRET = SECRET;
    resetEnvCache();
    const forged = await webhook.action({
      request: signed(event, `whsec_${Buffer.from("another-secret-another-secret!!").toString("base64")}`),
      params: {},
      context: {},
    });
    expect(forged.status).toBe(401);
    const unsigned = new Request(`${ORIGIN}/webhooks/resend`, { method: "POST", body: JSON.stringify(event) });
    expect((await webhook.action({ request: unsigned, params: {}, context: {} })).status).toBe(401);
    expect(await db.select().from(emailSuppressions)).toHaveLength(0);
  });

  it("a bounce suppresses the address: the message shows why, later mail to it is skipped, an admin can lift it", async () => {
    process.env.RESEND_WEBHOOK_SECRET = SECRET;
    resetEnvCache();
    const sent = await queue("Bouncy@Example.cn", "bounce/1");
    await drainOutbox(db, { transport: inAppOutboxTransport });
    await db.update(emailOutbox).set({ providerMessageId: "re_msg_1" }).where(eq(emailOutbox.id, sent.id));

    const event = {
      type: "email.bounced",
      created_at: new Date().toISOString(),
      data: {
        email_id: "re_msg_1",
        to: ["Bouncy@Example.cn"],
        bounce: { type: "Permanent", subType: "General", message: "Mailbox does not exist" },
      },
    };
    const res = await webhook.action({ request: signed(event), params: {}, context: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: "suppressed" });
    // Delivered twice by the provider: no second audit entry.
    await webhook.action({ request: signed(event), params: {}, context: {} });
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "email.suppressed"))).toHaveLength(1);

    const [suppression] = await db.select().from(emailSuppressions);
    expect(suppression).toMatchObject({
      address: "bouncy@example.cn",
      reason: "bounced",
      detail: "Permanent / General / Mailbox does not exist",
    });
    const [bounced] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, sent.id));
    expect(bounced).toMatchObject({ status: "failed", lastError: "bounced: Permanent / General / Mailbox does not exist" });

    const next = await queue("bouncy@example.cn", "bounce/2");
    const report = await drainOutbox(db, { transport: inAppOutboxTransport });
    expect(report.suppressed).toBe(1);
    const page = await callRoute<any>(message.loader, makeRequest(`/admin/outbox/${next.id}`, { cookie: orgAdmin }), {
      messageId: String(next.id),
    });
    expect(page.data.message).toMatchObject({ status: "suppressed", lastError: "bounced: Permanent / General / Mailbox does not exist" });
    expect(page.data.suppression).toMatchObject({ reason: "bounced" });

    const lifted = await callRoute<any>(
      message.action,
      makeRequest(`/admin/outbox/${next.id}`, { cookie: orgAdmin, form: { intent: "unsuppress" } }),
      {
        messageId: String(next.id),
      },
    );
    expect(lifted.data).toMatchObject({ ok: true, intent: "unsuppress" });
    expect(await db.select().from(emailSuppressions)).toHaveLength(0);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "email.suppression_lifted"))).toHaveLength(1);
    await callRoute(message.action, makeRequest(`/admin/outbox/${next.id}`, { cookie: orgAdmin, form: { intent: "retry" } }), {
      messageId: String(next.id),
    });
    expect((await db.select().from(emailOutbox).where(eq(emailOutbox.id, next.id)))[0]!.batchKey).toBe("bounce/2");
    // The bounced message did reach the provider: sending it again is deliberate and needs a new key.
    await callRoute(message.action, makeRequest(`/admin/outbox/${sent.id}`, { cookie: orgAdmin, form: { intent: "retry" } }), {
      messageId: String(sent.id),
    });
    expect((await db.select().from(emailOutbox).where(eq(emailOutbox.id, sent.id)))[0]!.batchKey).toMatch(
      /^bounce\/1\/resend\/[0-9a-f-]{36}$/,
    );
    await drainOutbox(db, { transport: inAppOutboxTransport });
    expect((await db.select().from(emailOutbox).where(eq(emailOutbox.id, next.id)))[0]!.status).toBe("sent");
    expect((await db.select().from(emailOutbox).where(eq(emailOutbox.id, sent.id)))[0]!.status).toBe("sent");
  });

  it("a complaint suppresses too; other events are acknowledged and ignored", async () => {
    process.env.RESEND_WEBHOOK_SECRET = SECRET;
    resetEnvCache();
    const complained = await webhook.action({
      request: signed({ type: "email.complained", data: { email_id: "re_2", to: ["spam@example.cn"] } }),
      params: {},
      context: {},
    });
    expect(await complained.json()).toEqual({ ok: true, outcome: "suppressed" });
    const delivered = await webhook.action({
      request: signed({ type: "email.delivered", data: { email_id: "re_3", to: ["ok@example.cn"] } }),
      params: {},
      context: {},
    });
    expect(await delivered.json()).toEqual({ ok: true, outcome: "ignored" });
    expect((await db.select().from(emailSuppressions)).map((s) => [s.address, s.reason])).toEqual([["spam@example.cn", "complained"]]);
  });
});
