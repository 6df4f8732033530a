import { plainText } from "~/modules/imports/values";
import {
  DEGREES,
  type Degree,
  EDUCATIONS,
  type EducationCode,
  ETHNICITIES,
  type EthnicityCode,
  type Gender,
  POLITICAL_STATUSES,
  type PoliticalStatusCode,
} from "~db/schema/roster-codes";

/**
 * The roster fields as departments write them, read into the national codes: 政治面貌 as 中共党员 or
 * 党员 or 中国共产党党员 or 01; 学历 as 本科, 大学, 大学本科 or 中央党校大学; 学位 as 法学硕士. Pure, so
 * the import, the edit form and the tests read them the same way.
 */

const key = (text: string) => plainText(text).replace(/\s+/g, "").toLowerCase();

const GENDER_WORDS: Record<string, Gender> = { 男: "male", 女: "female", male: "male", female: "female", m: "male", f: "female" };

export function parseGender(text: string): Gender | null {
  return GENDER_WORDS[key(text)] ?? null;
}

const ETHNICITY_WORDS = new Map<string, EthnicityCode>();
for (const [code, zh, en] of ETHNICITIES) {
  ETHNICITY_WORDS.set(code, code);
  ETHNICITY_WORDS.set(String(Number(code)), code);
  ETHNICITY_WORDS.set(key(zh), code);
  // 汉 for 汉族, 蒙古 for 蒙古族.
  if (zh.endsWith("族")) ETHNICITY_WORDS.set(key(zh.slice(0, -1)), code);
  ETHNICITY_WORDS.set(key(en), code);
}

export function parseEthnicity(text: string): EthnicityCode | null {
  return ETHNICITY_WORDS.get(key(text)) ?? null;
}

const POLITICAL_WORDS = new Map<string, PoliticalStatusCode>();
for (const [code, short, full, en] of POLITICAL_STATUSES) {
  for (const word of [code, String(Number(code)), short, full, en]) POLITICAL_WORDS.set(key(word), code);
}
for (const [word, code] of [
  ["党员", "01"],
  ["共产党员", "01"],
  ["中共", "01"],
  ["预备党员", "02"],
  ["团员", "03"],
  ["中共团员", "03"],
  ["民革", "04"],
  ["民革党员", "04"],
  ["民盟", "05"],
  ["民建", "06"],
  ["民进", "07"],
  ["农工党", "08"],
  ["致公党", "09"],
  ["九三学社", "10"],
  ["台盟", "11"],
  ["无党派", "12"],
  ["无党派民主人士", "12"],
] as const) {
  POLITICAL_WORDS.set(key(word), code);
}

export function parsePoliticalStatus(text: string): PoliticalStatusCode | null {
  return POLITICAL_WORDS.get(key(text)) ?? null;
}

const EDUCATION_CODES_BY_NAME = new Map<string, EducationCode>(
  EDUCATIONS.flatMap(([code, zh, en]) => [
    [code, code],
    [key(zh), code],
    [key(en), code],
  ]),
);

/**
 * 学历 by the words rosters use; party-school degrees (中央党校研究生, 省委党校大学) count at their level.
 * The most specific words are tried first: 大学专科 is 专科, not 大学.
 */
export function parseEducation(text: string): EducationCode | null {
  const k = key(text);
  if (!k) return null;
  const exact = EDUCATION_CODES_BY_NAME.get(k);
  if (exact) return exact;
  if (/研究生|博士研究生|硕士研究生/.test(k)) return "10";
  if (/专科|大专|高职/.test(k)) return "30";
  if (/本科|大学/.test(k)) return "20";
  if (/中专|中等专科|中等职业|技校|职高/.test(k)) return "40";
  if (/高中|中学/.test(k)) return "60";
  if (/初中/.test(k)) return "70";
  if (/小学/.test(k)) return "80";
  if (/其他|其它/.test(k)) return "90";
  return null;
}

const DEGREE_WORDS: Record<string, Degree> = { 博士: "doctor", 硕士: "master", 学士: "bachelor" };

/** 学位: 博士, 法学硕士, 管理学学士, doctor …; 无 and an empty cell are none (null); undefined: unreadable. */
export function parseDegree(text: string): Degree | null | undefined {
  const k = key(text);
  if (!k || k === "无" || k === "none") return null;
  if ((DEGREES as readonly string[]).includes(k)) return k as Degree;
  const found = /(博士|硕士|学士)(学位)?$/.exec(k);
  return found ? DEGREE_WORDS[found[1]!] : undefined;
}

/**
 * 学历学位 in one cell, as many rosters keep it: "大学本科 管理学学士", "研究生/法学硕士", "硕士研究生".
 * 博士研究生 and 硕士研究生 are 学历 (研究生) and say nothing of the degree.
 */
export function parseEducationDegree(text: string): { education: EducationCode | null; degree: Degree | null } | null {
  const parts = text
    .normalize("NFKC")
    .split(/[\s/、,;，；|]+/)
    .filter(Boolean);
  let education: EducationCode | null = null;
  let degree: Degree | null = null;
  for (const part of parts) {
    const withoutStudy = part.replace(/(博士|硕士)研究生/, "研究生");
    const d = /研究生/.test(withoutStudy) && !/(博士|硕士|学士)(学位)?$/.test(withoutStudy) ? null : parseDegree(withoutStudy);
    const e = parseEducation(withoutStudy.replace(/(博士|硕士|学士)(学位)?$/, ""));
    if (e) education ??= e;
    if (d) degree ??= d;
    if (!e && !d) return null;
  }
  return parts.length ? { education, degree } : null;
}

/** A roster date as the national forms print it: year and month (1975.03). */
export function yearMonth(date: string | null | undefined): string {
  if (!date) return "";
  return `${date.slice(0, 4)}.${date.slice(5, 7)}`;
}

/** Whole years from `date` to `today` (YYYY-MM-DD each): an age, or years in a rank. */
export function yearsSince(date: string, today: string): number {
  const [y1, m1, d1] = date.split("-").map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split("-").map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/** The day `years` whole years before `today`: born on or before it, a cadre is at least that old. */
export function yearsBefore(today: string, years: number): string {
  const y = Number(today.slice(0, 4)) - years;
  const md = today.slice(4);
  // 29 February in a year without one is 28 February.
  const candidate = `${y}${md}`;
  return md === "-02-29" && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? `${y}-02-28` : candidate;
}

export interface ResumeRow {
  /** YYYY-MM-DD, or null when the start is before records began. */
  from: string | null;
  /** Exclusive end, or null: to this day. */
  to: string | null;
  unit: string;
  title: string;
}

/**
 * A 简历 as the appointment form lists it: from the unit memberships and the post terms, one line per
 * stretch in which both stayed the same, oldest first; a line where neither changed is merged with the
 * one before.
 */
export function resumeRows(
  memberships: readonly { unitName: string; startDate: string | null; endDate: string | null }[],
  posts: readonly { title: string | null; startDate: string | null; endDate: string | null }[],
): ResumeRow[] {
  const bounds = [...new Set([...memberships, ...posts].flatMap((x) => [x.startDate, x.endDate]).filter((d): d is string => !!d))].sort();
  const starts: (string | null)[] = [null, ...bounds];
  // The stretch from `from` (null: from before records began) lies in what started by then and had not ended.
  const covering = <T extends { startDate: string | null; endDate: string | null }>(items: readonly T[], from: string | null) =>
    items.find((x) =>
      from === null ? x.startDate === null : (x.startDate === null || x.startDate <= from) && (x.endDate === null || x.endDate > from),
    );
  const rows: ResumeRow[] = [];
  starts.forEach((from, i) => {
    const to = starts[i + 1] ?? null;
    const unit = covering(memberships, from)?.unitName;
    const title = covering(posts, from)?.title ?? "";
    if (!unit && !title) return;
    const last = rows.at(-1);
    if (last && last.unit === (unit ?? "") && last.title === title && last.to === from) last.to = to;
    else rows.push({ from, to, unit: unit ?? "", title });
  });
  return rows;
}
