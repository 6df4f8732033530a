import { and, eq, gt, gte, inArray, ne, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, classRegistrations, classSessions } from "~db/schema";
import type { AudienceRule } from "~db/schema/classes";
import { RANKS } from "~db/schema/enums";
import { assignVenue, audienceHasRule, seatsMovable } from "./rules";
import { promoteWaitlist, seatStates } from "./seats.server";
import { type ClassSessionRow, lockSession } from "./sessions.server";

/**
 * The SQL twin of `inAudience` (rules.ts): active cadres matching the rank and unit rule, plus named
 * cadres, minus exclusions. Sub-units are resolved first, so the condition is a plain filter on cadres.
 */
export async function audienceCondition(db: DbOrTx, rule: AudienceRule): Promise<SQL> {
  const parts: (SQL | undefined)[] = [];
  if (audienceHasRule(rule)) {
    const subtree = rule.unitIds.length ? await unitSubtreeIds(db, rule.unitIds) : [];
    parts.push(
      and(
        rule.minRank ? gte(cadres.rank, rule.minRank) : undefined,
        rule.unitIds.length ? inArray(cadres.unitId, subtree.length ? subtree : [0]) : undefined,
      ) ?? sql`true`,
    );
  }
  if (rule.cadreIds.length) parts.push(inArray(cadres.id, rule.cadreIds));
  const included = parts.length ? or(...parts)! : sql`false`;
  return and(eq(cadres.status, "active"), included, rule.excludeCadreIds.length ? notInArray(cadres.id, rule.excludeCadreIds) : undefined)!;
}

/** The cadres an audience rule names today. */
export async function audienceCadres(db: DbOrTx, rule: AudienceRule) {
  return db
    .select({ id: cadres.id, rank: cadres.rank, staffNo: cadres.staffNo, unitId: cadres.unitId })
    .from(cadres)
    .where(await audienceCondition(db, rule));
}

export interface SyncResult {
  enrolled: number;
  dropped: number;
  promoted: number;
}

const rankOrder = (rank: string) => RANKS.indexOf(rank as (typeof RANKS)[number]);

/**
 * Makes a published session's enrolments match its mandatory audience and the roster as it is now:
 * cadres who joined the audience (a new cadre, a promotion, a transfer in) are enrolled, at the venue
 * their rank maps to while it has room, else online; enrolments made because of the audience end for
 * cadres who left it, and every registration of a cadre no longer active ends. Runs at publication,
 * after an audience edit, and from the scheduled job until the session starts. Call under lockSession.
 */
export async function syncEnrolments(
  tx: DbOrTx,
  session: ClassSessionRow,
  actor: Actor,
  options: { now?: Date; origin?: string } = {},
): Promise<SyncResult> {
  const now = options.now ?? new Date();
  if (!seatsMovable(session, now)) return { enrolled: 0, dropped: 0, promoted: 0 };

  const audience = session.audienceMandatory ? await audienceCadres(tx, session.audience) : [];
  const inAudience = new Set(audience.map((c) => c.id));
  const existing = await tx
    .select({
      id: classRegistrations.id,
      cadreId: classRegistrations.cadreId,
      status: classRegistrations.status,
      source: classRegistrations.source,
      cadreStatus: cadres.status,
    })
    .from(classRegistrations)
    .innerJoin(cadres, eq(cadres.id, classRegistrations.cadreId))
    .where(eq(classRegistrations.sessionId, session.id));

  const drop = existing.filter(
    (r) =>
      r.status === "registered" &&
      (r.cadreStatus !== "active" || (r.source === "mandatory" && session.audienceMandatory && !inAudience.has(r.cadreId))),
  );
  if (drop.length) {
    await tx
      .update(classRegistrations)
      .set({ status: "cancelled", venueId: null, waitlistVenueId: null, waitlistedAt: null, cancelledAt: now })
      .where(
        inArray(
          classRegistrations.id,
          drop.map((r) => r.id),
        ),
      );
  }
  // Seats given back go to those already waiting for them before any newcomer is seated.
  const promoted = drop.length ? await promoteWaitlist(tx, session, actor, options) : 0;

  const rowByCadre = new Map(existing.map((r) => [r.cadreId, r]));
  const join = audience
    .filter((c) => rowByCadre.get(c.id)?.status !== "registered")
    // Higher ranks are seated first, then by staff number, so the outcome is the same on every run.
    .sort((a, b) => rankOrder(b.rank) - rankOrder(a.rank) || a.staffNo.localeCompare(b.staffNo));
  if (join.length) {
    const seats = (await seatStates(tx, session.id)).map((s) => ({ venueId: s.venueId, ranks: s.ranks, free: s.free }));
    const placed = join.map((c) => {
      const venueId = assignVenue(c.rank, seats);
      if (venueId !== null) seats.find((s) => s.venueId === venueId)!.free--;
      return { cadreId: c.id, venueId };
    });
    const fresh = placed.filter((p) => !rowByCadre.has(p.cadreId));
    for (let i = 0; i < fresh.length; i += 500) {
      await tx.insert(classRegistrations).values(
        fresh.slice(i, i + 500).map((p) => ({
          sessionId: session.id,
          cadreId: p.cadreId,
          source: "mandatory" as const,
          venueId: p.venueId,
          registeredAt: now,
        })),
      );
    }
    for (const p of placed.filter((p) => rowByCadre.has(p.cadreId))) {
      await tx
        .update(classRegistrations)
        .set({ status: "registered", source: "mandatory", venueId: p.venueId, registeredAt: now, cancelledAt: null })
        .where(eq(classRegistrations.id, rowByCadre.get(p.cadreId)!.id));
    }
  }
  if (join.length || drop.length) {
    await audit(tx, actor, {
      action: "class.enrolment.synced",
      entityType: "class_session",
      entityId: session.id,
      after: { code: session.code, enrolled: join.length, dropped: drop.length },
    });
  }
  return { enrolled: join.length, dropped: drop.length, promoted };
}

/**
 * The scheduled follow-up: every published mandatory session that has not started is brought in line
 * with the roster, one session (and one short transaction) at a time.
 */
export async function syncUpcomingEnrolments(db: Database, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const upcoming = await db
    .select({ id: classSessions.id })
    .from(classSessions)
    .where(and(eq(classSessions.status, "published"), gt(classSessions.startsAt, now), ne(classSessions.audienceMandatory, false)));
  const total: SyncResult = { enrolled: 0, dropped: 0, promoted: 0 };
  for (const { id } of upcoming) {
    const result = await db.transaction(async (tx) => {
      await lockSession(tx, id);
      const [session] = await tx.select().from(classSessions).where(eq(classSessions.id, id));
      return session ? syncEnrolments(tx, session, { userId: null, label: "system" }, { now }) : null;
    });
    if (result) {
      total.enrolled += result.enrolled;
      total.dropped += result.dropped;
      total.promoted += result.promoted;
    }
  }
  return total;
}
