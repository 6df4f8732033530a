import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit } from "~/modules/audit/service.server";
import { evidenceHash, type HashAlgorithm, matchesEvidenceHash } from "~/modules/security/digest.server";
import { forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, shortlistNominations, shortlistRounds, shortlistVersions, users } from "~db/schema";
import { isShortlistAdmin, type ShortlistCaller } from "./access";
import { evaluateCadres } from "./eligibility.server";
import { nominationRows } from "./nomination-rows.server";
import { queuePublicationEmails } from "./notify.server";
import { managedUnitIds, type Round } from "./rounds.server";
import { canonicalJson, type DecisionChange, decisionChanges, orderEntries, type VersionEntry } from "./rules";

/**
 * Publishing freezes the decided list: every entry with its decision, reasons, recommendation, override
 * and the eligibility evidence as evaluated at that moment, with a SHA-256 of the entries. Afterwards
 * the list changes only by a new version with a reason; earlier versions stay readable. The emails
 * (a summary to the department, each unit head their own cadres' outcomes) are queued in the same
 * transaction.
 */

/** SHA-256 by default, SM3 where HASH_ALGORITHM says so (the hash names its algorithm: security/digest). */
export function entriesHash(entries: readonly VersionEntry[], algorithm?: HashAlgorithm): string {
  return evidenceHash(canonicalJson(entries), algorithm);
}

/** The entries a publication would freeze now: every active nomination with its decision and evidence. */
export async function currentEntries(
  db: DbOrTx,
  round: Round,
  options: { now?: Date } = {},
): Promise<{ entries: VersionEntry[]; undecided: number }> {
  const rows = await nominationRows(db, and(eq(shortlistNominations.roundId, round.id), isNull(shortlistNominations.withdrawnAt)));
  const decided = rows.filter((r) => r.decision !== null);
  const evaluations = await evaluateCadres(db, round, decided, options);
  const entries = decided.map(
    (r): VersionEntry => ({
      nominationId: r.id,
      cadreId: r.cadreId,
      staffNo: r.staffNo,
      name: r.name,
      unitId: r.unitId,
      unitCode: r.unitCode,
      unitName: r.unitName,
      rank: r.rank,
      title: r.title,
      decision: r.decision!,
      decisionReason: r.decisionReason ?? "",
      recommendation: r.recommendation,
      overrideReason: r.overrideReason,
      eligible: evaluations.get(r.cadreId)!.eligible,
      eligibleAtNomination: r.eligibleAtNomination,
      evaluation: evaluations.get(r.cadreId)!,
      nominatedByName: r.nominatedBy,
      decidedByName: r.decidedBy,
      decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
    }),
  );
  return { entries: orderEntries(entries), undecided: rows.length - decided.length };
}

export interface PublishOutcome {
  version: number;
  hash: string;
  alreadyPublished: boolean;
  emails: number;
}

export async function publishRound(
  db: Database,
  caller: ShortlistCaller,
  roundId: number,
  input: { expectedVersion: number; reason?: string | null },
  options: { now?: Date; origin?: string } = {},
): Promise<PublishOutcome> {
  if (!isShortlistAdmin(caller)) throw forbidden();
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(shortlistRounds).where(eq(shortlistRounds.id, roundId)).for("update");
    if (!round) throw notFound();
    if (round.publishedVersion !== input.expectedVersion) {
      // The same button pressed twice, or another admin was quicker: the page shows what is published.
      const [latest] = await tx
        .select({ hash: shortlistVersions.hash })
        .from(shortlistVersions)
        .where(and(eq(shortlistVersions.roundId, roundId), eq(shortlistVersions.version, round.publishedVersion)));
      return { version: round.publishedVersion, hash: latest?.hash ?? "", alreadyPublished: true, emails: 0 };
    }
    const { entries, undecided } = await currentEntries(tx, round, { now });
    if (undecided > 0) throw invalid("shortlists.errors.undecided", "form", { count: undecided });
    if (!entries.length) throw invalid("shortlists.errors.emptyList", "form");
    const shortlisted = entries.filter((e) => e.decision === "shortlisted").length;
    if (shortlisted > round.quota) throw invalid("shortlists.errors.quotaFull", "form", { quota: round.quota });
    const version = round.publishedVersion + 1;
    const reason = input.reason?.trim() || null;
    let previous: VersionEntry[] = [];
    if (version > 1) {
      if (!reason) throw invalid("shortlists.validation.versionReason", "reason");
      const [last] = await tx
        .select({ entries: shortlistVersions.entries })
        .from(shortlistVersions)
        .where(and(eq(shortlistVersions.roundId, roundId), eq(shortlistVersions.version, round.publishedVersion)));
      previous = (last?.entries ?? []) as VersionEntry[];
      if (!decisionChanges(previous, entries).length)
        throw invalid("shortlists.errors.nothingChanged", "form", { version: round.publishedVersion });
    }
    const hash = entriesHash(entries);
    await tx.insert(shortlistVersions).values({ roundId, version, reason, entries, hash, publishedBy: caller.id, publishedAt: now });
    await tx
      .update(shortlistRounds)
      .set({ status: "published", publishedVersion: version, updatedAt: now })
      .where(eq(shortlistRounds.id, roundId));
    const counts = {
      shortlisted,
      deferred: entries.filter((e) => e.decision === "deferred").length,
      rejected: entries.filter((e) => e.decision === "rejected").length,
    };
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "shortlist.published",
        entityType: "shortlist_round",
        entityId: roundId,
        before: { status: round.status, publishedVersion: round.publishedVersion },
        after: { status: "published", version, hash, ...counts },
        reason,
      },
    );
    const emails = await queuePublicationEmails(tx, {
      round: { ...round, publishedVersion: version },
      version,
      reason,
      entries,
      previous,
      origin: options.origin,
    });
    return { version, hash, alreadyPublished: false, emails };
  });
}

export interface VersionSummary {
  version: number;
  reason: string | null;
  hash: string;
  publishedAt: Date;
  publishedBy: string | null;
}

export async function listVersions(db: DbOrTx, roundId: number): Promise<VersionSummary[]> {
  const publisherCadre = alias(cadres, "publisher_cadre");
  return db
    .select({
      version: shortlistVersions.version,
      reason: shortlistVersions.reason,
      hash: shortlistVersions.hash,
      publishedAt: shortlistVersions.publishedAt,
      publishedBy: sql<string | null>`coalesce(${publisherCadre.name}, nullif(${users.displayName}, ''))`,
    })
    .from(shortlistVersions)
    .leftJoin(users, eq(users.id, shortlistVersions.publishedBy))
    .leftJoin(publisherCadre, eq(publisherCadre.id, users.cadreId))
    .where(eq(shortlistVersions.roundId, roundId))
    .orderBy(desc(shortlistVersions.version));
}

/**
 * A published version (the latest by default) as the caller may read it: every entry for the
 * department; a head's or liaison's own units' entries (as frozen), never their own.
 */
export async function versionFor(db: DbOrTx, caller: ShortlistCaller, round: Round, version?: number) {
  const number = version ?? round.publishedVersion;
  if (number < 1) throw notFound();
  const [row] = await db
    .select()
    .from(shortlistVersions)
    .where(and(eq(shortlistVersions.roundId, round.id), eq(shortlistVersions.version, number)));
  if (!row) throw notFound();
  const all = row.entries as VersionEntry[];
  const mine = isShortlistAdmin(caller) ? null : await managedUnitIds(db, caller);
  const entries = mine ? all.filter((e) => mine.includes(e.unitId) && e.cadreId !== caller.cadreId) : all;
  const versions = await listVersions(db, round.id);
  const summary = versions.find((v) => v.version === number)!;
  return { ...summary, latest: number === round.publishedVersion, entries, total: all.length, versions };
}

/** Whether the stored entries still hash to the stored hash (they are never rewritten). */
export async function verifyVersion(db: DbOrTx, roundId: number, version: number): Promise<boolean> {
  const [row] = await db
    .select()
    .from(shortlistVersions)
    .where(and(eq(shortlistVersions.roundId, roundId), eq(shortlistVersions.version, version)));
  if (!row) throw notFound();
  return matchesEvidenceHash(canonicalJson(row.entries as VersionEntry[]), row.hash);
}

/** Decisions changed since the latest publication, waiting for the next version (the department's view). */
export async function pendingChanges(db: DbOrTx, round: Round): Promise<DecisionChange[]> {
  if (round.publishedVersion < 1) return [];
  const [last] = await db
    .select({ entries: shortlistVersions.entries })
    .from(shortlistVersions)
    .where(and(eq(shortlistVersions.roundId, round.id), eq(shortlistVersions.version, round.publishedVersion)));
  const current = await db
    .select({
      cadreId: shortlistNominations.cadreId,
      decision: shortlistNominations.decision,
      decisionReason: shortlistNominations.decisionReason,
    })
    .from(shortlistNominations)
    .where(and(eq(shortlistNominations.roundId, round.id), isNull(shortlistNominations.withdrawnAt)))
    .orderBy(asc(shortlistNominations.cadreId));
  return decisionChanges((last?.entries ?? []) as VersionEntry[], current);
}
