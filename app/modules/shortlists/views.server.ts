import { unitOptions } from "~/modules/organization/units.server";
import { getSharing } from "~/modules/rankings/model.server";
import type { DbOrTx } from "~db/client";
import { isNominator, isShortlistAdmin, type ShortlistCaller } from "./access";
import { type CandidateFilter, candidateDetail, candidateView } from "./candidates.server";
import { nominationsView } from "./nominations.server";
import { pendingChanges, versionFor } from "./publish.server";
import { managedUnitIds, type Round } from "./rounds.server";
import { appliedRules, evaluationDate, evidenceLinks, type LinkAbilities, nominationWindow } from "./rules";
import { evidenceTable, listTable } from "./tables";

/**
 * What the round page shows, tab by tab, for this caller: the candidate table (with the evidence),
 * the nominations and decisions, or a published version of the list. Tables come from tables.ts, so
 * the exports and the print say the same.
 */

type T = (key: string, params?: Record<string, unknown>) => string;
export type RoundTab = "candidates" | "nominations" | "list";

/** Whether the caller nominates this cadre: a head or liaison of the cadre's unit, and not the cadre. */
export async function nominatesFor(db: DbOrTx, caller: ShortlistCaller, cadre: { cadreId: number; unitId: number }): Promise<boolean> {
  return isNominator(caller) && cadre.cadreId !== caller.cadreId && (await managedUnitIds(db, caller)).includes(cadre.unitId);
}

/** Which evidence pages this reader may open. */
export async function linkAbilities(db: DbOrTx, caller: ShortlistCaller): Promise<LinkAbilities> {
  const admin = isShortlistAdmin(caller);
  const sharing = await getSharing(db);
  return { admin, rankingCadres: admin || sharing.cadreTables === "heads", unitIds: admin ? [] : await managedUnitIds(db, caller) };
}

export function roundHead(round: Round, now: Date) {
  return {
    id: round.id,
    name: round.name,
    description: round.description,
    status: round.status,
    deadline: round.deadline,
    quota: round.quota,
    publishedVersion: round.publishedVersion,
    rules: round.rules,
    applied: appliedRules(round.rules),
    window: nominationWindow(round, now),
    asOf: evaluationDate(round, now),
    nominationsClosedAt: round.nominationsClosedAt,
    nominationsClosedReason: round.nominationsClosedReason,
  };
}

export async function candidatesTab(
  db: DbOrTx,
  caller: ShortlistCaller,
  round: Round,
  filter: CandidateFilter,
  t: T,
  options: { now?: Date } = {},
) {
  const can = await linkAbilities(db, caller);
  const view = await candidateView(db, caller, round, filter, options);
  const mine = isNominator(caller) ? await managedUnitIds(db, caller) : [];
  const table = evidenceTable(view.rows, round.rules, appliedRules(round.rules), t, {
    cadre: (row) => `/shortlists/${round.id}/cadres/${row.cadreId}`,
    rule: (row, result) => evidenceLinks(row.cadreId, result, can)[0]?.href,
  });
  return {
    table,
    rows: view.rows.map((r) => ({
      cadreId: r.cadreId,
      eligible: r.evaluation.eligible,
      nominated: r.nomination !== null && !r.nomination.withdrawn,
      // Only the heads and liaisons of the cadre's unit nominate, never for themselves.
      mayNominate: mine.includes(r.unitId) && r.cadreId !== caller.cadreId,
    })),
    state: { total: view.total, page: view.page, pages: view.pages, counts: view.counts },
    units: await unitOptions(db, caller.scope),
  };
}

export async function nominationsTab(db: DbOrTx, caller: ShortlistCaller, round: Round, options: { now?: Date } = {}) {
  const admin = isShortlistAdmin(caller);
  const view = await nominationsView(db, caller, round, options);
  const changes = admin ? await pendingChanges(db, round) : [];
  const names = new Map(view.rows.map((r) => [r.cadreId, r.name]));
  // Heads and liaisons learn an outcome from the published list, never before.
  const published =
    !admin && round.publishedVersion > 0
      ? new Map((await versionFor(db, caller, round)).entries.map((e) => [e.cadreId, e.decision]))
      : null;
  return {
    ...view,
    rows: view.rows.map((r) => ({ ...r, published: published?.get(r.cadreId) ?? null })),
    changes: changes.map((c) => ({ ...c, name: names.get(c.cadreId) ?? String(c.cadreId) })),
  };
}

export async function listTab(db: DbOrTx, caller: ShortlistCaller, round: Round, version: number | undefined, t: T) {
  if (round.publishedVersion < 1) return null;
  const published = await versionFor(db, caller, round, version);
  const table = listTable(published.entries, t, { cadre: (e) => `/shortlists/${round.id}/cadres/${e.cadreId}` });
  const count = (d: string) => published.entries.filter((e) => e.decision === d).length;
  return {
    version: published.version,
    latest: published.latest,
    reason: published.reason,
    hash: published.hash,
    publishedAt: published.publishedAt,
    publishedBy: published.publishedBy,
    versions: published.versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt })),
    counts: {
      count: published.entries.length,
      shortlisted: count("shortlisted"),
      deferred: count("deferred"),
      rejected: count("rejected"),
    },
    mineOnly: !isShortlistAdmin(caller),
    table,
  };
}

/** A cadre's outcome in the latest published version, as the caller may read it; null when not on it. */
export async function publishedOutcome(db: DbOrTx, caller: ShortlistCaller, round: Round, cadreId: number) {
  if (round.publishedVersion < 1) return null;
  const published = await versionFor(db, caller, round);
  const entry = published.entries.find((e) => e.cadreId === cadreId);
  return entry ? { version: published.version, decision: entry.decision, reason: entry.decisionReason } : null;
}

/**
 * One cadre's page in a round: the case with its evidence, the links this reader may follow, the
 * published outcome, and what the reader may do now — nominate while the round takes nominations and
 * the cadre has none, withdraw while it is unpublished — when they nominate for the cadre's unit.
 */
export async function candidatePage(db: DbOrTx, caller: ShortlistCaller, round: Round, cadreId: number, now: Date) {
  const detail = await candidateDetail(db, caller, round, cadreId, { now });
  const head = roundHead(round, now);
  const active = detail.nomination && !detail.nomination.withdrawnAt ? detail.nomination : null;
  const nominator = await nominatesFor(db, caller, detail.cadre);
  return {
    round: head,
    admin: isShortlistAdmin(caller),
    detail,
    can: await linkAbilities(db, caller),
    outcome: await publishedOutcome(db, caller, round, cadreId),
    mayNominate: nominator && head.window === "open" && !active,
    mayWithdraw: nominator && head.status === "open" && Boolean(active),
  };
}

/** The file behind the export buttons: the same table as the page (every row, no paging), and a title. */
export async function exportTable(
  db: DbOrTx,
  caller: ShortlistCaller,
  round: Round,
  kind: "list" | "evidence",
  query: CandidateFilter & { version?: number },
  t: T,
) {
  if (kind === "list") {
    const published = await versionFor(db, caller, round, query.version);
    const table = listTable(published.entries, t);
    table.name = `shortlist-${round.id}-v${published.version}`;
    return { table, title: `${round.name}-${t("shortlists.list.version", { version: published.version })}` };
  }
  const view = await candidateView(db, caller, round, { ...query, page: 0 });
  const table = evidenceTable(view.rows, round.rules, appliedRules(round.rules), t);
  table.name = `shortlist-${round.id}-evidence`;
  return { table, title: `${round.name}-${t("shortlists.round.tabs.candidates")}` };
}
