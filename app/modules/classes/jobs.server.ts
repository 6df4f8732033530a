import { and, eq, gte, lt, sql } from "drizzle-orm";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { shanghaiMidnight, todayInShanghai } from "~/utils/dates";
import { linkOrigin } from "~/utils/origin.server";
import type { Database } from "~db/client";
import { classLeaveRequests, classRegistrations, classSessions } from "~db/schema";
import { syncUpcomingEnrolments } from "./enrolment.server";
import { queueClassEmails, recipients, sessionLinks, sessionSummary } from "./notify.server";
import { sessionVenues } from "./sessions.server";

/**
 * The day-before reminder: every registered cadre of a published session starting tomorrow (Shanghai
 * calendar), except those on approved leave. One email per cadre, session and revision, however often
 * the job runs; a session moved to another day is reminded again for its new date.
 */
export async function sendClassReminders(db: Database, now = new Date()) {
  const tomorrow = new Date(shanghaiMidnight(todayInShanghai(now)).getTime() + 86_400_000);
  const dayAfter = new Date(tomorrow.getTime() + 86_400_000);
  const sessions = await db
    .select()
    .from(classSessions)
    .where(and(eq(classSessions.status, "published"), gte(classSessions.startsAt, tomorrow), lt(classSessions.startsAt, dayAfter)));
  let queued = 0;
  for (const session of sessions) {
    const enrolled = await db
      .select({ cadreId: classRegistrations.cadreId, venueId: classRegistrations.venueId })
      .from(classRegistrations)
      .where(
        and(
          eq(classRegistrations.sessionId, session.id),
          eq(classRegistrations.status, "registered"),
          sql`not exists (select 1 from ${classLeaveRequests} l where l.session_id = ${session.id} and l.cadre_id = "class_registrations"."cadre_id" and l.status = 'approved')`,
        ),
      );
    const venues = new Map((await sessionVenues(db, session.id)).map((v) => [v.venueId, v]));
    const people = await recipients(
      db,
      enrolled.map((e) => e.cadreId),
    );
    const links = sessionLinks(linkOrigin(), session.code);
    // In chunks, each its own transaction: rendering 1,300 reminders should not hold one open for long.
    for (let i = 0; i < enrolled.length; i += 200) {
      const chunk = enrolled.slice(i, i + 200).flatMap((e) => {
        const recipient = people.get(e.cadreId);
        if (!recipient) return [];
        return [
          {
            recipient,
            key: `class-reminder/${session.id}/${e.cadreId}/${session.revision}`,
            props: { session: sessionSummary(session, e.venueId ? (venues.get(e.venueId) ?? null) : null), sessionUrl: links.sessionUrl },
          },
        ];
      });
      queued += await db.transaction((tx) => queueClassEmails(tx, "class-reminder", chunk));
    }
  }
  if (queued) nudgeOutbox();
  return { sessions: sessions.length, queued };
}

/** The roster-following job: see syncUpcomingEnrolments. */
export async function followRosterChanges(db: Database, now = new Date()) {
  return syncUpcomingEnrolments(db, { now });
}
