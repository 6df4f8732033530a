import { z } from "zod";
import { shanghaiDateOf } from "~/utils/dates";
import { RANKS, type Rank, UNIT_KINDS, type UnitKind } from "~db/schema/enums";

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
  return shanghaiDateOf(cell);
}

const normalise = (s: string) =>
  s
    .trim()
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
  const key = cellText(cell).toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return null;
}

/**
 * A calendar date as YYYY-MM-DD. XLSX date cells arrive as Date objects and are read in Asia/Shanghai;
 * text is accepted as 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日, and must be a real date.
 */
export function parseDate(cell: Cell | undefined): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : shanghaiDateOf(cell);
  const text = cellText(cell);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const iso = `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return iso;
}

/** The same check as the account forms (fields.email), so an imported address can also sign in. */
const EMAIL = z.email();
export function parseEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  return EMAIL.safeParse(email).success ? email : null;
}

const PHONE = /^\+?[0-9][0-9\s\-()]{2,29}$/;
export function parsePhone(text: string): string | null {
  const phone = text.trim();
  return PHONE.test(phone) ? phone : null;
}
