import type { Rank, UnitKind } from "~db/schema/enums";
import { RANKS } from "~db/schema/enums";
import type { AssessmentGrade } from "~db/schema/rankings";
import { CADRE_INDICATORS, type CadreIndicator, type ModelSpec, type RankingBand, UNIT_INDICATORS, type UnitIndicator } from "./model";
import { agendaSlots } from "./rules";

/**
 * THE TEST ORACLE for the ranking, not the rule production runs. Production scores a quarter in SQL,
 * set-based (score.server.ts, called by compute.server.ts); nothing in the app calls the functions
 * below, so editing them changes no ranking. They restate the same rules one row at a time, in a form
 * that can be read and checked by hand: the unit tests (rankings-scoring) pin them to hand-made
 * expectations, and the integration tests (rankings-model) hold the SQL's results to them on generated
 * quarters. A change to the scoring rule is made in score.server.ts and here together, or the tests fail.
 *
 * - An indicator is a value in [0, 1], or null when it has no data ("not applicable").
 * - Score = 100 × Σ wᵢvᵢ ÷ Σ wᵢ over the applicable indicators, rounded half-up to 4 decimals.
 * - Ranks within a peer group: higher score first, then higher attendance value (not applicable
 *   lowest), then code / staff number ascending (byte order), so ranks are 1…n without gaps.
 */

export interface IndicatorPart {
  num: number | null;
  den: number | null;
  /** In [0, 1]; null: not applicable. */
  value: number | null;
  /** The weight after rescaling over the applicable indicators (they sum to 1); null when not applicable. */
  weight: number | null;
  /** Points this indicator adds to the score: 100 × weight × value. */
  contribution: number | null;
}

export interface CadreInput {
  cadreId: number;
  staffNo: string;
  unitId: number;
  rank: Rank;
  band: RankingBand;
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  hoursEarned: number;
  hoursRequired: number;
  frontlineDays: number;
  frontlineQuota: number;
  grade: AssessmentGrade | null;
}

export interface UnitInput {
  unitId: number;
  code: string;
  kind: UnitKind;
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  frontlineDays: number;
  satisfied: number;
  unsatisfied: number;
}

export interface Scored<K extends string> {
  id: number;
  group: string;
  code: string;
  score: number | null;
  rank: number | null;
  parts: Record<K, IndicatorPart>;
}

/** Rounds half away from zero (half-up for the non-negative scores) at `digits` decimals. */
export function roundHalfUp(x: number, digits: number): number {
  const f = 10 ** digits;
  // The relative nudge makes 87.12345, stored as 87.1234499999…, round up as the decimal it is.
  const scaled = Math.abs(x) * f * (1 + 1e-12);
  return (Math.sign(x) * Math.floor(scaled + 0.5)) / f;
}

export function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

export function capped(value: number | null): number | null {
  return value === null ? null : Math.min(1, value);
}

/** (present + lateWeight × late) / (enrolled − excused). */
export function attendancePart(c: { enrolled: number; present: number; late: number; excused: number }, lateWeight: number): IndicatorPart {
  const num = c.present + lateWeight * c.late;
  const den = c.enrolled - c.excused;
  return part(num, den, ratio(num, den));
}

function part(num: number | null, den: number | null, value: number | null): IndicatorPart {
  return { num, den, value, weight: null, contribution: null };
}

/**
 * Fills weights and contributions of applicable parts and returns the score, or null when no
 * applicable indicator carries weight (the subject is listed as not ranked).
 */
export function combine<K extends string>(parts: Record<K, IndicatorPart>, weights: Record<K, number>): number | null {
  const keys = Object.keys(parts) as K[];
  const total = keys.reduce((sum, k) => (parts[k].value === null ? sum : sum + weights[k]), 0);
  if (!(total > 0)) return null;
  let score = 0;
  for (const k of keys) {
    const p = parts[k];
    if (p.value === null) continue;
    p.weight = weights[k] / total;
    p.contribution = (100 * weights[k] * p.value) / total;
    score += p.contribution;
  }
  return roundHalfUp(score, 4);
}

/** (x − min)/(max − min) over the applicable values; 1 for all when max = min. */
export function minMax(values: (number | null)[]): { normalised: (number | null)[]; min: number | null; max: number | null } {
  const present = values.filter((v): v is number => v !== null);
  if (!present.length) return { normalised: values.map(() => null), min: null, max: null };
  const min = Math.min(...present);
  const max = Math.max(...present);
  return { normalised: values.map((v) => (v === null ? null : max === min ? 1 : (v - min) / (max - min))), min, max };
}

/** Byte order, as PostgreSQL's "C" collation compares: the same on every server. */
export function compareCodes(a: string, b: string): number {
  // UTF-8 byte order is code point order (not UTF-16 unit order, which differs above U+FFFF).
  const x = Array.from(a, (ch) => ch.codePointAt(0)!);
  const y = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The tie-break order: score desc, attendance desc (null lowest), code asc. Unranked rows last. */
export function compareForRank(
  a: { score: number | null; attendance: number | null; code: string },
  b: { score: number | null; attendance: number | null; code: string },
): number {
  if (a.score === null || b.score === null) {
    if (a.score !== b.score) return a.score === null ? 1 : -1;
  } else if (a.score !== b.score) return b.score - a.score;
  const ta = a.attendance ?? -Infinity;
  const tb = b.attendance ?? -Infinity;
  if (ta !== tb) return tb - ta;
  return compareCodes(a.code, b.code);
}

/** Ranks 1…n within each group; unranked rows keep rank null. */
export function assignRanks<K extends string>(rows: Scored<K>[], attendance: (row: Scored<K>) => number | null): void {
  const groups = new Map<string, Scored<K>[]>();
  for (const r of rows) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  for (const members of groups.values()) {
    members
      .slice()
      .sort((a, b) =>
        compareForRank(
          { score: a.score, attendance: attendance(a), code: a.code },
          { score: b.score, attendance: attendance(b), code: b.code },
        ),
      )
      .forEach((r, i) => {
        r.rank = r.score === null ? null : i + 1;
      });
  }
}

export function gradeValue(grade: AssessmentGrade | null, spec: ModelSpec): number | null {
  return grade === null ? null : spec.params.gradeValues[grade];
}

/** A cadre's training value: hours earned against the quarter's share of the yearly requirement, capped at 1. */
export function trainingPart(c: Pick<CadreInput, "hoursEarned" | "hoursRequired">): IndicatorPart {
  return part(c.hoursEarned, c.hoursRequired, capped(ratio(c.hoursEarned, c.hoursRequired)));
}

export function scoreCadres(inputs: CadreInput[], spec: ModelSpec): Scored<CadreIndicator>[] {
  const rows = inputs.map((c): Scored<CadreIndicator> => {
    const grade = gradeValue(c.grade, spec);
    const parts: Record<CadreIndicator, IndicatorPart> = {
      attendance: attendancePart(c, spec.params.lateWeight),
      training: trainingPart(c),
      frontline: part(c.frontlineDays, c.frontlineQuota, capped(ratio(c.frontlineDays, c.frontlineQuota))),
      assessment: part(grade, grade === null ? null : 1, grade),
    };
    return { id: c.cadreId, group: c.band, code: c.staffNo, score: combine(parts, spec.cadreWeights), rank: null, parts };
  });
  assignRanks(rows, (r) => r.parts.attendance.value);
  return rows;
}

export interface UnitExtras {
  members: number;
  membersSectionUp: number;
  frontlineRaw: number | null;
  frontlineMin: number | null;
  frontlineMax: number | null;
}

/**
 * Units: members are the cadres whose unit on the quarter's last day it was (their inputs carry it);
 * training is the mean of the members' training values; frontline days per member of deputy-section
 * rank or above are normalised min–max within the peer group.
 */
export function scoreUnits(units: UnitInput[], cadres: CadreInput[], spec: ModelSpec): (Scored<UnitIndicator> & UnitExtras)[] {
  const byUnit = new Map<number, CadreInput[]>();
  for (const c of cadres) byUnit.set(c.unitId, [...(byUnit.get(c.unitId) ?? []), c]);
  const sectionUp = (rank: Rank) => RANKS.indexOf(rank) >= RANKS.indexOf("deputy_section");

  const rows = units.map((u) => {
    const members = byUnit.get(u.unitId) ?? [];
    const trained = members.map((m) => trainingPart(m).value).filter((v): v is number => v !== null);
    const trainingSum = trained.reduce((s, v) => s + v, 0);
    const membersSectionUp = members.filter((m) => sectionUp(m.rank)).length;
    const parts: Record<UnitIndicator, IndicatorPart> = {
      attendance: attendancePart(u, spec.params.lateWeight),
      training: part(trainingSum, trained.length, ratio(trainingSum, trained.length)),
      frontline: part(u.frontlineDays, membersSectionUp, null),
      satisfaction: part(u.satisfied, u.satisfied + u.unsatisfied, ratio(u.satisfied, u.satisfied + u.unsatisfied)),
    };
    return {
      id: u.unitId,
      group: u.kind as string,
      code: u.code,
      score: null as number | null,
      rank: null as number | null,
      parts,
      members: members.length,
      membersSectionUp,
      frontlineRaw: ratio(u.frontlineDays, membersSectionUp),
      frontlineMin: null as number | null,
      frontlineMax: null as number | null,
    };
  });

  for (const kind of new Set(rows.map((r) => r.group))) {
    const peers = rows.filter((r) => r.group === kind);
    const { normalised, min, max } = minMax(peers.map((r) => r.frontlineRaw));
    peers.forEach((r, i) => {
      r.parts.frontline.value = normalised[i]!;
      r.frontlineMin = min;
      r.frontlineMax = max;
    });
  }
  for (const r of rows) r.score = combine(r.parts, spec.unitWeights);
  assignRanks(rows, (r) => r.parts.attendance.value);
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// The meeting and the flags.

// How many present experience and make commitments (agendaSlots) is a rule production applies: rules.ts.

export function isTop(rank: number, n: number, k: number): boolean {
  return rank <= agendaSlots(n, k).top;
}

export function isBottom(rank: number, n: number, k: number): boolean {
  return rank > n - agendaSlots(n, k).bottom;
}

/** Change in rank from one quarter to the next: positive = moved up. */
export function rankChange(previous: number | null, current: number | null): number | null {
  return previous === null || current === null ? null : previous - current;
}

export { CADRE_INDICATORS, UNIT_INDICATORS };
