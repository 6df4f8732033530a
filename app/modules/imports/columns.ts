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
  /** A required column another column can stand in for (单位编码, or 单位 naming exactly one unit). */
  requiredUnless?: string;
  /** The words the column takes, for the template's drop-down list and its instructions. */
  choices?: readonly string[];
  /** What to write, for the template's instructions ("日期，如 2024-03-01"). */
  hint?: string;
  /** The template's example row. */
  example?: string;
}

/**
 * What a header is compared by: full-width letters and brackets as their ASCII selves (NFKC), no BOM,
 * no spaces, underscores or hyphens, no notes in brackets ("任职日期（选填）"), no required-marks
 * ("*工号"), lower case.
 */
export function headerKey(header: string): string {
  return header
    .normalize("NFKC")
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
  row: number;
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

/** Maps a header row (row `headerRow` of the sheet) onto the columns; problems are reported on that row. */
/** Headers every sheet may have and no kind reads: left out quietly rather than listed as unknown. */
const QUIETLY_IGNORED = new Set(["序号", "编号序号", "备注", "说明", "错误说明", "no", "#"].map(headerKey));

export function mapColumns(columns: readonly ColumnSpec[], headers: readonly string[], headerRow = 1): HeaderMap {
  const known = lookup(columns);
  const result: HeaderMap = { index: {}, header: {}, ignored: [], problems: [] };
  headers.forEach((raw, i) => {
    const written = raw
      .replace(/^\uFEFF/, "")
      .replace(/\s+/g, " ")
      .trim();
    if (!written) return;
    const field = known.get(headerKey(written));
    if (!field) {
      if (!QUIETLY_IGNORED.has(headerKey(written))) result.ignored.push(written);
      return;
    }
    if (field in result.index) {
      result.problems.push({
        row: headerRow,
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
    if (c.required && !(c.field in result.index) && !(c.requiredUnless && c.requiredUnless in result.index)) {
      const alternative = c.requiredUnless ? columns.find((x) => x.field === c.requiredUnless) : undefined;
      result.problems.push({
        row: headerRow,
        column: c.zh,
        messageKey: alternative ? "imports.errors.missingHeaderOr" : "imports.errors.missingHeader",
        params: { header: `${c.zh} / ${c.en}`, ...(alternative ? { alternative: alternative.zh } : {}) },
      });
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
