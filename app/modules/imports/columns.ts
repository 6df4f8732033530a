/**
 * How a header row written by hand in Chinese or English maps onto a kind's columns. Pure, so the
 * browser (templates, help text) and the tests can use it; each kind declares its own columns.
 */
export interface ColumnSpec<F extends string = string> {
  field: F;
  /** The header our templates write, and the name problems are reported under when the column is missing. */
  zh: string;
  en: string;
  /** Other spellings seen in departments' own sheets. Compared after `headerKey`. */
  aliases: readonly string[];
  required: boolean;
}

/**
 * What a header is compared by: no BOM, no spaces, underscores or hyphens, no notes in brackets
 * ("任职日期（选填）"), no required-marks ("*工号"), lower case.
 */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .replace(/[（(][^）)]*[）)]/g, "")
    .replace(/[\s_\-*＊:：]/g, "")
    .toLowerCase();
}

// Keyed by the columns array itself: each kind declares its columns once, as a constant.
const lookups = new WeakMap<readonly ColumnSpec[], Map<string, string>>();
function lookup(columns: readonly ColumnSpec[]): Map<string, string> {
  let map = lookups.get(columns);
  if (!map) {
    map = new Map();
    for (const c of columns) {
      for (const name of [c.zh, c.en, c.field, ...c.aliases]) map.set(headerKey(name), c.field);
    }
    lookups.set(columns, map);
  }
  return map;
}

export interface HeaderProblem {
  row: 1;
  column: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export interface HeaderMap {
  /** Field → index of its column in the row. */
  index: Record<string, number>;
  /** Field → the header as written in the file, for error messages. */
  header: Record<string, string>;
  /** Headers we do not know; their columns are ignored. */
  ignored: string[];
  problems: HeaderProblem[];
}

export function mapColumns(columns: readonly ColumnSpec[], headers: string[]): HeaderMap {
  const known = lookup(columns);
  const result: HeaderMap = { index: {}, header: {}, ignored: [], problems: [] };
  headers.forEach((raw, i) => {
    const written = raw.replace(/^\uFEFF/, "").trim();
    if (!written) return;
    const field = known.get(headerKey(written));
    if (!field) {
      result.ignored.push(written);
      return;
    }
    if (field in result.index) {
      result.problems.push({
        row: 1,
        column: written,
        messageKey: "imports.errors.duplicateHeader",
        params: { header: result.header[field]! },
      });
      return;
    }
    result.index[field] = i;
    result.header[field] = written;
  });
  for (const c of columns) {
    if (c.required && !(c.field in result.index)) {
      result.problems.push({ row: 1, column: c.zh, messageKey: "imports.errors.missingHeader", params: { header: `${c.zh} / ${c.en}` } });
    }
  }
  return result;
}

/**
 * A CSV template: the Chinese headers (as the departments' own sheets are), with a BOM so that Excel
 * opens them as UTF-8.
 */
export function templateCsvFor(columns: readonly ColumnSpec[]): string {
  return `\uFEFF${columns.map((c) => c.zh).join(",")}\r\n`;
}
