import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pruneSecurityLog, sealLog, verifyLog } from "~/modules/audit/chain.server";
import { nightlyCleanup } from "~/modules/jobs/cleanup.server";
import { recordSecurityEvent } from "~/modules/security/events.server";
import { logChainAnchors, securityEvents, settings } from "~db/schema";
import { testDatabase } from "../setup/db";

const { db } = await testDatabase();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe("security log retention", () => {
  it("keeps at least 180 days whatever the setting, prunes whole prefixes of the chain, and anchors where it now starts", async () => {
    await recordSecurityEvent(
      db,
      [
        { kind: "sign_out", userId: 1 },
        { kind: "sign_out", userId: 1 },
      ],
      daysAgo(400),
    );
    await recordSecurityEvent(db, { kind: "sign_out", userId: 2 }, daysAgo(200));
    await recordSecurityEvent(db, { kind: "sign_out", userId: 3 }, daysAgo(170));
    await recordSecurityEvent(db, { kind: "sign_out", userId: 4 });
    await recordSecurityEvent(
      db,
      Array.from({ length: 8 }, () => ({ kind: "sign_out" as const, userId: 4 })),
    );
    await sealLog(db, "security_events");
    // Rows written together are chained in the order they were written (ids 1…12, past the text order "10" < "2").
    const order = await db.select({ id: securityEvents.id, seq: securityEvents.chainSeq }).from(securityEvents).orderBy(securityEvents.id);
    expect(order.map((r) => r.seq)).toEqual(order.map((r) => r.id));

    // A retention under 180 days is read as 180: the 170-day-old row stays.
    expect(await pruneSecurityLog(db, 30)).toBe(3);
    expect([...new Set((await db.select().from(securityEvents)).map((e) => e.userId))]).toEqual([3, 4]);
    const [anchor] = await db.select().from(logChainAnchors);
    expect(anchor).toMatchObject({ log: "security_events", uptoSeq: 3, removedRows: 3 });
    expect((await verifyLog(db, "security_events")).broken).toBeNull();

    // The nightly clean-up prunes with the policy's retention.
    await db.insert(settings).values({ key: "security.policy", value: { securityLogRetentionDays: 365 } });
    await recordSecurityEvent(db, { kind: "sign_out", userId: 5 });
    expect((await nightlyCleanup(db)).securityEvents).toBe(0);
  });

  it("a deletion the anchor does not explain is reported", async () => {
    const [first] = await db.select().from(securityEvents).where(eq(securityEvents.userId, 3));
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from security_events where id = ${first!.id}`);
    });
    const report = await verifyLog(db, "security_events");
    expect(report.broken?.problem).toBe("rows_missing");
  });
});
