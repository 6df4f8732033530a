import { indicatorsOf, type SubjectKind } from "./model";

/**
 * The ranking tables as the page shows them and the CSV/XLSX export writes them: built once from the
 * same rows, so the file always says what the page says. Pure. The command line's CSV is the
 * machine-readable form of the same rows (`machineCsv`).
 */

export interface Cell {
  value: string | number | null;
  href?: string;
  tone?: "ok" | "warn" | "danger";
}

export interface Table {
  name: string;
  columns: { key: string; label: string; numeric?: boolean; sortable?: boolean }[];
  rows: Cell[][];
}

export interface RowLike {
  id: number;
  code: string;
  name: string;
  group: string;
  score: number | null;
  rank: number | null;
  /** How many rows share the rank; more than 1 is a tie (并列). */
  tieSize?: number | null;
  values: Partial<Record<string, number | null>>;
  unitName?: string | null;
  cadreRank?: string | null;
  previousRank?: number | null;
  change?: number | null;
  committed?: boolean;
  top?: boolean;
  bottom?: boolean;
  flag?: "open" | "resolved" | null;
  /** Whether the reader may open this row's breakdown. */
  canOpen?: boolean;
}

type T = (key: string, params?: Record<string, unknown>) => string;

/** Scores at 4 decimals (as ranked), values at 4. */
export const roundScore = (score: number | null) => (score === null ? null : Number(score.toFixed(4)));
export const roundValue = (value: number | null | undefined) => (value === null || value === undefined ? null : Number(value.toFixed(4)));

export function changeText(change: number | null | undefined): string {
  if (change === null || change === undefined) return "";
  if (change > 0) return `▲${change}`;
  if (change < 0) return `▼${-change}`;
  return "—";
}

export function rankingTable(kind: SubjectKind, quarter: string, rows: RowLike[], t: T, link: (row: RowLike) => string): Table {
  const indicators = indicatorsOf(kind);
  const columns: Table["columns"] = [
    { key: "rank", label: t("rankings.table.rank"), numeric: true, sortable: true },
    { key: "tie", label: t("rankings.table.tie") },
    { key: "code", label: t(kind === "units" ? "rankings.table.unitCode" : "rankings.table.staffNo"), sortable: true },
    { key: "name", label: t(kind === "units" ? "rankings.table.unit" : "rankings.table.name"), sortable: true },
    ...(kind === "cadres"
      ? [
          { key: "unit", label: t("rankings.table.unit") },
          { key: "cadreRank", label: t("rankings.table.cadreRank") },
        ]
      : []),
    { key: "score", label: t("rankings.table.score"), numeric: true, sortable: true },
    ...indicators.map((i) => ({ key: i, label: t(`rankings.indicators.${i}`), numeric: true, sortable: true })),
    ...(kind === "units"
      ? [
          { key: "change", label: t("rankings.table.change"), numeric: true, sortable: true },
          { key: "note", label: t("rankings.table.note") },
        ]
      : []),
  ];
  return {
    name: `ranking-${quarter}-${kind}`,
    columns,
    rows: rows.map((r) => {
      const notes = [
        r.rank === null ? t("rankings.table.notRanked") : "",
        r.top ? t("rankings.table.top") : "",
        r.bottom ? t("rankings.table.bottom") : "",
        r.committed ? t("rankings.table.committed") : "",
        r.flag === "open" ? t("rankings.table.flagged") : "",
      ].filter(Boolean);
      return [
        { value: r.rank ?? "—" },
        { value: tieText(r.tieSize, kind, t) },
        { value: r.code },
        { value: r.name, href: r.canOpen ? link(r) : undefined },
        ...(kind === "cadres" ? [{ value: r.unitName ?? "" }, { value: r.cadreRank ? t(`ranks.${r.cadreRank}`) : "" }] : []),
        { value: roundScore(r.score) ?? "—" },
        ...indicators.map((i) => ({ value: roundValue(r.values[i]) ?? "—" })),
        ...(kind === "units"
          ? [
              {
                value: changeText(r.change),
                tone: (r.change ?? 0) > 0 ? ("ok" as const) : (r.change ?? 0) < 0 ? ("danger" as const) : undefined,
              },
              {
                value: notes.join(t("rankings.table.noteSeparator")),
                tone: r.flag === "open" || r.bottom ? ("danger" as const) : r.top ? ("ok" as const) : undefined,
              },
            ]
          : []),
      ];
    }),
  };
}

/** "并列（共 3 个）" for a shared rank, empty otherwise: the page, the print and the exports say the same. */
export function tieText(tieSize: number | null | undefined, kind: SubjectKind, t: T): string {
  return tieSize && tieSize > 1 ? t(kind === "units" ? "rankings.table.tiedUnits" : "rankings.table.tiedCadres", { count: tieSize }) : "";
}

function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The machine-readable columns: `peer_group,rank,id,name,score` then `<indicator>_value` in the model's order. */
export function machineHeader(kind: SubjectKind): string[] {
  return ["peer_group", "rank", "id", "name", "score", ...indicatorsOf(kind).map((i) => `${i}_value`)];
}

/** id is the unit code or staff number; not-ranked rows have empty rank and score. */
export function machineRows(kind: SubjectKind, rows: RowLike[]): (string | number | null)[][] {
  const indicators = indicatorsOf(kind);
  return rows.map((r) => [
    r.group,
    r.rank,
    r.code,
    r.name,
    r.score === null ? null : Number(r.score.toFixed(4)),
    ...indicators.map((i) => ((r.values[i] ?? null) === null ? null : Number(r.values[i]!.toFixed(6)))),
  ]);
}

/** The command line's CSV of the machine-readable columns (scores with 4 decimals, values with 6). */
export function machineCsv(kind: SubjectKind, rows: RowLike[]): string {
  const fixed = (v: string | number | null, c: number) => (typeof v === "number" && c >= 4 ? v.toFixed(c === 4 ? 4 : 6) : v);
  const lines = [machineHeader(kind), ...machineRows(kind, rows).map((l) => l.map(fixed))];
  return `${lines.map((l) => l.map((v) => csvField(v)).join(",")).join("\n")}\n`;
}

/** The page's table as CSV: BOM and CRLF, so that Excel on a Chinese Windows reads UTF-8. */
export function tableCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvField(c.label)), ...table.rows.map((row) => row.map((cell) => csvField(cell.value)))];
  return `\uFEFF${lines.map((l) => l.join(",")).join("\r\n")}\r\n`;
}
