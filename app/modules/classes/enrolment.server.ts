import { and, eq, gt, gte, inArray, ne, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { pastTermValuesSql } from "~/modules/organization/terms.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { idList } from "~/utils/sql.server";
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

/**
 * The cadres an audience rule named on a past day: active that day, in the rank and the unit they had
 * that day (their dated history), and already in a unit (a cadre who joined later is not). For
 * sessions brought in after the fact (历史补录).
 */
export async function audienceCadresOn(db: DbOrTx, rule: AudienceRule, day: string) {
  const parts: SQL[] = [];
  if (audienceHasRule(rule)) {
    const subtree = rule.unitIds.length ? await unitSubtreeIds(db, rule.unitIds) : [];
    const rank = rule.minRank ? sql`coalesce(rk.value, c.rank) >= ${rule.minRank}::cadre_rank` : sql`true`;
    const unit = rule.unitIds.length ? sql`m.unit_id in ${idList(subtree.length ? subtree : [0])}` : sql`true`;
    parts.push(sql`(${rank} and ${unit})`);
  }
  if (rule.cadreIds.length) parts.push(sql`c.id in ${idList(rule.cadreIds)}`);
  if (!parts.length) return [];
  const excluded = rule.excludeCadreIds.length ? sql`and c.id not in ${idList(rule.excludeCadreIds)}` : sql``;
  const rows = await db.execute<{ id: number; rank: (typeof RANKS)[number]; staff_no: string; unit_id: number }>(sql`
    select c.id, coalesce(rk.value, c.rank) as rank, c.staff_no, m.unit_id
    from cadres c
    join unit_memberships m on m.cadre_id = c.id
      and (m.start_date is null or m.start_date <= ${day}::date) and (m.end_date is null or m.end_date > ${day}::date)
    left join ${pastTermValuesSql("rank", sql`${day}::date`)} rk on rk.cadre_id = c.id
    left join ${pastTermValuesSql("status", sql`${day}::date`)} st on st.cadre_id = c.id
    where coalesce(st.value, c.status) = 'active' and (${sql.join(parts, sql` or `)}) ${excluded}`);
  return rows.map((r) => ({ id: Number(r.id), rank: r.rank, staffNo: r.staff_no, unitId: Number(r.unit_id) }));
}

/**
 * A past session brought in closed: its mandatory audience of that day enrolled (online: the seats of
 * that evening are long gone), so that closing it records everyone absent and a viewing log can then
 * turn them present. Call under lockSession, before closing.
 */
export async function enrolPastAudience(tx: DbOrTx, session: ClassSessionRow, actor: Actor, day: string): Promise<number> {
  const audience = session.audienceMandatory ? await audienceCadresOn(tx, session.audience, day) : [];
  if (!audience.length) return 0;
  let enrolled = 0;
  for (let i = 0; i < audience.length; i += 2000) {
    const rows = await tx
      .insert(classRegistrations)
      .values(
        audience.slice(i, i + 2000).map((c) => ({ sessionId: session.id, cadreId: c.id, source: "mandatory" as const, venueId: null })),
      )
      .onConflictDoNothing()
      .returning({ id: classRegistrations.id });
    enrolled += rows.length;
  }
  await audit(tx, actor, {
    action: "class.enrolment.synced",
    entityType: "class_session",
    entityId: session.id,
    after: { code: session.code, enrolled, asOf: day },
  });
  return enrolled;
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
