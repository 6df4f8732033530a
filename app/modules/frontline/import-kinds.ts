import type { ColumnSpec } from "~/modules/imports/columns";
import { COUNTS, type ImportKindDefinition, type ImportRowBase } from "~/modules/imports/kinds";
import { parseDate } from "~/modules/imports/values";
import {
  FRONTLINE_CATEGORIES,
  FRONTLINE_STATUSES,
  type FrontlineCategory,
  type FrontlineStatus,
  MAX_RECORD_DAYS,
} from "~db/schema/frontline";
import { intervalDays } from "./days";

/**
 * The frontline ledger (一线经历台账) as a spreadsheet import: one row per stretch of work, Chinese or
 * English headers and values. Pure, so the upload page can show its columns; the database side is in
 * import.server.ts.
 */
export interface FrontlineImportRow extends ImportRowBase {
  staffNo: string;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  summary: string;
  /** undefined: the file has no such column, so an existing record keeps its own. */
  outcome?: string;
  status: FrontlineStatus;
}

export const FRONTLINE_COLUMNS = [
  { field: "staffNo", zh: "工号", en: "staff_no", aliases: ["人员编号", "干部工号", "staffnumber", "staffid"], required: true },
  {
    field: "category",
    zh: "类别",
    en: "category",
    aliases: ["一线类别", "经历类别", "工作类别", "type"],
    required: true,
    choices: ["督查", "维稳", "信访", "联扶", "招商引资", "重大项目建设", "下沉服务", "蹲点调研"],
    example: "信访",
  },
  { field: "place", zh: "地点或项目", en: "place", aliases: ["地点", "项目", "地点/项目", "地点项目", "project"], required: true },
  { field: "startDate", zh: "开始日期", en: "start", aliases: ["起始日期", "开始", "startdate"], required: true, example: "2026-03-02" },
  { field: "endDate", zh: "结束日期", en: "end", aliases: ["截止日期", "结束", "enddate"], required: true, example: "2026-03-06" },
  { field: "summary", zh: "工作内容", en: "summary", aliases: ["主要工作", "内容"], required: true },
  { field: "outcome", zh: "解决的问题", en: "outcome", aliases: ["解决问题", "成效", "problemsolved"], required: false },
  {
    field: "status",
    zh: "状态",
    en: "status",
    aliases: ["核实状态"],
    required: true,
    choices: ["草稿", "待核实", "已核实", "已退回"],
    example: "已核实",
  },
] as const satisfies readonly ColumnSpec[];

const CATEGORY_WORDS: Record<string, FrontlineCategory> = {
  督查: "supervision",
  督察: "supervision",
  维稳: "stability",
  信访: "petition",
  联扶: "pairing",
  帮扶: "pairing",
  招商引资: "investment",
  招商: "investment",
  重大项目建设: "major_project",
  重大项目: "major_project",
  项目建设: "major_project",
  下沉服务: "sinking_service",
  下沉: "sinking_service",
  蹲点调研: "field_research",
  蹲点: "field_research",
  调研: "field_research",
  petitions: "petition",
  investment_promotion: "investment",
  major_projects: "major_project",
  pairing_assistance: "pairing",
};

const STATUS_WORDS: Record<string, FrontlineStatus> = {
  草稿: "draft",
  待核实: "submitted",
  已提交: "submitted",
  待审核: "submitted",
  已核实: "verified",
  核实: "verified",
  已退回: "returned",
  退回: "returned",
  pending: "submitted",
};

const key = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

export function parseCategory(text: string): FrontlineCategory | null {
  const k = key(text);
  if ((FRONTLINE_CATEGORIES as readonly string[]).includes(k)) return k as FrontlineCategory;
  return CATEGORY_WORDS[k] ?? null;
}

export function parseStatus(text: string): FrontlineStatus | null {
  const k = key(text);
  if ((FRONTLINE_STATUSES as readonly string[]).includes(k)) return k as FrontlineStatus;
  return STATUS_WORDS[k] ?? null;
}

const LIMITS = { staffNo: 50, place: 200, summary: 2000, outcome: 2000 } as const;

export const frontlineKind: ImportKindDefinition<FrontlineImportRow> = {
  kind: "frontline",
  labelKey: "frontline.import.kind",
  helpKeys: ["frontline.import.columnsHelp", "frontline.import.valuesHelp", "frontline.import.reimportNote"],
  confirmNoteKey: "frontline.import.confirmNote",
  roles: ["org_admin"],
  columns: FRONTLINE_COLUMNS,
  keyField: "staffNo",
  counts: [COUNTS.create, COUNTS.update, COUNTS.unchanged],
  fieldLabels: {
    staffNo: "frontline.reports.staffNo",
    category: "frontline.fields.category",
    place: "frontline.fields.place",
    startDate: "frontline.fields.startDate",
    endDate: "frontline.fields.endDate",
    summary: "frontline.fields.summary",
    outcome: "frontline.fields.outcome",
    status: "frontline.import.statusField",
  },
  valueLabels: { category: "frontline.categories", status: "frontline.statuses" },
  nameLabelKey: "frontline.import.recordColumn",
  templateFileName: "一线经历台账导入模板.csv",

  normalise(r) {
    const staffNo = r.code("staffNo", LIMITS.staffNo);
    const categoryText = r.text("category");
    const category = categoryText ? parseCategory(categoryText) : null;
    if (!categoryText) r.problem("category", "imports.errors.required");
    else if (!category) r.problem("category", "frontline.import.unknownCategory", { value: categoryText });
    const place = r.required("place", LIMITS.place).replace(/\s+/g, " ");
    const date = (field: "startDate" | "endDate") => {
      const text = r.text(field);
      if (!text) {
        r.problem(field, "imports.errors.required");
        return null;
      }
      const value = parseDate(r.raw(field));
      if (!value) r.problem(field, "imports.errors.date", { value: text });
      return value;
    };
    const startDate = date("startDate");
    const endDate = date("endDate");
    if (startDate && endDate) {
      if (endDate < startDate) r.problem("endDate", "frontline.validation.endBeforeStart");
      else if (intervalDays({ start: startDate, end: endDate }) > MAX_RECORD_DAYS) r.problem("endDate", "frontline.validation.tooLong");
    }
    const summary = r.required("summary", LIMITS.summary);
    const outcome = r.has("outcome") ? r.optional("outcome", LIMITS.outcome) : undefined;
    const statusText = r.text("status");
    const status = statusText ? parseStatus(statusText) : null;
    if (!statusText) r.problem("status", "imports.errors.required");
    else if (!status) r.problem("status", "frontline.import.unknownStatus", { value: statusText });
    if (staffNo && category && startDate && endDate && place) {
      // The natural key: the same record twice in one file would be imported once and silently merged.
      r.unique("place", [staffNo, category, startDate, endDate, place].join(" · "), "frontline.import.duplicateRow", "naturalKey");
    }
    return {
      staffNo,
      category: category!,
      place,
      startDate: startDate!,
      endDate: endDate!,
      summary,
      ...(outcome !== undefined ? { outcome } : {}),
      status: status!,
    };
  },
};
