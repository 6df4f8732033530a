import { sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { enqueuePrepared, organizationName, prepareEmail } from "~/modules/email/outbox.server";
import { orgAdminRecipients } from "~/modules/email/recipients.server";
import { addDays, todayInShanghai } from "~/utils/dates";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import { linkOrigin } from "~/utils/origin.server";
import type { Database, DbOrTx } from "~db/client";
import type { RatingCaseReminderEmailProps } from "~emails/rating-case-reminder";
import { flagBursts } from "./bursts.server";
import { PHONE_RETENTION_DAYS } from "./rules";

/**
 * The scheduled work of public rating (jobs/schedules.ts):
 * - every morning, follow-ups due today are reminded to the unit's head and liaisons, and follow-ups
 *   past due are reminded to them again and escalated to the organization department — once per case
 *   for each (reminded_at, escalated_at), and each email once per recipient and day (idempotency key);
 * - every hour, today's and yesterday's bursts are flagged;
 * - every night, phones of cases closed more than 90 days ago are erased.
 */

type DueCase = {
  id: number;
  unit_id: number;
  unit_name: string;
  point_name: string;
  due_on: string;
  reasons: string[];
};

type Handler = {
  unit_id: number;
  user_id: number | null;
  name: string;
  email: string;
  locale: string | null;
};

/** The active head and liaisons (with an address) of the given units. */
async function handlersOf(db: DbOrTx, unitIds: number[]): Promise<Handler[]> {
  if (!unitIds.length) return [];
  return db.execute<Handler>(sql`
    select x.unit_id, us.id as user_id, c.name, trim(c.email) as email, us.locale
    from (
      select id as unit_id, head_cadre_id as cadre_id from units where id = any(${`{${unitIds.join(",")}}`}::int[]) and head_cadre_id is not null
      union
      select unit_id, cadre_id from unit_liaisons where unit_id = any(${`{${unitIds.join(",")}}`}::int[])
    ) x
    join cadres c on c.id = x.cadre_id and c.status = 'active' and coalesce(trim(c.email), '') <> ''
    left join users us on us.cadre_id = c.id and not us.disabled`);
}

async function claim(db: DbOrTx, column: "reminded_at" | "escalated_at", condition: ReturnType<typeof sql>): Promise<DueCase[]> {
  return db.execute<DueCase>(sql`
    update rating_cases c set ${sql.raw(column)} = now()
    from units u, rating_points p, public_ratings r
    where u.id = c.unit_id and p.id = c.point_id and r.id = c.rating_id
      and c.state = 'open' and c.${sql.raw(column)} is null and ${condition}
    returning c.id, c.unit_id, u.name as unit_name, p.name as point_name, c.due_on::text as due_on, r.reasons::text[] as reasons`);
}

export async function remindFollowUps(db: Database, now = new Date()) {
  const today = todayInShanghai(now);
  const origin = linkOrigin();
  return db.transaction(async (tx) => {
    const due = await claim(tx, "reminded_at", sql`c.due_on = ${today}::date`);
    const overdue = await claim(tx, "escalated_at", sql`c.due_on < ${today}::date`);
    const toCase = (c: DueCase) => ({
      id: Number(c.id),
      unitName: c.unit_name,
      pointName: c.point_name,
      dueOn: c.due_on,
      reasons: c.reasons,
      url: `${origin}/ratings/cases/${c.id}`,
    });
    const emails = [];
    const byRecipient = new Map<string, { handler: Handler; due: DueCase[]; overdue: DueCase[] }>();
    for (const h of await handlersOf(tx, [...new Set([...due, ...overdue].map((c) => Number(c.unit_id)))])) {
      const key = h.email.toLowerCase();
      const entry = byRecipient.get(key) ?? { handler: h, due: [], overdue: [] };
      entry.due.push(...due.filter((c) => Number(c.unit_id) === Number(h.unit_id)));
      entry.overdue.push(...overdue.filter((c) => Number(c.unit_id) === Number(h.unit_id)));
      byRecipient.set(key, entry);
    }
    const names = new Map<Locale, string>();
    const orgName = async (locale: Locale) => {
      if (!names.has(locale)) names.set(locale, await organizationName(tx, locale));
      return names.get(locale)!;
    };
    for (const [key, entry] of byRecipient) {
      const locale = toLocale(entry.handler.locale) ?? DEFAULT_LOCALE;
      for (const kind of ["due", "overdue"] as const) {
        if (!entry[kind].length) continue;
        const props: RatingCaseReminderEmailProps = {
          locale,
          organizationName: await orgName(locale),
          name: entry.handler.name,
          kind,
          cases: entry[kind].map(toCase),
          listUrl: `${origin}/ratings/cases?state=${kind === "due" ? "open" : "overdue"}`,
        };
        emails.push(
          await prepareEmail({
            template: "rating-case-reminder",
            to: entry.handler.email,
            userId: entry.handler.user_id === null ? null : Number(entry.handler.user_id),
            idempotencyKey: `rating-case/${kind}/${today}/${key}`,
            props,
          }),
        );
      }
    }
    if (overdue.length) {
      for (const admin of await orgAdminRecipients(tx)) {
        emails.push(
          await prepareEmail({
            template: "rating-case-reminder",
            to: admin.email,
            userId: admin.userId,
            idempotencyKey: `rating-case/escalation/${today}/${admin.userId}`,
            props: {
              locale: admin.locale,
              organizationName: await orgName(admin.locale),
              name: admin.name,
              kind: "escalation",
              cases: overdue.map(toCase),
              listUrl: `${origin}/ratings/cases?state=overdue`,
            },
          }),
        );
      }
    }
    await enqueuePrepared(tx, emails);
    return { due: due.length, overdue: overdue.length, emails: emails.length };
  });
}

/** Flags today's and yesterday's bursts (a burst of the evening is seen before the night is over). */
export async function flagRecentBursts(db: DbOrTx, now = new Date()) {
  const today = todayInShanghai(now);
  return { yesterday: await flagBursts(db, addDays(today, -1)), today: await flagBursts(db, today) };
}

/** Erases the phone of every case closed more than PHONE_RETENTION_DAYS ago, and records how many. */
export async function erasePhones(db: Database, now = new Date()) {
  return db.transaction(async (tx) => {
    const erased = await tx.execute<{ id: number }>(sql`
      update rating_cases set phone = null, phone_erased_at = ${now.toISOString()}::timestamptz
      where phone is not null and closed_at < ${now.toISOString()}::timestamptz - make_interval(days => ${PHONE_RETENTION_DAYS})
      returning id`);
    if (erased.length) {
      await audit(
        tx,
        { userId: null, label: "system" },
        {
          action: "rating_case.phones_erased",
          entityType: "rating_case",
          after: { cases: erased.length, retentionDays: PHONE_RETENTION_DAYS },
        },
      );
    }
    return { erased: erased.length };
  });
}
