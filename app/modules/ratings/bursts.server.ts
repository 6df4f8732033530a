import { and, desc, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { addDays } from "~/utils/dates";
import { invalid, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { type BurstStatus, publicRatings, ratingBursts, ratingCases, ratingPoints, units } from "~db/schema";
import { BURST_FACTOR, BURST_HISTORY_DAYS, BURST_MIN } from "./rules";

/**
 * Bursts (docs/decisions/0015): a day on which a point's counted ratings reach BURST_MIN and
 * BURST_FACTOR times its usual day. Raised for review — the ratings keep counting until a reviewer
 * discounts the day with a reason — never dropped silently.
 */

/** Raises (or updates, while still open) the burst flags of one day, for every point at once. */
export async function flagBursts(db: DbOrTx, day: string): Promise<number> {
  const from = addDays(day, -BURST_HISTORY_DAYS);
  const rows = await db.execute(sql`
    with today as (
      select point_id, unit_id, count(*)::int as ratings, count(*) filter (where not satisfied)::int as unsatisfied,
        count(distinct device_id)::int as devices, count(distinct address_hash)::int as addresses
      from public_ratings
      where rated_on = ${day}::date and counted and discounted_burst_id is null
      group by point_id, unit_id
      having count(*) >= ${BURST_MIN}
    ),
    usual as (
      select r.point_id, count(*)::numeric / ${BURST_HISTORY_DAYS} as per_day
      from public_ratings r join today t on t.point_id = r.point_id
      where r.rated_on >= ${from}::date and r.rated_on < ${day}::date and r.counted and r.discounted_burst_id is null
      group by r.point_id
    )
    insert into rating_bursts (point_id, unit_id, day, ratings, unsatisfied, usual, devices, addresses)
    select t.point_id, t.unit_id, ${day}::date, t.ratings, t.unsatisfied, round(coalesce(u.per_day, 0), 2), t.devices, t.addresses
    from today t left join usual u on u.point_id = t.point_id
    where t.ratings >= ${BURST_FACTOR} * coalesce(u.per_day, 0)
    on conflict (point_id, day) do update set ratings = excluded.ratings, unsatisfied = excluded.unsatisfied,
      usual = excluded.usual, devices = excluded.devices, addresses = excluded.addresses
      where rating_bursts.status = 'open'
    returning id`);
  return rows.length;
}

export async function listBursts(db: DbOrTx, status: BurstStatus | "all") {
  return db
    .select({
      id: ratingBursts.id,
      day: ratingBursts.day,
      ratings: ratingBursts.ratings,
      unsatisfied: ratingBursts.unsatisfied,
      usual: ratingBursts.usual,
      devices: ratingBursts.devices,
      addresses: ratingBursts.addresses,
      status: ratingBursts.status,
      reviewNote: ratingBursts.reviewNote,
      reviewedAt: ratingBursts.reviewedAt,
      unitName: units.name,
      pointName: ratingPoints.name,
      pointCode: ratingPoints.code,
    })
    .from(ratingBursts)
    .innerJoin(units, eq(units.id, ratingBursts.unitId))
    .innerJoin(ratingPoints, eq(ratingPoints.id, ratingBursts.pointId))
    .where(status === "all" ? undefined : eq(ratingBursts.status, status))
    .orderBy(desc(ratingBursts.day), desc(ratingBursts.id))
    .limit(200);
}

/**
 * The reviewer's decision on a burst: keep the day's ratings, or discount them (they stop counting,
 * and the cases they opened are voided with the same reason). Once decided, a burst stays decided.
 */
export async function reviewBurst(db: DbOrTx, actor: Actor, burstId: number, decision: "keep" | "discount", reason: string) {
  return db.transaction(async (tx) => {
    const [burst] = await tx.select().from(ratingBursts).where(eq(ratingBursts.id, burstId)).for("update");
    if (!burst) throw notFound();
    if (burst.status !== "open") throw invalid("ratings.bursts.errors.decided", "form");
    const status = decision === "discount" ? "discounted" : "kept";
    await tx
      .update(ratingBursts)
      .set({ status, reviewNote: reason, reviewedAt: new Date(), reviewedByUserId: actor.userId })
      .where(eq(ratingBursts.id, burstId));
    let discounted = 0;
    let voided = 0;
    if (decision === "discount") {
      const rated = await tx
        .update(publicRatings)
        .set({ discountedBurstId: burstId })
        .where(and(eq(publicRatings.pointId, burst.pointId), eq(publicRatings.ratedOn, burst.day), eq(publicRatings.counted, true)))
        .returning({ id: publicRatings.id });
      discounted = rated.length;
      const cases = await tx
        .update(ratingCases)
        .set({ state: "void", reviewNote: reason, closedAt: new Date(), closedByUserId: actor.userId })
        .where(
          and(
            sql`${ratingCases.state} in ('open', 'submitted')`,
            sql`${ratingCases.ratingId} in (select id from public_ratings where discounted_burst_id = ${burstId})`,
          ),
        )
        .returning({ id: ratingCases.id });
      voided = cases.length;
    }
    await audit(tx, actor, {
      action: decision === "discount" ? "rating_burst.discounted" : "rating_burst.kept",
      entityType: "rating_burst",
      entityId: burstId,
      before: { status: burst.status },
      after: { status, pointId: burst.pointId, day: burst.day, discounted, voidedCases: voided },
      reason,
    });
    return { status, discounted, voided };
  });
}
