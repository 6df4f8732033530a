import { and, eq, isNull } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { notFound } from "~/utils/errors";
import { DEFAULT_LOCALE, type Locale, toLocale, translator } from "~/utils/i18n";
import { buildCalendar } from "~/utils/ical.server";
import { linkOrigin } from "~/utils/origin.server";
import type { Database } from "~db/client";
import { cadres, rankingMeetingItems, rankingMeetings, units, users } from "~db/schema";
import { quarterLabel } from "./quarter";

/** The meeting as an iCalendar file in Asia/Shanghai; one UID per meeting, SEQUENCE = revision. */
export function meetingIcs(
  meeting: { id: number; quarter: string; startsAt: Date; endsAt: Date; place: string; revision: number },
  url: string,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const t = translator(locale);
  const title = t("rankings.meeting.calendarTitle", { quarter: quarterLabel(meeting.quarter, locale) });
  return buildCalendar({
    name: title,
    product: "rankings",
    method: "publish",
    events: [
      {
        uid: `ranking-meeting-${meeting.quarter}@luoshi`,
        sequence: meeting.revision,
        start: meeting.startsAt,
        end: meeting.endsAt,
        summary: title,
        location: meeting.place,
        description: url,
        url,
      },
    ],
  });
}

/**
 * Emails every speaker on the agenda (a unit head with an address) the invitation with the .ics, in
 * their language, queued in one transaction. One message per slot and revision: sending again after
 * adding a speaker writes only to the new one; after a change of time or place, to everyone again.
 */
export async function sendInvitations(
  db: Database,
  actor: Actor,
  meetingId: number,
  origin?: string,
): Promise<{ queued: number; withoutEmail: number }> {
  const [meeting] = await db.select().from(rankingMeetings).where(eq(rankingMeetings.id, meetingId));
  if (!meeting) throw notFound();
  const rows = await db
    .select({
      itemId: rankingMeetingItems.id,
      role: rankingMeetingItems.role,
      peerGroup: rankingMeetingItems.peerGroup,
      rank: rankingMeetingItems.rank,
      groupSize: rankingMeetingItems.groupSize,
      unitName: units.name,
      speakerId: rankingMeetingItems.speakerCadreId,
      speakerName: cadres.name,
      email: cadres.email,
      userId: users.id,
      locale: users.locale,
    })
    .from(rankingMeetingItems)
    .innerJoin(units, eq(units.id, rankingMeetingItems.unitId))
    .leftJoin(cadres, eq(cadres.id, rankingMeetingItems.speakerCadreId))
    .leftJoin(users, eq(users.cadreId, cadres.id))
    .where(and(eq(rankingMeetingItems.meetingId, meetingId), isNull(rankingMeetingItems.removedAt)));
  const url = `${linkOrigin(origin)}/rankings/meetings/${meetingId}`;
  const prepared: PreparedEmail[] = [];
  const orgNames = new Map<Locale, string>();
  for (const r of rows) {
    if (!r.email || !r.speakerName) continue;
    const locale = toLocale(r.locale) ?? DEFAULT_LOCALE;
    if (!orgNames.has(locale)) orgNames.set(locale, await organizationName(db, locale));
    prepared.push(
      await prepareEmail({
        template: "meeting-invitation",
        to: r.email,
        userId: r.userId,
        idempotencyKey: `ranking-meeting/${meetingId}/item/${r.itemId}/r${meeting.revision}`,
        props: {
          locale,
          organizationName: orgNames.get(locale)!,
          name: r.speakerName,
          quarter: meeting.quarter,
          quarterLabel: quarterLabel(meeting.quarter, locale),
          unitName: r.unitName,
          role: r.role,
          rank: r.rank,
          groupSize: r.groupSize,
          group: r.peerGroup,
          startsAt: meeting.startsAt.toISOString(),
          endsAt: meeting.endsAt.toISOString(),
          place: meeting.place,
          revision: meeting.revision,
          url,
        },
        attachments: [
          {
            filename: `ranking-meeting-${meeting.quarter}.ics`,
            contentType: "text/calendar; charset=utf-8",
            content: Buffer.from(meetingIcs(meeting, url, locale)).toString("base64"),
          },
        ],
      }),
    );
  }
  const withoutEmail = rows.length - prepared.length;
  return db.transaction(async (tx) => {
    const created = await enqueuePrepared(tx, prepared);
    await tx.update(rankingMeetings).set({ invitationsSentAt: new Date() }).where(eq(rankingMeetings.id, meetingId));
    await audit(tx, actor, {
      action: "ranking.invitations_sent",
      entityType: "ranking_meeting",
      entityId: meetingId,
      after: { queued: created.length, withoutEmail, revision: meeting.revision },
    });
    return { queued: created.length, withoutEmail };
  });
}
