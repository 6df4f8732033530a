import { FRONTLINE_CATEGORIES } from "~db/schema/frontline";
import type { FrontlineOverview, UnitReport } from "./reports.server";

/**
 * The tables of the unit and overview pages, built once for the page and for its CSV/XLSX export, so
 * the file always says what the page says. Pure: the page builds them with the reader's language, the
 * export with the same language on the server.
 */
export type Tone = "ok" | "warn" | "danger";

export interface ReportCell {
  value: string | number;
  tone?: Tone;
  href?: string;
}

export interface ReportTable {
  /** Base of the export's file name. */
  name: string;
  columns: { label: string; numeric?: boolean }[];
  rows: ReportCell[][];
}

type T = (key: string, params?: Record<string, unknown>) => string;

const monthLabel = (t: T, month: string, ongoing: boolean) => (ongoing ? t("frontline.reports.ongoingMonth", { month }) : month);

export function unitMonthsTable(report: Pick<UnitReport, "unit" | "months">, t: T): ReportTable {
  return {
    name: `${report.unit.code}-frontline-months`,
    columns: [
      { label: t("frontline.reports.month") },
      { label: t("frontline.reports.days"), numeric: true },
      { label: t("frontline.reports.activeCadres"), numeric: true },
      { label: t("frontline.reports.quotaHolders"), numeric: true },
      { label: t("frontline.reports.required"), numeric: true },
      { label: t("frontline.reports.shortCadres"), numeric: true },
      { label: t("frontline.reports.shortfallDays"), numeric: true },
    ],
    rows: report.months.map((m) => {
      const tone: Tone | undefined = m.shortCadres ? (m.ongoing ? "warn" : "danger") : undefined;
      return [
        { value: monthLabel(t, m.month, m.ongoing) },
        { value: m.days },
        { value: m.activeCadres },
        { value: m.quotaHolders },
        { value: m.required },
        { value: m.shortCadres, tone },
        { value: m.shortfallDays, tone },
      ];
    }),
  };
}

/** One row per cadre, one column per month: days credited, red where a finished month fell short. */
export function unitCadresTable(report: Pick<UnitReport, "unit" | "months" | "cadres">, t: T): ReportTable {
  const months = report.months;
  return {
    name: `${report.unit.code}-frontline-cadres`,
    columns: [
      { label: t("frontline.reports.staffNo") },
      { label: t("frontline.reports.name") },
      { label: t("frontline.reports.unit") },
      { label: t("frontline.reports.rank") },
      { label: t("frontline.reports.quota"), numeric: true },
      ...months.map((m) => ({ label: m.month, numeric: true })),
      { label: t("frontline.reports.total"), numeric: true },
      { label: t("frontline.reports.shortMonths"), numeric: true },
      { label: t("frontline.reports.shortfallDays"), numeric: true },
    ],
    rows: report.cadres.map((c) => {
      const finishedShort = months.filter((m) => !m.ongoing && c.shortfall[m.month]);
      return [
        { value: c.staffNo },
        { value: c.name, href: `/frontline/cadres/${c.cadreId}` },
        { value: c.unitName },
        { value: t(`ranks.${c.rank}`) },
        { value: c.quota || "—" },
        ...months.map((m) => ({
          value: c.days[m.month] ?? 0,
          tone: c.shortfall[m.month] ? ((m.ongoing ? "warn" : "danger") as Tone) : undefined,
        })),
        { value: c.total },
        { value: finishedShort.length, tone: finishedShort.length ? ("danger" as Tone) : undefined },
        { value: finishedShort.reduce((n, m) => n + c.shortfall[m.month]!, 0) },
      ];
    }),
  };
}

export function overviewUnitsTable(overview: Pick<FrontlineOverview, "units">, t: T): ReportTable {
  return {
    name: "frontline-overview-units",
    columns: [
      { label: t("frontline.reports.unitCode") },
      { label: t("frontline.reports.unit") },
      { label: t("frontline.reports.kind") },
      { label: t("frontline.reports.days"), numeric: true },
      { label: t("frontline.reports.activeCadres"), numeric: true },
      ...FRONTLINE_CATEGORIES.map((c) => ({ label: t(`frontline.categories.${c}`), numeric: true })),
      { label: t("frontline.reports.shortMonths"), numeric: true },
      { label: t("frontline.reports.shortfallDays"), numeric: true },
      { label: t("frontline.reports.pending"), numeric: true },
    ],
    rows: overview.units.map((u) => [
      { value: u.code },
      { value: u.name, href: `/frontline/units/${u.unitId}` },
      { value: t(`unitKinds.${u.kind}`) },
      { value: u.days },
      { value: u.cadres },
      ...FRONTLINE_CATEGORIES.map((c) => ({ value: u.byCategory[c] })),
      { value: u.shortMonths, tone: u.shortMonths ? ("danger" as Tone) : undefined },
      { value: u.shortfallDays },
      { value: u.pending, tone: u.pending ? ("warn" as Tone) : undefined },
    ]),
  };
}

export function overviewMonthsTable(overview: Pick<FrontlineOverview, "months">, t: T): ReportTable {
  return {
    name: "frontline-overview-months",
    columns: [
      { label: t("frontline.reports.month") },
      { label: t("frontline.reports.days"), numeric: true },
      { label: t("frontline.reports.required"), numeric: true },
      { label: t("frontline.reports.shortCadres"), numeric: true },
      { label: t("frontline.reports.shortfallDays"), numeric: true },
    ],
    rows: overview.months.map((m) => {
      const tone: Tone | undefined = m.shortCadres ? (m.ongoing ? "warn" : "danger") : undefined;
      return [
        { value: monthLabel(t, m.month, m.ongoing) },
        { value: m.days },
        { value: m.required },
        { value: m.shortCadres, tone },
        { value: m.shortfallDays, tone },
      ];
    }),
  };
}

/** The tables a page offers for export, by the name in the export URL. */
export const UNIT_TABLES = { months: unitMonthsTable, cadres: unitCadresTable } as const;
export const OVERVIEW_TABLES = { units: overviewUnitsTable, months: overviewMonthsTable } as const;
