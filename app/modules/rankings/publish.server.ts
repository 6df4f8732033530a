import { and, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { orgAdminRecipients } from "~/modules/email/recipients.server";
import { todayInShanghai } from "~/utils/dates";
import { invalid, notFound } from "~/utils/errors";
import { linkOrigin } from "~/utils/origin.server";
import type { Database, DbOrTx } from "~db/client";
import { rankings } from "~db/schema";
import type { RankingSummaryEmailProps } from "~emails/ranking-summary";
import { quarterLock } from "./compute.server";
import { deriveFlags } from "./flags.server";
import { modelById } from "./model.server";
import { nextQuarter, quarterEnded, quarterLabel } from "./quarter";
import { agendaSlots } from "./rules";
import { inputsHash } from "./score.server";
import { publishedRankingId } from "./views.server";

/**
 * Publishing a draft freezes it: it takes the SHA-256 of its inputs and model, becomes the quarter's
 * published version, and is never changed again. A correction (a draft computed after a publication,
 * with its reason) supersedes the published version, which is kept and marked so. Flags are derived,
 * and the organization department gets the quarterly summary, all in one transaction, audited.
 */

export interface PublishOutcome {
  quarter: string;
  version: number;
  alreadyPublished: boolean;
  supersededVersion: number | null;
  inputsHash: string;
  flagged: number[];
}

export async function publishRanking(
  db: Database,
  actor: Actor,
  rankingId: number,
  options: { reason?: string | null; today?: string; origin?: string; notify?: boolean } = {},
): Promise<PublishOutcome> {
  const today = options.today ?? todayInShanghai();
  const [head] = await db.select({ quarter: rankings.quarter }).from(rankings).where(eq(rankings.id, rankingId));
  if (!head) throw notFound();
  return db.transaction(async (tx) => {
    await tx.execute(quarterLock(head.quarter));
    const [ranking] = await tx.select().from(rankings).where(eq(rankings.id, rankingId)).for("update");
    if (!ranking) throw notFound();
    if (ranking.status === "published") {
      // A second click, or a retried request: nothing more to do.
      return {
        quarter: ranking.quarter,
        version: ranking.version,
        alreadyPublished: true,
        supersededVersion: null,
        inputsHash: ranking.inputsHash!,
        flagged: [],
      };
    }
    if (ranking.status !== "draft") throw invalid("rankings.errors.notDraft", "form");
    if (!quarterEnded(ranking.quarter, today)) throw invalid("rankings.errors.quarterNotOver", "form");
    const [previous] = await tx
      .select({ id: rankings.id, version: rankings.version })
      .from(rankings)
      .where(and(eq(rankings.quarter, ranking.quarter), eq(rankings.status, "published")))
      .for("update");
    const reason = (options.reason?.trim() || ranking.correctionReason?.trim()) ?? null;
    if (previous && !reason) throw invalid("rankings.validation.correctionReason", "reason");

    const hash = await inputsHash(tx, ranking.id);
    const now = new Date();
    if (previous) {
      await tx
        .update(rankings)
        .set({ status: "superseded", supersededAt: now, supersededByRankingId: ranking.id })
        .where(eq(rankings.id, previous.id));
      await audit(tx, actor, {
        action: "ranking.superseded",
        entityType: "ranking",
        entityId: previous.id,
        before: { quarter: ranking.quarter, version: previous.version, status: "published" },
        after: { status: "superseded", by: ranking.version },
        reason,
      });
    }
    await tx
      .update(rankings)
      .set({
        status: "published",
        publishedAt: now,
        publishedByUserId: actor.userId,
        inputsHash: hash,
        correctionReason: previous ? reason : ranking.correctionReason,
      })
      .where(eq(rankings.id, ranking.id));
    const model = await modelById(tx, ranking.modelId);
    await audit(tx, actor, {
      action: "ranking.published",
      entityType: "ranking",
      entityId: ranking.id,
      before: { status: "draft" },
      after: { quarter: ranking.quarter, version: ranking.version, model: `${model.year}v${model.version}`, inputsHash: hash },
      reason: previous ? reason : null,
    });

    const flagged = await deriveFlags(tx, actor, ranking.quarter);
    // The next quarter's flags rest on this one: a correction may add or withdraw some.
    if (previous && (await publishedRankingId(tx, nextQuarter(ranking.quarter))))
      await deriveFlags(tx, actor, nextQuarter(ranking.quarter));

    if (options.notify !== false) {
      await queueSummary(tx, {
        rankingId: ranking.id,
        quarter: ranking.quarter,
        version: ranking.version,
        reason: previous ? reason : null,
        k: model.spec.params.agendaSize,
        flagged,
        origin: options.origin,
      });
    }
    return {
      quarter: ranking.quarter,
      version: ranking.version,
      alreadyPublished: false,
      supersededVersion: previous?.version ?? null,
      inputsHash: hash,
      flagged,
    };
  });
}

async function queueSummary(
  tx: DbOrTx,
  input: { rankingId: number; quarter: string; version: number; reason: string | null; k: number; flagged: number[]; origin?: string },
) {
  const recipients = await orgAdminRecipients(tx);
  if (!recipients.length) return;
  const rows = await tx.execute<{
    peer_group: RankingSummaryEmailProps["groups"][number]["group"];
    name: string;
    score: number;
    rank: number;
    size: number;
  }>(sql`
    select r.peer_group::text as peer_group, r.name, r.score, r.rank, g.size
    from ranking_unit_results r
    join (select peer_group, count(rank)::int as size from ranking_unit_results where ranking_id = ${input.rankingId} group by peer_group) g
      on g.peer_group = r.peer_group
    where r.ranking_id = ${input.rankingId} and r.rank is not null
      and (r.rank <= ${input.k} or r.rank > g.size - ${input.k})
    order by r.peer_group, r.rank`);
  const groups = new Map<string, RankingSummaryEmailProps["groups"][number]>();
  for (const r of rows) {
    const size = Number(r.size);
    const slots = agendaSlots(size, input.k);
    const g = groups.get(r.peer_group) ?? { group: r.peer_group, size, top: [], bottom: [] };
    if (Number(r.rank) <= slots.top) g.top.push({ name: r.name, score: Number(r.score) });
    else if (Number(r.rank) > size - slots.bottom) g.bottom.push({ name: r.name, score: Number(r.score) });
    groups.set(r.peer_group, g);
  }
  const [counts] = await tx
    .select({ cadres: rankings.cadreCount, units: rankings.unitCount })
    .from(rankings)
    .where(eq(rankings.id, input.rankingId));
  const flaggedNames = input.flagged.length
    ? (
        await tx.execute<{ name: string }>(
          sql`select name from ranking_unit_results where ranking_id = ${input.rankingId} and unit_id in ${sql.raw(`(${input.flagged.map(Number).join(",")})`)} order by code`,
        )
      ).map((r) => r.name)
    : [];
  const url = `${linkOrigin(input.origin)}/rankings/${input.quarter}`;
  const prepared: PreparedEmail[] = [];
  for (const r of recipients) {
    prepared.push(
      await prepareEmail({
        template: "ranking-summary",
        to: r.email,
        userId: r.userId,
        // One summary per version and reader, however often the publication is retried.
        idempotencyKey: `ranking-summary/${input.rankingId}/${r.userId}`,
        props: {
          locale: r.locale,
          organizationName: await organizationName(tx, r.locale),
          name: r.name,
          quarter: input.quarter,
          quarterLabel: quarterLabel(input.quarter, r.locale),
          version: input.version,
          correctionReason: input.reason,
          cadresRanked: counts?.cadres ?? 0,
          unitsRanked: counts?.units ?? 0,
          groups: [...groups.values()],
          flagged: flaggedNames,
          url,
        },
      }),
    );
  }
  await enqueuePrepared(tx, prepared);
}
