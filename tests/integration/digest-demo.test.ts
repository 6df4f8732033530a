import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { formatIsoWeek, isoWeekOf } from "~/utils/dates";
import { emailOutbox } from "~db/schema";
import { DEMO_ACCOUNTS, seedDemoCity } from "~db/seed/index";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

describe("the demo city's weekly digest", () => {
  it("every demo unit head has this week's digest in the outbox, and the education bureau's reads well", async () => {
    await seedDemoCity(db, { demoAccounts: true });
    const week = formatIsoWeek(isoWeekOf(new Date()));
    const [heads] = await db.execute<{ n: number }>(sql`
      select count(distinct h.id)::int as n from units u join cadres h on h.id = u.head_cadre_id
      where h.status = 'active' and coalesce(h.email, '') <> ''`);
    const digests = await db
      .select({ key: emailOutbox.idempotencyKey, to: emailOutbox.toAddress, subject: emailOutbox.subject, text: emailOutbox.text })
      .from(emailOutbox)
      .where(eq(emailOutbox.template, "weekly-digest"));
    expect(heads!.n).toBeGreaterThan(100);
    expect(digests).toHaveLength(heads!.n);
    expect(digests.every((d) => d.key.endsWith(`/${week}`))).toBe(true);

    const education = digests.find((d) => d.to === DEMO_ACCOUNTS.head)!;
    expect(education.subject).toBe(`市教育和体育局周报 · ${week.slice(0, 4)}年第${Number(week.slice(6))}周`);
    expect(education.text).toContain("雷瑞凯同志：您好！");
    // The demo data always holds frontline records waiting and a published ranking for the bureau.
    expect(education.text).toContain("待核实的一线经历记录");
    expect(education.text).toContain("（已发布）：在部门类");
    expect(education.text).toContain("您收到这封邮件，是因为您是市教育和体育局的负责人");
  }, 120_000);
});
