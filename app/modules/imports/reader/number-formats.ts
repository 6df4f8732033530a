/**
 * What an .xlsx number means, from the cell's number format: a date (Excel stores dates as day
 * counts), a code written with leading zeros (000123), a figure shown with fixed decimals (1975.10 is
 * not 1975.1), or just a number. Pure; the workbook reader applies it cell by cell.
 */

/** Built-in formats that show dates or times (ECMA-376 18.8.30, and the Chinese ones 27–36 and 50–58). */
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Built-in formats: 1 is "0", 2 is "0.00". */
const BUILT_IN_CODES: Record<number, string> = { 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00" };

export type NumberFormat = { kind: "date" } | { kind: "fixed"; integerDigits: number; decimals: number } | { kind: "general" };

/** Literal text, escapes and colours are not part of what the code formats. */
function strip(code: string): string {
  return code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/_./g, "")
    .replace(/\*./g, "")
    .replace(/\[(?!h\]|m\]|s\]|hh\]|mm\]|ss\])[^\]]*\]/gi, "");
}

export function numberFormat(numFmtId: number, code: string | undefined): NumberFormat {
  if (BUILT_IN_DATES.has(numFmtId)) return { kind: "date" };
  const source = code ?? BUILT_IN_CODES[numFmtId];
  if (!source) return { kind: "general" };
  // The first section is the one for positive numbers, which is what a code or a date is.
  const first = strip(source.split(";")[0] ?? "");
  if (/^general$/i.test(first.trim())) return { kind: "general" };
  if (/[dmyhs]|上午|下午|年|月|日/i.test(first.replace(/e[+-]/gi, ""))) return { kind: "date" };
  const fixed = /^#?,?#*(0*)(?:\.(0+))?$/.exec(first.replace(/,/g, "").trim());
  if (fixed) return { kind: "fixed", integerDigits: fixed[1]?.length ?? 0, decimals: fixed[2]?.length ?? 0 };
  return { kind: "general" };
}

/**
 * A number as its fixed format shows it: zero-padded to the integer digits, with the decimals. Null
 * when that would not be the plain number (thousands separators aside, which a code never has).
 */
export function formatFixed(value: number, format: { integerDigits: number; decimals: number }): string | null {
  if (!Number.isFinite(value)) return null;
  const text = Math.abs(value).toFixed(format.decimals);
  const [whole = "", fraction] = text.split(".");
  const padded = whole.padStart(format.integerDigits, "0");
  return `${value < 0 ? "-" : ""}${padded}${fraction ? `.${fraction}` : ""}`;
}

const DAY_MS = 86_400_000;
/** 1899-12-30, day 0 of Excel's 1900 system (which counts a 29 February 1900 that never was). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel day count as a date whose UTC fields are the sheet's wall clock (Excel knows no time
 * zones). Days before 1 March 1900 are shifted by the day Excel invented; a fraction is a time of day.
 */
export function serialToDate(serial: number, date1904 = false): Date | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return null;
  const days = !date1904 && serial < 61 && serial >= 1 ? serial + 1 : serial;
  const ms = Math.round((days * DAY_MS) / 1000) * 1000;
  return new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + ms);
}
