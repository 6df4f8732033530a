import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { signCheckInToken, windowOf } from "~/modules/attendance/checkin/token.server";
import type { DbOrTx } from "~db/client";
import { classLeaveRequests, classRegistrations, classSessions, classSessionVenues, classVenueStaff, classVenues } from "~db/schema";
import type { ClassSessionStatus } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";
import { createCadre, createUnit, createUser } from "~db/seed/factories";

/**
 * Night-class rows for the attendance tests, written straight into the classes tables (as the demo seed
 * does): a session with venues, registrations, leave, venue staff. The classes capability has its own
 * services for these; attendance only needs the rows to exist.
 */
let n = 0;

export async function createClassSession(
  db: DbOrTx,
  options: {
    startsAt: Date;
    minutes?: number;
    status?: ClassSessionStatus;
    venues?: number;
    openRegistration?: boolean;
    hours?: number;
    minRank?: Rank | null;
  },
) {
  n++;
  const tag = `${Date.now().toString(36)}${n}`;
  const endsAt = new Date(options.startsAt.getTime() + (options.minutes ?? 90) * 60_000);
  const [session] = await db
    .insert(classSessions)
    .values({
      code: `T${tag}-${n}`,
      title: `测试课程 ${n}`,
      lecturer: "讲师",
      startsAt: options.startsAt,
      endsAt,
      registrationDeadline: new Date(options.startsAt.getTime() - 3_600_000),
      trainingHours: options.hours ?? 2,
      status: options.status ?? "published",
      audience: { minRank: options.minRank === undefined ? "staff" : options.minRank, unitIds: [], cadreIds: [], excludeCadreIds: [] },
      audienceMandatory: false,
      openRegistration: options.openRegistration ?? false,
    })
    .returning();
  const venues: { venueId: number; sessionVenueId: number; name: string }[] = [];
  for (let i = 0; i < (options.venues ?? 1); i++) {
    const [venue] = await db
      .insert(classVenues)
      .values({ name: `分会场 ${tag}-${i}`, capacity: 500, ranks: ["staff", "deputy_section", "section", "deputy_county", "county"] })
      .returning();
    const [sv] = await db
      .insert(classSessionVenues)
      .values({ sessionId: session!.id, venueId: venue!.id, capacity: 500, ranks: venue!.ranks })
      .returning();
    venues.push({ venueId: venue!.id, sessionVenueId: sv!.id, name: venue!.name });
  }
  return { session: session!, venues };
}

export async function register(db: DbOrTx, sessionId: number, cadreId: number, venueId: number | null) {
  const [row] = await db.insert(classRegistrations).values({ sessionId, cadreId, venueId, source: "self" }).returning();
  return row!;
}

export async function approveLeave(db: DbOrTx, sessionId: number, cadreId: number) {
  await db.insert(classLeaveRequests).values({ sessionId, cadreId, reason: "出差", status: "approved", decidedAt: new Date() });
}

export async function assignStaff(db: DbOrTx, sessionVenueId: number, userId: number) {
  await db.insert(classVenueStaff).values({ sessionVenueId, userId });
}

/** A unit with `count` cadres of the rank, each with an account (password "pw-cadre-1"). */
export async function cadresWithAccounts(
  db: DbOrTx,
  count: number,
  options: { unitId?: number; rank?: Rank; password?: string | null } = {},
) {
  const unitId = options.unitId ?? (await createUnit(db)).id;
  const out: { cadreId: number; userId: number; staffNo: string; unitId: number }[] = [];
  for (let i = 0; i < count; i++) {
    const cadre = await createCadre(db, { unitId, rank: options.rank ?? "deputy_section" });
    const user = await createUser(db, { cadreId: cadre.id, password: options.password ?? null, disabled: false });
    out.push({ cadreId: cadre.id, userId: user.id, staffNo: cadre.staffNo, unitId });
  }
  return out;
}

/** A token for a venue, as its display would show it at `at` (default now). */
export async function tokenFor(db: DbOrTx, sessionId: number, sessionVenueId: number, at = new Date(), period = 30) {
  const key = await checkInSigningKey(db);
  return signCheckInToken(key, { sessionId, sessionVenueId, window: windowOf(at, period), period });
}
