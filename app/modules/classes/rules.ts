import type { AudienceRule, ClassSessionStatus } from "~db/schema/classes";
import { RANKS, type Rank } from "~db/schema/enums";

/**
 * The rules of night classes as plain functions: what a session's state allows, who is in an audience,
 * which venue a rank may use, who leaves a waitlist first. Each answers with an i18n key (the problem)
 * or null (allowed), so services and pages say the same thing.
 */

export interface SessionTimes {
  status: ClassSessionStatus;
  startsAt: Date;
  endsAt: Date;
  registrationDeadline: Date;
}

/** Registering, changing and cancelling: a published session before its deadline. */
export function registrationProblem(session: SessionTimes, now: Date): string | null {
  if (session.status === "cancelled") return "classes.errors.sessionCancelled";
  if (session.status !== "published") return "classes.errors.notOpen";
  if (now >= session.registrationDeadline) return "classes.errors.deadlinePassed";
  return null;
}

/** Asking for leave: a published session that has not started. */
export function leaveRequestProblem(session: SessionTimes, now: Date): string | null {
  if (session.status === "cancelled") return "classes.errors.sessionCancelled";
  if (session.status !== "published") return "classes.errors.notOpen";
  if (now >= session.startsAt) return "classes.errors.alreadyStarted";
  return null;
}

/** Deciding leave: until the session is closed, since a head often approves after the evening itself. */
export function leaveDecisionProblem(session: SessionTimes): string | null {
  if (session.status === "cancelled") return "classes.errors.sessionCancelled";
  if (session.status !== "published") return "classes.errors.sessionClosed";
  return null;
}

/** Seats move (waitlist promotion, enrolment following the roster) only while a published session has not started. */
export function seatsMovable(session: SessionTimes, now: Date): boolean {
  return session.status === "published" && now < session.startsAt;
}

export type SessionTransition = "publish" | "close" | "cancel";

/** draft → published → closed; draft or published → cancelled. */
export function transitionProblem(session: SessionTimes, transition: SessionTransition, now: Date): string | null {
  switch (transition) {
    case "publish":
      if (session.status !== "draft") return "classes.errors.transition";
      if (session.startsAt <= now) return "classes.errors.publishPast";
      return null;
    case "close":
      if (session.status !== "published") return "classes.errors.transition";
      if (now < session.startsAt) return "classes.errors.closeBeforeStart";
      return null;
    case "cancel":
      if (session.status !== "draft" && session.status !== "published") return "classes.errors.transition";
      return null;
  }
}

/** The state a transition leads to. */
export const TRANSITION_TARGET: Record<SessionTransition, Exclude<ClassSessionStatus, "draft">> = {
  publish: "published",
  close: "closed",
  cancel: "cancelled",
};

// ---------------------------------------------------------------------------------------------------
// Audience

export interface AudienceCadre {
  id: number;
  rank: Rank;
  status: "active" | "transferred" | "retired";
  /** The cadre's unit and every unit above it: a rule naming any of them covers the cadre. */
  unitAncestry: number[];
}

export const EMPTY_AUDIENCE: AudienceRule = { minRank: null, unitIds: [], cadreIds: [], excludeCadreIds: [] };

/** Whether the rule part (rank and units) says anything; without it, only named cadres are in. */
export function audienceHasRule(rule: AudienceRule): boolean {
  return rule.minRank !== null || rule.unitIds.length > 0;
}

export function inAudience(rule: AudienceRule, cadre: AudienceCadre): boolean {
  if (cadre.status !== "active") return false;
  if (rule.excludeCadreIds.includes(cadre.id)) return false;
  if (rule.cadreIds.includes(cadre.id)) return true;
  if (!audienceHasRule(rule)) return false;
  if (rule.minRank && !rankAtLeast(cadre.rank, rule.minRank)) return false;
  if (rule.unitIds.length && !rule.unitIds.some((u) => cadre.unitAncestry.includes(u))) return false;
  return true;
}

function rankAtLeast(rank: Rank, minimum: Rank): boolean {
  return RANKS.indexOf(rank) >= RANKS.indexOf(minimum);
}

/** Who may register: the audience, and anyone when registration is open to all. */
export function mayRegister(session: { audience: AudienceRule; openRegistration: boolean }, cadre: AudienceCadre): boolean {
  if (cadre.status !== "active") return false;
  return session.openRegistration || inAudience(session.audience, cadre);
}

// ---------------------------------------------------------------------------------------------------
// Tiered venues (分层收看)

export interface VenueTier {
  venueId: number;
  ranks: Rank[];
}

export function venueSeatsRank(venue: Pick<VenueTier, "ranks">, rank: Rank): boolean {
  return venue.ranks.includes(rank);
}

/** The venues a rank may choose, in the order given. */
export function venuesForRank<V extends VenueTier>(venues: V[], rank: Rank): V[] {
  return venues.filter((v) => venueSeatsRank(v, rank));
}

/**
 * Where a mandatory enrolment goes: the first venue (in the order given) that seats the rank and has a
 * free seat; online (null) when none does.
 */
export function assignVenue(rank: Rank, venues: (VenueTier & { free: number })[]): number | null {
  return venues.find((v) => v.free > 0 && venueSeatsRank(v, rank))?.venueId ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Waitlist

export interface SeatState {
  venueId: number;
  capacity: number;
  occupied: number;
}

export interface WaitingRegistration {
  registrationId: number;
  /** Where the cadre sits while waiting: a venue, or null for online. */
  currentVenueId: number | null;
  waitVenueId: number;
  waitlistedAt: Date;
}

export interface Promotion {
  registrationId: number;
  fromVenueId: number | null;
  toVenueId: number;
}

/**
 * Who moves up when seats are free: first come, first served per venue (by the time they joined the
 * waitlist, then by registration id). A promoted cadre frees the seat they held, which may promote
 * someone waiting for that venue in turn.
 */
export function planPromotions(seats: SeatState[], waiting: WaitingRegistration[]): Promotion[] {
  const free = new Map(seats.map((s) => [s.venueId, s.capacity - s.occupied]));
  const queue = [...waiting].sort((a, b) => a.waitlistedAt.getTime() - b.waitlistedAt.getTime() || a.registrationId - b.registrationId);
  const promotions: Promotion[] = [];
  let moved = true;
  while (moved) {
    moved = false;
    for (let i = 0; i < queue.length; i++) {
      const w = queue[i]!;
      if ((free.get(w.waitVenueId) ?? 0) <= 0) continue;
      // Only the first in line for a venue may take its seat.
      if (queue.slice(0, i).some((earlier) => earlier.waitVenueId === w.waitVenueId)) continue;
      free.set(w.waitVenueId, free.get(w.waitVenueId)! - 1);
      if (w.currentVenueId !== null) free.set(w.currentVenueId, (free.get(w.currentVenueId) ?? 0) + 1);
      promotions.push({ registrationId: w.registrationId, fromVenueId: w.currentVenueId, toVenueId: w.waitVenueId });
      queue.splice(i, 1);
      moved = true;
      break;
    }
  }
  return promotions;
}

// ---------------------------------------------------------------------------------------------------
// Codes

/**
 * Session codes are short, unique and used in URLs: letters, digits, '-' and '_', with at least one
 * digit, so that no code can be mistaken for a page name (/classes/admin, /classes/leave).
 */
export const SESSION_CODE = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export function isSessionCode(value: unknown): value is string {
  return typeof value === "string" && SESSION_CODE.test(value);
}

/** Codes for new dates: YYYY-NN, numbered on from the highest code already used in that year. */
export function nextSessionCodes(dates: string[], existing: string[]): string[] {
  const highest = new Map<string, number>();
  for (const code of existing) {
    const m = /^(\d{4})-(\d{2,3})$/.exec(code);
    if (m) highest.set(m[1]!, Math.max(highest.get(m[1]!) ?? 0, Number(m[2])));
  }
  return dates.map((date) => {
    const year = date.slice(0, 4);
    const n = (highest.get(year) ?? 0) + 1;
    highest.set(year, n);
    return `${year}-${String(n).padStart(2, "0")}`;
  });
}

/** The default registration deadline: some hours before the start. */
export function deadlineBefore(startsAt: Date, hoursBefore: number): Date {
  return new Date(startsAt.getTime() - hoursBefore * 3_600_000);
}
