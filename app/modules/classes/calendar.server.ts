import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { forbidden, notFound } from "~/utils/errors";
import { translator } from "~/utils/i18n";
import type { Database, DbOrTx } from "~db/client";
import { classCalendarFeeds, classRegistrations, classSessions, classSessionVenues, classVenues } from "~db/schema";
import { classCalendar } from "./ics";
import { cadreForClasses, cadreMaySee, findRegistration } from "./registration.server";
import { findSessionByCode } from "./sessions.server";

export { type CalendarEvent, classCalendar } from "./ics";

/** The calling cadre's .ics for one session they may see, with their own place in it. */
export async function sessionIcs(db: DbOrTx, caller: { cadreId: number | null }, code: string, origin: string): Promise<string> {
  if (!caller.cadreId) throw forbidden();
  const session = await findSessionByCode(db, code);
  const cadre = await cadreForClasses(db, caller.cadreId);
  const registration = await findRegistration(db, session.id, cadre.id);
  if (!cadreMaySee(session, cadre, registration !== null)) throw notFound();
  const place = registration?.status === "registered" && registration.venueId ? await venueName(db, registration.venueId) : null;
  return classCalendar(session.title, [{ ...session, place, url: `${origin}/classes/${encodeURIComponent(session.code)}` }]);
}

async function venueName(db: DbOrTx, venueId: number) {
  const [venue] = await db
    .select({ name: classVenues.name, address: classVenues.address })
    .from(classVenues)
    .where(eq(classVenues.id, venueId));
  return venue ? [venue.name, venue.address].filter(Boolean).join(" ") : null;
}

/** Every session the cadre is registered for (cancelled ones too, so calendars drop them), for the feed. */
export async function feedIcs(db: DbOrTx, token: string, origin: string): Promise<string> {
  if (!/^[a-z0-9]{32}$/.test(token)) throw notFound();
  const [feed] = await db
    .select({ cadreId: classCalendarFeeds.cadreId })
    .from(classCalendarFeeds)
    .where(eq(classCalendarFeeds.token, token));
  if (!feed) throw notFound();
  const rows = await db
    .select({
      code: classSessions.code,
      title: classSessions.title,
      lecturer: classSessions.lecturer,
      startsAt: classSessions.startsAt,
      endsAt: classSessions.endsAt,
      status: classSessions.status,
      revision: classSessions.revision,
      venueName: classVenues.name,
      venueAddress: classVenues.address,
    })
    .from(classRegistrations)
    .innerJoin(classSessions, eq(classSessions.id, classRegistrations.sessionId))
    .leftJoin(
      classSessionVenues,
      and(eq(classSessionVenues.sessionId, classRegistrations.sessionId), eq(classSessionVenues.venueId, classRegistrations.venueId)),
    )
    .leftJoin(classVenues, eq(classVenues.id, classSessionVenues.venueId))
    .where(
      and(
        eq(classRegistrations.cadreId, feed.cadreId),
        eq(classRegistrations.status, "registered"),
        inArray(classSessions.status, ["published", "closed", "cancelled"]),
      ),
    )
    .orderBy(asc(classSessions.startsAt));
  const t = translator("zh-CN");
  return classCalendar(
    t("classes.calendar.feedName"),
    rows.map((r) => ({
      ...r,
      place: r.venueName ? [r.venueName, r.venueAddress].filter(Boolean).join(" ") : null,
      url: `${origin}/classes/${encodeURIComponent(r.code)}`,
    })),
    { method: "publish" },
  );
}

/** Makes (or, with `reset`, replaces) the secret address of the calling cadre's feed. */
export async function issueFeedToken(
  db: Database,
  caller: { id: number; cadreId: number | null },
  options: { reset: boolean },
): Promise<string> {
  if (!caller.cadreId) throw forbidden();
  const cadreId = caller.cadreId;
  const actor: Actor = { userId: caller.id };
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(classCalendarFeeds).where(eq(classCalendarFeeds.cadreId, cadreId)).for("update");
    if (existing && !options.reset) return existing.token;
    const token = randomBytes(16).toString("hex");
    await tx
      .insert(classCalendarFeeds)
      .values({ cadreId, token })
      .onConflictDoUpdate({ target: classCalendarFeeds.cadreId, set: { token, createdAt: new Date() } });
    await audit(tx, actor, {
      action: existing ? "class.calendar.reset" : "class.calendar.created",
      entityType: "cadre",
      entityId: cadreId,
    });
    return token;
  });
}
