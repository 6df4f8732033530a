import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { Scope } from "~/modules/auth/roles";
import { unitOptions } from "~/modules/organization/units.server";
import { shanghaiInstant, shanghaiParts } from "~/utils/dates";
import { invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { PG_UNIQUE_VIOLATION, pgErrorCode } from "~db/client";
import { classSeries, classSeriesVenues, classSessions, classSessionVenues, classVenues } from "~db/schema";
import type { AudienceRule, Recurrence } from "~db/schema/classes";
import { resolveAudienceInput } from "./audience-input.server";
import { occurrences } from "./recurrence";
import { deadlineBefore, nextSessionCodes } from "./rules";
import type { SeriesFormInput } from "./schema";
import { registrationCounts } from "./sessions.server";
import { transitionSession } from "./status.server";

export function recurrenceOf(
  input: Pick<SeriesFormInput, "recurrenceKind" | "intervalWeeks" | "weekdays" | "monthlyWeekday" | "monthlyWeeks">,
): Recurrence {
  return input.recurrenceKind === "weekly"
    ? { kind: "weekly", intervalWeeks: input.intervalWeeks, weekdays: [...new Set(input.weekdays)].sort() }
    : { kind: "monthly", weekday: input.monthlyWeekday, weeks: [...new Set(input.monthlyWeeks)].sort((a, b) => a - b) };
}

/**
 * Two generations (or a generation and an import) numbering codes at the same moment would pick the
 * same ones; this lock makes them take turns. The unique index on code is the guarantee behind it.
 */
export async function lockSessionCodes(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:class-codes'))`);
}

async function existingCodes(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ code: classSessions.code })
    .from(classSessions)
    .where(sql`${classSessions.code} ~ '^[0-9]{4}-[0-9]{2,3}$'`);
  return rows.map((r) => r.code);
}

export interface PlannedDate {
  date: string;
  code: string;
  startsAt: Date;
  endsAt: Date;
}

/** The dates and codes a series form would create. Writes nothing: the preview. */
export async function previewSeries(db: DbOrTx, input: SeriesFormInput): Promise<PlannedDate[]> {
  const dates = occurrences(recurrenceOf(input), input.startDate, input.endDate, input.exceptDates);
  if (!dates.length) throw invalid("classes.errors.noDates", "startDate");
  const codes = nextSessionCodes(dates, await existingCodes(db));
  return dates.map((date, i) => ({
    date,
    code: codes[i]!,
    startsAt: shanghaiInstant(date, input.startTime),
    endsAt: shanghaiInstant(date, input.endTime),
  }));
}

type SeriesDefaults = Pick<
  typeof classSeries.$inferSelect,
  "id" | "title" | "startTime" | "endTime" | "trainingHours" | "deadlineHoursBefore" | "audienceMandatory" | "openRegistration" | "liveUrl"
> & { audience: AudienceRule };

/** Draft sessions for dates of a series, with the series' venues. Codes are taken under lockSessionCodes. */
async function insertSeriesSessions(tx: DbOrTx, series: SeriesDefaults, dates: string[], actor: Actor) {
  await lockSessionCodes(tx);
  const codes = nextSessionCodes(dates, await existingCodes(tx));
  const inserted = await tx
    .insert(classSessions)
    .values(
      dates.map((date, i) => {
        const startsAt = shanghaiInstant(date, series.startTime);
        return {
          code: codes[i]!,
          seriesId: series.id,
          title: `${series.title} · ${codes[i]}`,
          startsAt,
          endsAt: shanghaiInstant(date, series.endTime),
          registrationDeadline: deadlineBefore(startsAt, series.deadlineHoursBefore),
          trainingHours: series.trainingHours,
          audience: series.audience,
          audienceMandatory: series.audienceMandatory,
          openRegistration: series.openRegistration,
          liveUrl: series.liveUrl,
          createdByUserId: actor.userId,
        };
      }),
    )
    .onConflictDoNothing({ target: [classSessions.seriesId, classSessions.startsAt] })
    .returning({ id: classSessions.id, code: classSessions.code });
  const venues = await tx
    .select({ venueId: classVenues.id, capacity: classVenues.capacity, ranks: classVenues.ranks })
    .from(classSeriesVenues)
    .innerJoin(classVenues, eq(classVenues.id, classSeriesVenues.venueId))
    .where(eq(classSeriesVenues.seriesId, series.id))
    .orderBy(asc(classVenues.id));
  if (inserted.length && venues.length) {
    await tx.insert(classSessionVenues).values(inserted.flatMap((s) => venues.map((v) => ({ sessionId: s.id, ...v }))));
  }
  return inserted;
}

/**
 * Creates a series and its draft sessions in one transaction. The form carries a one-time key: the same
 * submission twice (a double click, a retry) finds the first series instead of making a second.
 */
export async function createSeries(
  db: Database,
  actor: Actor,
  input: SeriesFormInput,
): Promise<{ seriesId: number; sessions: number; existing: boolean }> {
  const dates = occurrences(recurrenceOf(input), input.startDate, input.endDate, input.exceptDates);
  if (!dates.length) throw invalid("classes.errors.noDates", "startDate");
  try {
    return await db.transaction(async (tx) => {
      const [again] = await tx.select({ id: classSeries.id }).from(classSeries).where(eq(classSeries.idempotencyKey, input.idempotencyKey));
      if (again) return { seriesId: again.id, sessions: 0, existing: true };
      const audience = await resolveAudienceInput(tx, input);
      const venueIds = [...new Set(input.venueIds)];
      const venues = venueIds.length
        ? await tx.select({ id: classVenues.id }).from(classVenues).where(inArray(classVenues.id, venueIds))
        : [];
      if (venues.length !== venueIds.length) throw invalid("validation.invalid", "venueIds");
      const [series] = await tx
        .insert(classSeries)
        .values({
          title: input.title,
          description: input.description ?? "",
          recurrence: recurrenceOf(input),
          startDate: input.startDate,
          endDate: input.endDate,
          startTime: input.startTime,
          endTime: input.endTime,
          trainingHours: input.trainingHours,
          deadlineHoursBefore: input.deadlineHoursBefore,
          audience,
          audienceMandatory: input.audienceMandatory,
          openRegistration: input.openRegistration,
          liveUrl: input.liveUrl,
          idempotencyKey: input.idempotencyKey,
          createdByUserId: actor.userId,
        })
        .returning();
      if (venueIds.length) await tx.insert(classSeriesVenues).values(venueIds.map((venueId) => ({ seriesId: series!.id, venueId })));
      const sessions = await insertSeriesSessions(tx, series!, dates, actor);
      await audit(tx, actor, {
        action: "class.series.created",
        entityType: "class_series",
        entityId: series!.id,
        after: { title: series!.title, recurrence: series!.recurrence, dates: dates.length, codes: sessions.map((s) => s.code) },
      });
      return { seriesId: series!.id, sessions: sessions.length, existing: false };
    });
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      // A concurrent twin of this very submission won the race: show what it made.
      const [twin] = await db.select({ id: classSeries.id }).from(classSeries).where(eq(classSeries.idempotencyKey, input.idempotencyKey));
      if (twin) return { seriesId: twin.id, sessions: 0, existing: true };
      throw invalid("classes.errors.seriesTitleTaken", "title");
    }
    throw error;
  }
}

/** A date added by hand (a make-up evening, a date moved into the series). */
export async function addSeriesDate(db: Database, actor: Actor, seriesId: number, date: string) {
  return db.transaction(async (tx) => {
    const [series] = await tx.select().from(classSeries).where(eq(classSeries.id, seriesId));
    if (!series) throw notFound();
    const [created] = await insertSeriesSessions(tx, series, [date], actor);
    if (!created) throw invalid("classes.errors.dateExists", "date");
    await audit(tx, actor, {
      action: "class.session.added",
      entityType: "class_session",
      entityId: created.id,
      after: { seriesId, date, code: created.code },
    });
    return created;
  });
}

/** Publishes every draft of a series that is still ahead; each in its own transaction, with its enrolment. */
export async function publishSeriesDrafts(db: Database, actor: Actor, seriesId: number, options: { now?: Date; origin?: string } = {}) {
  const now = options.now ?? new Date();
  const drafts = await db
    .select({ code: classSessions.code })
    .from(classSessions)
    .where(and(eq(classSessions.seriesId, seriesId), eq(classSessions.status, "draft"), gt(classSessions.startsAt, now)))
    .orderBy(asc(classSessions.startsAt));
  let published = 0;
  for (const d of drafts) {
    const outcome = await transitionSession(db, actor, d.code, "publish", { now, origin: options.origin });
    if (!outcome.unchanged) published++;
  }
  return { published };
}

export async function getSeries(db: DbOrTx, seriesId: number) {
  const [series] = await db.select().from(classSeries).where(eq(classSeries.id, seriesId));
  if (!series) throw notFound();
  const [venues, sessions] = await Promise.all([
    db
      .select({ id: classVenues.id, name: classVenues.name, capacity: classVenues.capacity, ranks: classVenues.ranks })
      .from(classSeriesVenues)
      .innerJoin(classVenues, eq(classVenues.id, classSeriesVenues.venueId))
      .where(eq(classSeriesVenues.seriesId, seriesId)),
    db
      .select({
        id: classSessions.id,
        code: classSessions.code,
        title: classSessions.title,
        lecturer: classSessions.lecturer,
        startsAt: classSessions.startsAt,
        endsAt: classSessions.endsAt,
        status: classSessions.status,
      })
      .from(classSessions)
      .where(eq(classSessions.seriesId, seriesId))
      .orderBy(asc(classSessions.startsAt)),
  ]);
  const counts = sessions.length
    ? await registrationCounts(
        db,
        sessions.map((s) => s.id),
      )
    : new Map();
  return { series, venues, sessions: sessions.map((s) => ({ ...s, counts: counts.get(s.id) ?? null })) };
}

/** What the new-series form offers: venues, units for the audience, and sensible defaults (Laixi's rhythm). */
export async function seriesFormOptions(db: DbOrTx, caller: { scope: Scope }, now = new Date()) {
  const [venues, unitList] = await Promise.all([
    db
      .select({ id: classVenues.id, name: classVenues.name, capacity: classVenues.capacity, ranks: classVenues.ranks })
      .from(classVenues)
      .where(eq(classVenues.active, true))
      .orderBy(asc(classVenues.name)),
    unitOptions(db, caller.scope),
  ]);
  const today = shanghaiParts(now);
  // Late in the year the next plan is the one being made.
  const year = today.month >= 10 ? today.year + 1 : today.year;
  return {
    venues,
    units: unitList,
    defaults: {
      year,
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
      startTime: "19:30",
      endTime: "21:00",
      trainingHours: 1.5,
      deadlineHoursBefore: 6,
      monthlyWeekday: 3,
      monthlyWeeks: [2, 4],
      minRank: "deputy_section" as const,
    },
    idempotencyKey: randomUUID(),
  };
}
