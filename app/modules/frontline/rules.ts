import { type RankBand, rankBand } from "~/modules/organization/rules";
import type { Rank } from "~db/schema/enums";
import { type FrontlineCategory, type FrontlineStatus, QUALIFYING_CATEGORIES } from "~db/schema/frontline";

export type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";
export { FRONTLINE_CATEGORIES, FRONTLINE_STATUSES, QUALIFYING_CATEGORIES } from "~db/schema/frontline";

export function isQualifying(category: FrontlineCategory): boolean {
  return (QUALIFYING_CATEGORIES as readonly string[]).includes(category);
}

// ---------------------------------------------------------------------------------------------------
// The state machine: draft → submitted → verified | returned; returned → submitted again.

export const FRONTLINE_ACTIONS = ["edit", "submit", "withdraw", "delete", "verify", "return", "correct", "reopen"] as const;
export type FrontlineAction = (typeof FRONTLINE_ACTIONS)[number];

/**
 * What each action does from each status; an action missing here is refused. `correct` and `reopen`
 * are the organization department's way to change a verified record, always with a reason.
 */
const TRANSITIONS: Record<FrontlineStatus, Partial<Record<FrontlineAction, FrontlineStatus | "deleted">>> = {
  draft: { edit: "draft", submit: "submitted", delete: "deleted" },
  submitted: { withdraw: "draft", verify: "verified", return: "returned" },
  returned: { edit: "returned", submit: "submitted", delete: "deleted" },
  verified: { correct: "verified", reopen: "returned" },
};

export function nextStatus(status: FrontlineStatus, action: FrontlineAction): FrontlineStatus | "deleted" | null {
  return TRANSITIONS[status][action] ?? null;
}

/** Who is acting, as the rules need to know it. */
export interface FrontlineActor {
  userId: number;
  cadreId: number | null;
  isOrgAdmin: boolean;
  /** Units (whole subtrees) the actor heads or liaises for. */
  managedUnitIds: readonly number[];
}

export interface RecordFacts {
  status: FrontlineStatus;
  cadreId: number;
  /** The cadre's current unit: its head and liaisons look after the record. */
  cadreUnitId: number;
  submittedByUserId: number | null;
}

export type Relation = "self" | "manager" | "orgAdmin" | "none";

/** How the actor stands to the record's cadre; the strongest tie wins for recording, none for verifying. */
function _relationTo(actor: FrontlineActor, record: Pick<RecordFacts, "cadreId" | "cadreUnitId">): Relation {
  if (actor.cadreId !== null && actor.cadreId === record.cadreId) return "self";
  if (actor.isOrgAdmin) return "orgAdmin";
  if (actor.managedUnitIds.includes(record.cadreUnitId)) return "manager";
  return "none";
}

/**
 * Whether the actor may take the action now. A cadre records their own work (or a head or liaison
 * on their behalf, or the organization department); the unit's head or liaison, or an org admin,
 * verifies it — never the cadre themselves, even one who heads the unit, and never whoever submitted
 * it, so every verified record has passed two pairs of eyes.
 */
export function mayAct(actor: FrontlineActor, record: RecordFacts, action: FrontlineAction): boolean {
  if (nextStatus(record.status, action) === null) return false;
  const self = actor.cadreId !== null && actor.cadreId === record.cadreId;
  const manages = actor.managedUnitIds.includes(record.cadreUnitId);
  switch (action) {
    case "edit":
    case "submit":
    case "delete":
      return self || manages || actor.isOrgAdmin;
    case "withdraw":
      // Taking back is for whoever sent it; a verifier who disagrees returns it with a comment.
      return self || record.submittedByUserId === actor.userId;
    case "verify":
    case "return":
      return !self && record.submittedByUserId !== actor.userId && (manages || actor.isOrgAdmin);
    case "correct":
    case "reopen":
      return !self && actor.isOrgAdmin;
  }
}

export function allowedActions(actor: FrontlineActor, record: RecordFacts): FrontlineAction[] {
  return FRONTLINE_ACTIONS.filter((a) => mayAct(actor, record, a));
}

/** Why an action is refused, as an i18n key: the wrong state, or the wrong person. */
export function refusalKey(actor: FrontlineActor, record: RecordFacts, action: FrontlineAction): string | null {
  if (mayAct(actor, record, action)) return null;
  if (nextStatus(record.status, action) === null) return "frontline.errors.notNow";
  const self = actor.cadreId !== null && actor.cadreId === record.cadreId;
  if ((action === "verify" || action === "return") && self) return "frontline.errors.ownRecord";
  if ((action === "verify" || action === "return") && record.submittedByUserId === actor.userId) return "frontline.errors.ownSubmission";
  return "errors.forbidden";
}

// ---------------------------------------------------------------------------------------------------
// Quotas and eligibility.

export interface FrontlineRules {
  /** Minimum frontline days a month per rank band; 0 means no quota. */
  monthlyQuota: Record<RankBand, number>;
  /** Verified days in the qualifying categories that make "has frontline experience". */
  eligibilityMinDays: number;
}

export const DEFAULT_FRONTLINE_RULES: FrontlineRules = {
  monthlyQuota: { leading: 5, section: 0, staff: 0 },
  eligibilityMinDays: 90,
};

export function monthlyQuota(rank: Rank, rules: FrontlineRules): number {
  return rules.monthlyQuota[rankBand(rank)];
}

/** Days missing from the quota; nothing is missing where there is no quota. */
export function shortfall(days: number, quota: number): number {
  return Math.max(0, quota - days);
}

export interface MonthStanding {
  month: string;
  days: number;
  quota: number;
  shortfall: number;
  /** The month is not over yet: a shortfall may still be made up. */
  ongoing: boolean;
}

export function monthStanding(month: string, days: number, quota: number, currentMonth: string): MonthStanding {
  return { month, days, quota, shortfall: shortfall(days, quota), ongoing: month >= currentMonth };
}

export function isEligible(days: number, rules: Pick<FrontlineRules, "eligibilityMinDays">): boolean {
  return days >= rules.eligibilityMinDays;
}
