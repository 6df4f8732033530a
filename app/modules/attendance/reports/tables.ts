import { formatHours } from "~/modules/classes/format";
import { shanghaiDateOf, shanghaiTimeOf } from "~/utils/dates";
import type { AttendanceStatus } from "~db/schema/attendance";
import { formatRate, rateTone } from "../format";

/**
 * The tables of the attendance pages, built once for the page and for its CSV/XLSX export, so the file
 * always says what the page says. Pure: the page builds them in the reader's language, the export on
 * the server with the same language and the same data.
 */
export type Tone = "ok" | "warn" | "danger";

export interface ReportCell {
  value: string | number;
  tone?: Tone;
  href?: string;
}

export interface ReportTable {
  /** Base of the export's file name (ASCII). */
  name: string;
  columns: { label: string; numeric?: boolean }[];
  rows: ReportCell[][];
}

type T = (key: string, params?: Record<string, unknown>) => string;

interface Counts {
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  absent: number;
  rate: number | null;
}

const countColumns = (t: T) => [
  { label: t("attendance.table.enrolled"), numeric: true },
  { label: t("attendance.table.present"), numeric: true },
  { label: t("attendance.table.late"), numeric: true },
  { label: t("attendance.table.excused"), numeric: true },
  { label: t("attendance.table.absent"), numeric: true },
  { label: t("attendance.table.rate"), numeric: true },
];

const countCells = (c: Counts, threshold: number): ReportCell[] => [
  { value: c.enrolled },
  { value: c.present },
  { value: c.late },
  { value: c.excused },
  { value: c.absent, tone: c.absent ? "danger" : undefined },
  { value: formatRate(c.rate), tone: rateTone(c.rate, threshold) },
];

const statusText = (t: T, status: AttendanceStatus | null) => t(`attendance.statuses.${status ?? "none"}`);
const statusTone = (status: AttendanceStatus | null): Tone | undefined =>
  status === "absent" ? "danger" : status === "late" ? "warn" : status === "present" ? "ok" : undefined;

export function sessionsTable(
  sessions: (Counts & { code: string; title: string; startsAt: string })[],
  t: T,
  threshold: number,
): ReportTable {
  return {
    name: "attendance-sessions",
    columns: [{ label: t("attendance.table.date") }, { label: t("attendance.table.session") }, ...countColumns(t)],
    rows: sessions.map((s) => [
      { value: shanghaiDateOf(s.startsAt) },
      { value: `${s.code} ${s.title}`, href: `/attendance/sessions/${encodeURIComponent(s.code)}` },
      ...countCells(s, threshold),
    ]),
  };
}

export function unitsTable(
  units: (Counts & { unitId: number; code: string; name: string; depth: number })[],
  t: T,
  threshold: number,
): ReportTable {
  return {
    name: "attendance-units",
    columns: [{ label: t("attendance.table.unit") }, ...countColumns(t)],
    rows: units.map((u) => [
      { value: `${"　".repeat(u.depth)}${u.name}`, href: `/attendance/units/${u.unitId}` },
      ...countCells(u, threshold),
    ]),
  };
}

export function unitCadresTable(
  unitCode: string,
  cadres: (Counts & {
    cadreId: number;
    staffNo: string;
    name: string;
    rank: string;
    unitName: string;
    earned: number;
    required: number;
    flagged: boolean;
  })[],
  t: T,
  threshold: number,
): ReportTable {
  return {
    name: `${unitCode}-attendance-cadres`,
    columns: [
      { label: t("attendance.table.staffNo") },
      { label: t("attendance.table.cadre") },
      { label: t("attendance.table.unit") },
      { label: t("attendance.table.rank") },
      ...countColumns(t),
      { label: t("attendance.table.earned"), numeric: true },
      { label: t("attendance.table.required"), numeric: true },
      { label: t("attendance.table.flagged") },
    ],
    rows: cadres.map((c) => [
      { value: c.staffNo },
      { value: c.name, href: `/attendance/cadres/${c.cadreId}` },
      { value: c.unitName },
      { value: t(`ranks.${c.rank}`) },
      ...countCells(c, threshold),
      { value: formatHours(c.earned), tone: c.earned >= c.required ? "ok" : undefined },
      { value: formatHours(c.required) },
      { value: c.flagged ? t("attendance.table.flagged") : "", tone: c.flagged ? "danger" : undefined },
    ]),
  };
}

export function missedTable(
  unitCode: string,
  missed: { cadreId: number; staffNo: string; name: string; unitName: string; code: string; title: string; startsAt: string }[],
  t: T,
): ReportTable {
  return {
    name: `${unitCode}-attendance-missed`,
    columns: [
      { label: t("attendance.table.date") },
      { label: t("attendance.table.session") },
      { label: t("attendance.table.staffNo") },
      { label: t("attendance.table.cadre") },
      { label: t("attendance.table.unit") },
    ],
    rows: missed.map((m) => [
      { value: shanghaiDateOf(m.startsAt) },
      { value: `${m.code} ${m.title}` },
      { value: m.staffNo },
      { value: m.name, href: `/attendance/cadres/${m.cadreId}` },
      { value: m.unitName },
    ]),
  };
}

export function historyTable(
  staffNo: string,
  rows: {
    code: string;
    title: string;
    startsAt: string;
    registeredVenue: string | null;
    seenVenue: string | null;
    status: AttendanceStatus | null;
    source: string | null;
    checkedInAt: string | null;
    earned: number;
  }[],
  t: T,
): ReportTable {
  return {
    name: `${staffNo}-attendance`,
    columns: [
      { label: t("attendance.table.date") },
      { label: t("attendance.table.session") },
      { label: t("attendance.table.venue") },
      { label: t("attendance.table.status") },
      { label: t("attendance.table.checkedInAt") },
      { label: t("attendance.table.source") },
      { label: t("attendance.table.hours"), numeric: true },
    ],
    rows: rows.map((r) => [
      { value: shanghaiDateOf(r.startsAt) },
      { value: `${r.code} ${r.title}` },
      { value: [r.registeredVenue ?? t("attendance.table.online"), r.seenVenue ? `→ ${r.seenVenue}` : ""].filter(Boolean).join(" ") },
      { value: statusText(t, r.status), tone: statusTone(r.status) },
      { value: r.checkedInAt ? shanghaiTimeOf(r.checkedInAt) : "" },
      { value: r.source ? t(`attendance.sources.${r.source}`) : "" },
      { value: formatHours(r.earned) },
    ]),
  };
}

export function sessionRecordsTable(
  code: string,
  rows: {
    cadreId: number;
    staffNo: string;
    name: string;
    unitName: string;
    rank: string;
    registeredVenue: string | null;
    seenVenue: string | null;
    status: AttendanceStatus | null;
    source: string | null;
    checkedInAt: string | null;
    minutesWatched: number | null;
    leaveApproved: boolean;
  }[],
  t: T,
  /** On the page, each name leads to the correction form for that cadre. */
  correctHref?: (cadreId: number) => string,
): ReportTable {
  return {
    name: `${code}-attendance`,
    columns: [
      { label: t("attendance.table.staffNo") },
      { label: t("attendance.table.cadre") },
      { label: t("attendance.table.unit") },
      { label: t("attendance.table.rank") },
      { label: t("attendance.table.venue") },
      { label: t("attendance.table.status") },
      { label: t("attendance.table.checkedInAt") },
      { label: t("attendance.table.source") },
      { label: t("attendance.import.fields.minutes"), numeric: true },
    ],
    rows: rows.map((r) => [
      { value: r.staffNo },
      { value: r.name, href: correctHref?.(r.cadreId) },
      { value: r.unitName },
      { value: t(`ranks.${r.rank}`) },
      {
        value: [
          r.registeredVenue ?? t("attendance.table.online"),
          r.seenVenue && r.seenVenue !== r.registeredVenue ? `→ ${r.seenVenue}` : "",
        ]
          .filter(Boolean)
          .join(" "),
      },
      {
        value: statusText(t, r.status) + (r.leaveApproved && r.status !== "excused" ? ` (${t("attendance.roster.onLeave")})` : ""),
        tone: statusTone(r.status),
      },
      { value: r.checkedInAt ? shanghaiTimeOf(r.checkedInAt) : "" },
      { value: r.source ? t(`attendance.sources.${r.source}`) : "" },
      { value: r.minutesWatched ?? "" },
    ]),
  };
}
