import { z } from "zod";
import { RANKS, type Rank, UNIT_KINDS, type UnitKind } from "~db/schema/enums";
import { serialToDate } from "./reader/number-formats";

/** A cell as the readers hand it over: CSV gives text; XLSX also gives numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null;

/**
 * A cell as text. Spreadsheets turn staff numbers and phone numbers into numbers (1001, 13800138000),
 * so whole numbers are written back without exponent or decimals.
 */
export function cellText(cell: Cell | undefined): string {
  if (cell == null) return "";
  if (typeof cell === "string") return cell.replace(/\u00A0/g, " ").trim();
  if (typeof cell === "number") {
    if (Number.isInteger(cell)) return BigInt(cell).toString();
    return String(cell);
  }
  if (typeof cell === "boolean") return cell ? "true" : "false";
  return wallClockDate(cell);
}

/**
 * A date cell's calendar date. Spreadsheet dates carry the sheet's wall clock in their UTC fields
 * (Excel has no time zones), so they are read as they are, not converted.
 */
export function wallClockDate(cell: Date): string {
  return cell.toISOString().slice(0, 10);
}

/**
 * Text that is a code, a number or a word from a list: full-width digits, letters and punctuation
 * (１２３, Ａ, ：) are typing slips for the plain ones, and NFKC reads them so. Free text (names,
 * titles, places) keeps what was written.
 */
export function plainText(text: string): string {
  // NFKC is costly and almost never needed: only for full-width forms, the ideographic space, circled digits.
  const plain = /[\u2460-\u24FF\u3000\uFF00-\uFFEF]/.test(text) ? text.normalize("NFKC") : text;
  return plain.replace(/\u00A0/g, " ").trim();
}

export function isBlank(cell: Cell | undefined): boolean {
  return cellText(cell) === "";
}

const normalise = (s: string) =>
  plainText(s)
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

const KIND_WORDS: Record<string, UnitKind> = {
  部门: "department",
  机关: "department",
  镇街: "town",
  镇: "town",
  街道: "town",
  乡镇: "town",
  园区: "park",
  开发区: "park",
  国企: "enterprise",
  国有企业: "enterprise",
  其他: "other",
  其它: "other",
};

export function parseUnitKind(text: string): UnitKind | null {
  const key = normalise(text);
  if ((UNIT_KINDS as readonly string[]).includes(key)) return key as UnitKind;
  return KIND_WORDS[key] ?? null;
}

const RANK_WORDS: Record<string, Rank> = {
  科员: "staff",
  科员及以下: "staff",
  办事员: "staff",
  副科: "deputy_section",
  副科级: "deputy_section",
  正科: "section",
  正科级: "section",
  副县: "deputy_county",
  副县级: "deputy_county",
  副处: "deputy_county",
  副处级: "deputy_county",
  "副县级(副处)": "deputy_county",
  正县: "county",
  正县级: "county",
  正处: "county",
  正处级: "county",
  "正县级(正处)": "county",
  副厅: "deputy_bureau",
  副厅级: "deputy_bureau",
  正厅: "bureau",
  正厅级: "bureau",
};

export function parseRank(text: string): Rank | null {
  const key = normalise(text).replace(/（/g, "(").replace(/）/g, ")");
  if ((RANKS as readonly string[]).includes(key)) return key as Rank;
  return RANK_WORDS[key] ?? null;
}

const YES = new Set(["是", "y", "yes", "true", "1", "√", "✓"]);
const NO = new Set(["否", "n", "no", "false", "0", ""]);

/** 是/否, Y/N, yes/no, true/false, 1/0; an empty cell is 否. null when it is none of these. */
export function parseYesNo(cell: Cell | undefined): boolean | null {
  if (typeof cell === "boolean") return cell;
  const key = plainText(cellText(cell)).toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return null;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function realDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Excel's day count (1900 system) as a calendar date: 46086 is 2026-03-04. */
function serialDate(serial: number): string | null {
  const date = serialToDate(Math.floor(serial));
  return date ? wallClockDate(date) : null;
}

/**
 * A calendar date as YYYY-MM-DD. Date cells are read as the sheet shows them. Text is accepted as
 * 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301, and must be a real date; an Excel day
 * count (46086, from a cell left in General format) is read as the date it counts. With `month`, a
 * year and month alone (1975.03, 1975年3月, 197503), as rosters write 出生年月, stand for its first day.
 */
export function parseDate(cell: Cell | undefined, options: { month?: boolean } = {}): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : wallClockDate(cell);
  const text = plainText(cellText(cell));
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (full) return realDate(Number(full[1]), Number(full[2]), Number(full[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return realDate(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  // Day counts from 1927 to 2119: five digits, never a year or a compact date.
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Number(text);
    if (serial >= 10_000 && serial <= 80_000) return serialDate(serial);
  }
  if (options.month) {
    const month = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
    if (month) return realDate(Number(month[1]), Number(month[2]), 1);
  }
  return null;
}

/** The same check as the account forms (fields.email), so an imported address can also sign in. */
const EMAIL = z.email();
export function parseEmail(text: string): string | null {
  const email = plainText(text).toLowerCase();
  return EMAIL.safeParse(email).success ? email : null;
}

const PHONE = /^\+?[0-9][0-9\s\-()]{2,29}$/;
export function parsePhone(text: string): string | null {
  const phone = plainText(text);
  return PHONE.test(phone) ? phone : null;
}
