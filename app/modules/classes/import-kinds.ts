import type { ColumnSpec } from "~/modules/imports/columns";
import { COUNTS, type ImportKindDefinition, type ImportRowBase } from "~/modules/imports/kinds";
import { type Cell, cellText, parseRank } from "~/modules/imports/values";
import type { Rank } from "~db/schema/enums";
import { isSessionCode } from "./rules";

/**
 * The year's lecture plan (夜课堂课程计划) as a spreadsheet import: one row per session, found again by
 * its code, Chinese or English headers and values. Pure, so the upload page can show its columns; the
 * database side is in import.server.ts.
 */
export const IMPORT_STATUSES = ["draft", "published", "closed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface SessionImportRow extends ImportRowBase {
  code: string;
  title: string;
  /** undefined: the file has no lecturer column, so an existing session keeps its own. */
  lecturer?: string;
  /** Shanghai wall-clock times, "YYYY-MM-DD HH:mm". */
  start: string;
  end: string;
  hours: number;
  /** null: no rank rule (an optional session). */
  minRank: Rank | null;
  status: ImportStatus;
}

export const SESSION_COLUMNS = [
  { field: "code", zh: "编号", en: "code", aliases: ["课程编号", "期号", "期次"], required: true, example: "2026-05" },
  { field: "title", zh: "标题", en: "title", aliases: ["课程名称", "课程", "题目", "专题"], required: true },
  { field: "lecturer", zh: "主讲人", en: "lecturer", aliases: ["主讲", "授课人", "授课专家", "speaker"], required: false },
  {
    field: "start",
    zh: "开始",
    en: "start",
    aliases: ["开始时间", "上课时间", "starts_at"],
    required: true,
    hint: "日期和时间，如 2026-03-11 19:30",
    example: "2026-03-11 19:30",
  },
  {
    field: "end",
    zh: "结束",
    en: "end",
    aliases: ["结束时间", "ends_at"],
    required: true,
    hint: "日期和时间",
    example: "2026-03-11 21:00",
  },
  {
    field: "hours",
    zh: "学时",
    en: "hours",
    aliases: ["培训学时", "training_hours"],
    required: true,
    hint: "最多一位小数",
    example: "1.5",
  },
  {
    field: "minRank",
    zh: "最低职级",
    en: "min_rank",
    aliases: ["参加对象", "职级", "minrank"],
    required: false,
    choices: ["科员", "副科级", "正科级", "副县级", "正县级", "副厅级", "正厅级"],
    hint: "填了就是必须参加的对象：该职级及以上的在职干部",
    example: "副科级",
  },
  {
    field: "status",
    zh: "状态",
    en: "status",
    aliases: ["课程状态"],
    required: true,
    choices: ["草稿", "已发布", "已结束"],
    hint: "往期课程（已上过的）填“已结束”：按当天的职级和单位报名，全部记为缺席，再导入观看记录更正",
    example: "已发布",
  },
] as const satisfies readonly ColumnSpec[];

const STATUS_WORDS: Record<string, ImportStatus> = {
  草稿: "draft",
  发布: "published",
  已发布: "published",
  已结束: "closed",
  结束: "closed",
  draft: "draft",
  published: "published",
  publish: "published",
  closed: "closed",
};

export function parseImportStatus(text: string): ImportStatus | null {
  return STATUS_WORDS[text.trim().toLowerCase()] ?? null;
}

/**
 * A date and time as the plan writes it, read as Asia/Shanghai: "2026-07-08 19:30", "2026/7/8 19:30".
 * An XLSX date cell arrives as a Date whose UTC fields are the sheet's wall clock (how Excel stores
 * times), so those fields are read as they are.
 */
export function parseWallClock(cell: Cell): string | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return cell.toISOString().slice(0, 16).replace("T", " ");
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s+(\d{1,2})[:：](\d{2})$/.exec(cellText(cell));
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  const pad = (v: number) => String(v).padStart(2, "0");
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}`;
}

const MAX_TITLE = 200;
const MAX_LECTURER = 100;

export const sessionKind: ImportKindDefinition<SessionImportRow> = {
  kind: "sessions",
  labelKey: "classes.import.kind",
  helpKeys: ["classes.import.help", "classes.import.helpStatus"],
  confirmNoteKey: "classes.import.confirmNote",
  roles: ["org_admin"],
  columns: SESSION_COLUMNS,
  keyField: "code",
  counts: [COUNTS.create, COUNTS.update, COUNTS.unchanged],
  fieldLabels: {
    title: "classes.import.fields.title",
    lecturer: "classes.import.fields.lecturer",
    start: "classes.import.fields.start",
    end: "classes.import.fields.end",
    hours: "classes.import.fields.hours",
    minRank: "classes.import.fields.minRank",
    status: "classes.import.fields.status",
  },
  valueLabels: { minRank: "ranks", status: "classes.sessionStatuses" },
  keyLabelKey: "classes.import.keyLabel",
  nameLabelKey: "classes.import.nameLabel",
  templateFileName: "夜课堂课程计划模板.csv",

  normalise(r) {
    const code = r.code("code", 40);
    if (code && !isSessionCode(code)) r.problem("code", "classes.import.badCode", { value: code });
    if (code) r.unique("code", code, "classes.import.duplicateCode");
    const title = r.required("title", MAX_TITLE);
    const lecturer = r.has("lecturer") ? r.optional("lecturer", MAX_LECTURER) : undefined;
    const wall = (field: "start" | "end") => {
      if (!r.text(field)) {
        r.problem(field, "imports.errors.required");
        return null;
      }
      const value = parseWallClock(r.raw(field));
      if (!value) r.problem(field, "classes.import.badDateTime", { value: r.text(field) });
      return value;
    };
    const start = wall("start");
    const end = wall("end");
    if (start && end && end <= start) r.problem("end", "classes.import.endBeforeStart");
    const hoursText = r.text("hours");
    const hours = Number(hoursText);
    if (!hoursText) r.problem("hours", "imports.errors.required");
    else if (!Number.isFinite(hours) || hours < 0 || hours > 99 || Math.round(hours * 10) !== hours * 10) {
      r.problem("hours", "classes.import.badHours", { value: hoursText });
    }
    const rankText = r.text("minRank");
    const minRank = rankText ? parseRank(rankText) : null;
    if (rankText && !minRank) r.problem("minRank", "imports.errors.unknownRank", { value: rankText });
    const statusText = r.text("status");
    const status = statusText ? parseImportStatus(statusText) : null;
    if (!statusText) r.problem("status", "imports.errors.required");
    else if (!status) r.problem("status", "classes.import.badStatus", { value: statusText });
    return { code, title, ...(lecturer !== undefined ? { lecturer } : {}), start: start!, end: end!, hours, minRank, status: status! };
  },
};
