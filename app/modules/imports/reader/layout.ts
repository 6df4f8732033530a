import { type ColumnSpec, mapColumns } from "../columns";
import { type Cell, cellText } from "../values";
import { READ_LIMITS } from "./limits";
import type { SheetRow } from "./rows";

/**
 * Where the table is in a sheet as departments make them: title rows (often merged across), notes and
 * blank rows above the header; the header; the data; then footers (合计, 制表人 …). Pure rules over
 * rows already read, so the tests can state them as tables.
 */

/** How well a row works as the kind's header: the columns it names, distinct. */
export function headerScore(columns: readonly ColumnSpec[], cells: readonly Cell[]): number {
  const map = mapColumns(
    columns,
    cells.map((c) => cellText(c ?? null)),
  );
  return Object.keys(map.index).length;
}

export interface HeaderChoice {
  /** Index in the rows given. */
  index: number;
  score: number;
}

/**
 * The header among the first rows: the one naming the most of the kind's columns (the earliest of
 * equals). Null when no row names any.
 */
export function findHeaderRow(columns: readonly ColumnSpec[], rows: readonly SheetRow[]): HeaderChoice | null {
  let best: HeaderChoice | null = null;
  rows.slice(0, READ_LIMITS.headerScanRows).forEach((r, index) => {
    const score = headerScore(columns, r.cells);
    if (score > 0 && (!best || score > best.score)) best = { index, score };
  });
  return best;
}

/**
 * Footer lines of a table: totals, signatures, notes. Matched at the start of the row's first filled
 * cell, full-width spellings included.
 */
const FOOTER =
  /^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|制\s*表|填\s*表|填\s*报|审\s*核|审\s*批|复\s*核|核\s*对|负\s*责\s*人|联\s*系\s*人|联系电话|经\s*办\s*人|备\s*注|注\s*[:：]|说\s*明|单位\s*[(（]?\s*盖章|[(（]\s*盖章|打印|以下空白|此页无正文)/;

/** The marker of the template's example row; such a row is skipped and reported. */
export const EXAMPLE_MARK = "示例行，导入时跳过";

export type RowRole = "data" | "footer" | "example" | "repeatedHeader";

/**
 * What a row below the header is. `keyIndex` is the column of the kind's key (staff number, code): a
 * footer has nothing there, or its footer text is there.
 */
export function rowRole(cells: readonly Cell[], context: { keyIndex: number | null; header: readonly string[] }): RowRole {
  const texts = cells.map((c) => cellText(c ?? null));
  if (texts.includes(EXAMPLE_MARK)) return "example";
  const first = texts.findIndex((t) => t !== "");
  if (first < 0) return "data";
  const key = context.keyIndex === null ? "" : (texts[context.keyIndex] ?? "");
  if (FOOTER.test(texts[first]!.normalize("NFKC").replace(/^[\s:：(（【[]+/, "")) && (key === "" || context.keyIndex === first)) {
    return "footer";
  }
  // A header repeated on every printed page.
  const header = context.header;
  if (
    header.length &&
    texts.length &&
    texts.every((t, i) => t === "" || t === (header[i] ?? "").trim()) &&
    texts.filter(Boolean).length > 1
  ) {
    return "repeatedHeader";
  }
  return "data";
}

/** A row's text for a message: its filled cells, joined, cut short. */
export function rowText(cells: readonly Cell[], max = 60): string {
  const text = cells
    .map((c) => cellText(c ?? null))
    .filter(Boolean)
    .join(" ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
