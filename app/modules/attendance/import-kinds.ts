import type { ColumnSpec } from "~/modules/imports/columns";
import type { ImportKindDefinition, ImportRowBase } from "~/modules/imports/kinds";
import { type Cell, parseYesNo } from "~/modules/imports/values";
import { parseShanghaiLocal } from "~/utils/dates";

/**
 * The live platform's viewing log (线上收看记录) as an import kind: staff number, join and leave times or
 * minutes watched, several rows per cadre. Pure (row checks); the database side is import.server.ts.
 */
export interface ViewingLogRow extends ImportRowBase {
  staffNo: string;
  /** Shanghai wall-clock "YYYY-MM-DD HH:mm:ss", or "HH:mm:ss" (the session's date), or null. */
  joinAt: string | null;
  leaveAt: string | null;
  minutes: number | null;
  /** 请假: approved leave for the session (the department's own record, when it brings in past sessions). */
  excused?: boolean;
}

export const VIEWING_LOG_COLUMNS = [
  { field: "staffNo", zh: "工号", en: "staff_no", aliases: ["人员编号", "staffid", "staffnumber", "用户工号"], required: true },
  {
    field: "joinAt",
    zh: "进入时间",
    en: "join",
    aliases: ["加入时间", "入会时间", "开始观看时间", "jointime", "join_at"],
    required: false,
  },
  { field: "leaveAt", zh: "离开时间", en: "leave", aliases: ["退出时间", "结束观看时间", "leavetime", "leave_at"], required: false },
  { field: "minutes", zh: "观看分钟", en: "minutes", aliases: ["观看时长", "观看时长分钟", "时长", "minuteswatched"], required: false },
  {
    field: "excused",
    zh: "请假",
    en: "excused",
    aliases: ["是否请假", "准假"],
    required: false,
    choices: ["是", "否"],
    hint: "是：这次课程经批准请假（补录往期课程时用）",
  },
] as const satisfies readonly ColumnSpec[];

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A time cell as Shanghai wall-clock text. XLSX date cells carry the wall clock in their UTC fields
 * (Excel has no time zones); a time-only cell is a date on 1899-12-30. Text takes 2026-11-25 19:31,
 * 2026/11/25 19:31:05, 2026年11月25日 19:31 or 19:31.
 */
export function parseLogTime(cell: Cell): string | null | undefined {
  if (cell === null || cell === "") return null;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return undefined;
    const time = `${pad(cell.getUTCHours())}:${pad(cell.getUTCMinutes())}:${pad(cell.getUTCSeconds())}`;
    if (cell.getUTCFullYear() < 1901) return time;
    return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())} ${time}`;
  }
  const text = String(cell).trim();
  if (!text) return null;
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  const timeOnly = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (full) {
    const [y, mo, d, h, mi, s] = [full[1], full[2], full[3], full[4], full[5], full[6] ?? "0"].map(Number) as number[];
    const check = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
    if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return undefined;
    return `${y}-${pad(mo!)}-${pad(d!)} ${pad(h!)}:${pad(mi!)}:${pad(s!)}`;
  }
  if (timeOnly) {
    const [h, mi, s] = [timeOnly[1], timeOnly[2], timeOnly[3] ?? "0"].map(Number) as number[];
    if (h! > 23 || mi! > 59 || s! > 59) return undefined;
    return `${pad(h!)}:${pad(mi!)}:${pad(s!)}`;
  }
  return undefined;
}

/** A log time as an instant, the time-only ones on the session's Shanghai date. */
export function logInstant(value: string | null, sessionDate: string): Date | null {
  if (!value) return null;
  const wall = value.length <= 8 ? `${sessionDate} ${value}` : value;
  return parseShanghaiLocal(wall);
}

export const viewingLogKind: ImportKindDefinition<ViewingLogRow> = {
  kind: "attendance",
  labelKey: "attendance.import.kind",
  helpKeys: ["attendance.import.help", "attendance.import.helpRules"],
  roles: ["org_admin", "venue_staff"],
  columns: VIEWING_LOG_COLUMNS,
  keyField: "staffNo",
  params: [{ name: "session", labelKey: "attendance.import.session", hintKey: "attendance.import.sessionHint", required: true }],
  counts: [
    { key: "present", labelKey: "attendance.import.counts.present" },
    { key: "late", labelKey: "attendance.import.counts.late" },
    { key: "excused", labelKey: "attendance.import.counts.excused" },
    { key: "absent", labelKey: "attendance.import.counts.absent" },
    { key: "unchanged", labelKey: "attendance.import.counts.unchanged" },
  ],
  actionLabels: {
    present: "attendance.import.actions.present",
    late: "attendance.import.actions.late",
    excused: "attendance.import.actions.excused",
    absent: "attendance.import.actions.absent",
  },
  fieldLabels: {
    minutes: "attendance.import.fields.minutes",
    joinAt: "attendance.import.fields.joinAt",
    status: "attendance.import.fields.status",
  },
  valueLabels: { status: "attendance.statuses" },
  templateFileName: "线上收看记录模板.csv",

  normalise(r) {
    const staffNo = r.code("staffNo", 50);
    const joinAt = parseLogTime(r.raw("joinAt"));
    const leaveAt = parseLogTime(r.raw("leaveAt"));
    if (joinAt === undefined) r.problem("joinAt", "attendance.import.errors.time", { value: r.text("joinAt") });
    if (leaveAt === undefined) r.problem("leaveAt", "attendance.import.errors.time", { value: r.text("leaveAt") });
    const minutesText = r.text("minutes");
    let minutes: number | null = null;
    if (minutesText) {
      minutes = Number(minutesText.replace(/分钟?$/, ""));
      if (!Number.isFinite(minutes) || minutes < 0 || minutes > 1440) {
        r.problem("minutes", "attendance.import.errors.minutes");
        minutes = null;
      }
    }
    if (joinAt && leaveAt && joinAt.length === leaveAt.length && leaveAt < joinAt)
      r.problem("leaveAt", "attendance.import.errors.leaveBeforeJoin");
    let excused: boolean | undefined;
    if (r.has("excused")) {
      const parsed = parseYesNo(r.raw("excused"));
      if (parsed === null) r.problem("excused", "imports.errors.yesNo", { value: r.text("excused") });
      else excused = parsed;
    }
    // Either the interval (join and leave) or the minutes: a row with neither says nothing about watching,
    // unless it records leave.
    if (!excused && joinAt !== undefined && leaveAt !== undefined && !(joinAt && leaveAt) && !minutesText)
      r.problem(r.has("minutes") ? "minutes" : "leaveAt", "attendance.import.errors.noDuration");
    return { staffNo, joinAt: joinAt ?? null, leaveAt: leaveAt ?? null, minutes, ...(excused !== undefined ? { excused } : {}) };
  },
};
