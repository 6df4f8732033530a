import { isEligible } from "~/modules/frontline/rules";
import { quarterOf, quarterPeriod, shiftQuarter } from "~/modules/rankings/quarter";
import { inTopPercent } from "~/modules/rankings/rules";
import { todayInShanghai } from "~/utils/dates";
import { RANKS, type Rank } from "~db/schema/enums";
import { SHORTLIST_DECISIONS, type ShortlistDecision, type ShortlistRules } from "~db/schema/shortlists";

/**
 * The promotion shortlist's rules as plain functions: each eligibility rule's pass/fail given its
 * figures, the windows the rules look at, the quota, and what a published version freezes. The
 * services gather the figures set-based (eligibility.server.ts) and hand them to these.
 *
 * Windows, precisely:
 * - The evaluation date ("as of") is today in Asia/Shanghai, or the deadline's date once it has
 *   passed, so the table stops moving when nominations close.
 * - Attendance: the Q most recent complete calendar quarters before the evaluation date, taken as one
 *   period (their counts added up, one rate). On 2026-11-21 with Q = 2: 2026Q2 and 2026Q3.
 * - Top P%: the Q latest published cadre rankings, whatever the date (a quarter is published some days
 *   after it ends). Fewer than Q published, or not ranked in one of them, fails the rule.
 * - Frontline: verified days in the six qualifying categories up to and including the evaluation date.
 * - Training hours: the ledger of the round's year against the cadre's yearly requirement.
 * - No open flag: no open 约谈 flag on a unit the cadre belonged to on the flagged quarter's last day.
 * Missing data never passes a rule: no attendance expected, no ranking, no ledger row all fail.
 */

export const RULE_KEYS = ["minRank", "frontline", "attendance", "trainingHours", "topPercent", "noOpenFlag"] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

/** Limits of the rule parameters, shared by the form and the tests. */
export const RULE_LIMITS = { quarters: { min: 1, max: 8 }, percent: { min: 1, max: 100 }, year: { min: 2000, max: 2100 } } as const;

export interface RankingPlace {
  quarter: string;
  rankingId: number;
  version: number;
  /** The cadre's band that quarter; null when the cadre was not in the ranking at all. */
  band: string | null;
  rank: number | null;
  bandSize: number | null;
}

export interface FlagEvidence {
  flagId: number;
  unitId: number;
  unitName: string;
  quarter: string;
}

/** One rule's outcome with the figures behind it: what the page shows and a published version keeps. */
export type RuleResult =
  | { rule: "minRank"; pass: boolean; rank: Rank; minRank: Rank }
  | { rule: "frontline"; pass: boolean; days: number; minDays: number; asOf: string }
  | {
      rule: "attendance";
      pass: boolean;
      minRate: number;
      /** Newest first. */
      quarters: string[];
      rate: number | null;
      enrolled: number;
      present: number;
      late: number;
      excused: number;
      absent: number;
    }
  | { rule: "trainingHours"; pass: boolean; year: number; earned: number; required: number }
  | { rule: "topPercent"; pass: boolean; percent: number; quarters: number; rankings: RankingPlace[] }
  | { rule: "noOpenFlag"; pass: boolean; flags: FlagEvidence[] };

export interface Evaluation {
  cadreId: number;
  asOf: string;
  eligible: boolean;
  results: RuleResult[];
}

// ---------------------------------------------------------------------------------------------------
// Each rule's decision.

export function meetsMinRank(rank: Rank, minRank: Rank): boolean {
  return RANKS.indexOf(rank) >= RANKS.indexOf(minRank);
}

export function meetsFrontline(days: number, minDays: number): boolean {
  return isEligible(days, { eligibilityMinDays: minDays });
}

/** A rate of exactly the minimum passes; no attendance expected (null) fails. */
export function meetsAttendance(rate: number | null, minRate: number): boolean {
  // Rates are ratios of small counts: a tolerance far below any real difference absorbs float noise.
  return rate !== null && rate >= minRate - 1e-9;
}

export function meetsTrainingHours(earned: number, required: number): boolean {
  return earned >= required - 1e-9;
}

/** In the top P% of the band in each of the last Q published rankings; fewer than Q rankings fail. */
export function meetsTopPercent(places: Pick<RankingPlace, "rank" | "bandSize">[], percent: number, quarters: number): boolean {
  return (
    places.length >= quarters &&
    quarters > 0 &&
    places.slice(0, quarters).every((p) => p.rank !== null && p.bandSize !== null && inTopPercent(p.rank, p.bandSize, percent))
  );
}

export function meetsNoOpenFlag(flags: readonly unknown[]): boolean {
  return flags.length === 0;
}

/** The rules a round applies, in the fixed order of RULE_KEYS. */
export function appliedRules(rules: ShortlistRules): RuleKey[] {
  return RULE_KEYS.filter((k) => rules[k] !== undefined && rules[k] !== null);
}

/** Eligible = every applied rule passes (a round without rules: everyone). */
export function isEligibleOverall(results: readonly Pick<RuleResult, "pass">[]): boolean {
  return results.every((r) => r.pass);
}

// ---------------------------------------------------------------------------------------------------
// Windows.

/** Today in Shanghai, or the deadline's Shanghai date once it has passed. */
export function evaluationDate(deadline: Date, now: Date = new Date()): string {
  const today = todayInShanghai(now);
  const last = todayInShanghai(deadline);
  return today < last ? today : last;
}

/** The `count` most recent complete quarters before the date's own quarter, newest first. */
export function completeQuartersBefore(asOf: string, count: number): string[] {
  const current = quarterOf(asOf);
  return Array.from({ length: Math.max(0, count) }, (_, i) => shiftQuarter(current, -(i + 1)));
}

/** The attendance window as one period (`to` exclusive), with its quarters newest first. */
export function attendanceWindow(asOf: string, quarters: number): { quarters: string[]; from: string; to: string } {
  const list = completeQuartersBefore(asOf, quarters);
  return { quarters: list, from: quarterPeriod(list[list.length - 1]!).from, to: quarterPeriod(list[0]!).to };
}

// ---------------------------------------------------------------------------------------------------
// Nominations, decisions, quota.

export type NominationWindow = "open" | "deadlinePassed" | "published";

/** Nominations are taken while the round is open and before its deadline; publication closes them. */
export function nominationWindow(round: { status: "open" | "published"; deadline: Date }, now: Date = new Date()): NominationWindow {
  if (round.status === "published") return "published";
  return now.getTime() < round.deadline.getTime() ? "open" : "deadlinePassed";
}

/** May one more cadre be shortlisted, given how many others already are? */
export function quotaAllows(shortlistedOthers: number, quota: number): boolean {
  return shortlistedOthers < quota;
}

export const DECISION_ORDER: Record<ShortlistDecision, number> = { shortlisted: 0, deferred: 1, rejected: 2 };
export { SHORTLIST_DECISIONS };

// ---------------------------------------------------------------------------------------------------
// Publication.

/** A cadre as the shortlists show them: who, of which unit, of which rank and title. */
export interface CandidateCadre {
  cadreId: number;
  staffNo: string;
  name: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  rank: Rank;
  title: string;
}

/** One entry of a published list, as frozen: enough to show, export and print it without the live data. */
export interface VersionEntry extends CandidateCadre {
  nominationId: number;
  decision: ShortlistDecision;
  decisionReason: string;
  recommendation: string;
  overrideReason: string | null;
  /** Whether every rule passed when the list was published. */
  eligible: boolean;
  /** Whether the nomination needed an override when it was made. */
  eligibleAtNomination: boolean;
  evaluation: Evaluation;
  nominatedByName: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
}

/** The list's order: shortlisted, deferred, rejected; then by unit code and staff number. */
export function orderEntries<E extends Pick<VersionEntry, "decision" | "unitCode" | "staffNo">>(entries: E[]): E[] {
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort(
    (a, b) => DECISION_ORDER[a.decision] - DECISION_ORDER[b.decision] || byte(a.unitCode, b.unitCode) || byte(a.staffNo, b.staffNo),
  );
}

/** JSON with keys sorted at every level, so the same entries always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

export interface DecisionState {
  cadreId: number;
  decision: ShortlistDecision | null;
  decisionReason: string | null;
}

export interface DecisionChange {
  cadreId: number;
  before: ShortlistDecision | null;
  after: ShortlistDecision | null;
  reasonChanged: boolean;
}

/**
 * What differs between a published version and the decisions now: a cadre added or dropped, or a
 * decision or its reason changed. Empty: nothing waits for a new version.
 */
export function decisionChanges(published: readonly DecisionState[], current: readonly DecisionState[]): DecisionChange[] {
  const before = new Map(published.map((e) => [e.cadreId, e]));
  const after = new Map(current.map((e) => [e.cadreId, e]));
  const out: DecisionChange[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b)) {
    const b = before.get(id);
    const a = after.get(id);
    const reasonChanged = (b?.decisionReason ?? null) !== (a?.decisionReason ?? null);
    if ((b?.decision ?? null) !== (a?.decision ?? null) || reasonChanged) {
      out.push({ cadreId: id, before: b?.decision ?? null, after: a?.decision ?? null, reasonChanged });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Evidence links: where each rule's figures can be checked, for this reader.

export interface EvidenceLink {
  /** An i18n key under shortlists.evidence.links, with its parameters. */
  label: string;
  params?: Record<string, string | number>;
  href: string;
}

export interface LinkAbilities {
  /** The organization department: every page. */
  admin: boolean;
  /** May open cadre breakdowns in the rankings (org admins; heads when the department shares them). */
  rankingCadres: boolean;
  /** Units whose ranking breakdown the reader may open. */
  unitIds: readonly number[];
}

export function evidenceLinks(cadreId: number, result: RuleResult, can: LinkAbilities): EvidenceLink[] {
  switch (result.rule) {
    case "minRank":
      return [{ label: "cadre", href: `/cadres/${cadreId}` }];
    case "frontline":
      return [{ label: "frontline", href: `/frontline/cadres/${cadreId}` }];
    case "attendance": {
      const years = [...new Set(result.quarters.map((q) => q.slice(0, 4)))].sort();
      return years.map((year) => ({ label: "attendanceYear", params: { year }, href: `/attendance/cadres/${cadreId}?year=${year}` }));
    }
    case "trainingHours":
      return [{ label: "trainingYear", params: { year: result.year }, href: `/attendance/cadres/${cadreId}?year=${result.year}` }];
    case "topPercent":
      return can.rankingCadres
        ? result.rankings
            .filter((r) => r.band !== null)
            .map((r) => ({
              label: "ranking",
              params: { quarter: r.quarter },
              href: `/rankings/${r.quarter}/cadres/${cadreId}?version=${r.version}`,
            }))
        : [];
    case "noOpenFlag":
      return [
        ...(can.admin ? [{ label: "flags", href: "/rankings/flags" }] : []),
        ...result.flags
          .filter((f) => can.admin || can.unitIds.includes(f.unitId))
          .map((f) => ({
            label: "flaggedUnit",
            params: { unit: f.unitName, quarter: f.quarter },
            href: `/rankings/${f.quarter}/units/${f.unitId}`,
          })),
      ];
  }
}
