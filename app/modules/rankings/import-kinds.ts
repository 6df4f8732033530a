import type { ColumnSpec } from "~/modules/imports/columns";
import { COUNTS, type ImportKindDefinition, type ImportRowBase } from "~/modules/imports/kinds";
import { parseDate } from "~/modules/imports/values";
import { ASSESSMENT_GRADES, type AssessmentGrade } from "~db/schema/rankings";
import { normaliseQuarter } from "./quarter";

/**
 * Two spreadsheets the organization department keeps, as import kinds with the organization
 * import's rules (dry run, every bad row by row and column, nothing imported until clean, the same
 * file twice changes nothing): 平时考核 grades, and public satisfaction counts per unit and day. Pure,
 * so the upload page can show the columns; the database side is in imports.server.ts.
 */

export interface AssessmentImportRow extends ImportRowBase {
  staffNo: string;
  quarter: string;
  grade: AssessmentGrade;
  /** undefined: no such column, so an existing comment stays. */
  comment?: string;
}

export interface RatingImportRow extends ImportRowBase {
  unitCode: string;
  /** The unit's name, used when there is no code: it must name exactly one unit. */
  unitName?: string;
  date: string;
  satisfied: number;
  unsatisfied: number;
}

export const ASSESSMENT_COLUMNS = [
  { field: "staffNo", zh: "工号", en: "staff_no", aliases: ["人员编号", "干部工号", "staffnumber"], required: true },
  {
    field: "quarter",
    zh: "季度",
    en: "quarter",
    aliases: ["考核季度", "period"],
    required: true,
    hint: "如 2026Q1 或 2026年第一季度",
    example: "2026Q1",
  },
  {
    field: "grade",
    zh: "等次",
    en: "grade",
    aliases: ["考核等次", "考核结果", "等级", "result"],
    required: true,
    choices: ["好", "较好", "一般", "较差"],
    example: "好",
  },
  { field: "comment", zh: "评语", en: "comment", aliases: ["考核评语", "备注", "remarks"], required: false },
] as const satisfies readonly ColumnSpec[];

export const RATING_COLUMNS = [
  { field: "unitCode", zh: "单位编码", en: "unit_code", aliases: ["单位代码", "编码", "code"], required: true, requiredUnless: "unitName" },
  {
    field: "unitName",
    zh: "单位",
    en: "unit",
    aliases: ["单位名称", "unitname"],
    required: false,
    hint: "单位全称；只有一个单位叫这个名称时才能代替单位编码",
  },
  { field: "date", zh: "日期", en: "date", aliases: ["评价日期", "day"], required: true, example: "2026-03-02" },
  { field: "satisfied", zh: "满意", en: "satisfied", aliases: ["满意数", "满意票数"], required: true },
  { field: "unsatisfied", zh: "不满意", en: "unsatisfied", aliases: ["不满意数", "不满意票数", "dissatisfied"], required: true },
] as const satisfies readonly ColumnSpec[];

const GRADE_WORDS: Record<string, AssessmentGrade> = {
  好: "good",
  优秀: "good",
  较好: "fairly_good",
  良好: "fairly_good",
  一般: "average",
  称职: "average",
  较差: "poor",
  差: "poor",
  fairly_good: "fairly_good",
  "fairly good": "fairly_good",
};

export function parseGrade(text: string): AssessmentGrade | null {
  const key = text.trim().toLowerCase();
  if ((ASSESSMENT_GRADES as readonly string[]).includes(key)) return key as AssessmentGrade;
  return GRADE_WORDS[key] ?? GRADE_WORDS[key.replace(/[\s-]+/g, "_")] ?? null;
}

/** 2026Q3, 2026 Q3, 2026-Q3, 2026年第三季度, 2026年3季度. */
export function parseQuarterCell(text: string): string | null {
  const plain = normaliseQuarter(text.replace(/[-_]/g, ""));
  if (plain) return plain;
  const m = /^(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度?$/.exec(text.trim());
  if (!m) return null;
  const q = "一二三四".includes(m[2]!) ? "一二三四".indexOf(m[2]!) + 1 : Number(m[2]);
  return normaliseQuarter(`${m[1]}Q${q}`);
}

/** A whole number of ratings: 0 or more, below a million a day. */
function count(text: string): number | null {
  if (!/^\d{1,6}$/.test(text.trim())) return null;
  return Number(text.trim());
}

export const assessmentKind: ImportKindDefinition<AssessmentImportRow> = {
  kind: "assessments",
  labelKey: "rankings.import.assessments.kind",
  helpKeys: ["rankings.import.assessments.help", "rankings.import.reimportNote"],
  roles: ["org_admin"],
  columns: ASSESSMENT_COLUMNS,
  keyField: "staffNo",
  counts: [COUNTS.create, COUNTS.update, COUNTS.unchanged],
  fieldLabels: { quarter: "rankings.fields.quarter", grade: "rankings.fields.grade", comment: "rankings.fields.comment" },
  valueLabels: { grade: "rankings.grades" },
  nameLabelKey: "rankings.import.assessments.nameColumn",
  templateFileName: "平时考核导入模板.csv",

  normalise(r) {
    const staffNo = r.code("staffNo", 50);
    const quarterText = r.text("quarter");
    const quarter = quarterText ? parseQuarterCell(quarterText) : null;
    if (!quarterText) r.problem("quarter", "imports.errors.required");
    else if (!quarter) r.problem("quarter", "rankings.import.badQuarter", { value: quarterText });
    const gradeText = r.text("grade");
    const grade = gradeText ? parseGrade(gradeText) : null;
    if (!gradeText) r.problem("grade", "imports.errors.required");
    else if (!grade) r.problem("grade", "rankings.import.badGrade", { value: gradeText });
    const comment = r.has("comment") ? r.optional("comment", 500) : undefined;
    if (staffNo && quarter) r.unique("staffNo", `${staffNo.toLowerCase()} · ${quarter}`, "rankings.import.duplicateRow", "staffQuarter");
    return { staffNo, quarter: quarter!, grade: grade!, ...(comment !== undefined ? { comment } : {}) };
  },
};

export const ratingKind: ImportKindDefinition<RatingImportRow> = {
  kind: "ratings",
  labelKey: "rankings.import.ratings.kind",
  helpKeys: ["rankings.import.ratings.help", "rankings.import.reimportNote"],
  roles: ["org_admin"],
  columns: RATING_COLUMNS,
  keyField: "unitCode",
  counts: [COUNTS.create, COUNTS.update, COUNTS.unchanged],
  fieldLabels: { date: "rankings.fields.date", satisfied: "rankings.fields.satisfied", unsatisfied: "rankings.fields.unsatisfied" },
  nameLabelKey: "rankings.import.ratings.nameColumn",
  templateFileName: "群众满意度导入模板.csv",

  normalise(r) {
    const unitCode = r.code("unitCode", 50, { required: !r.has("unitName") || !!r.text("unitCode") });
    const unitName = r.has("unitName") ? r.optional("unitName", 100) : undefined;
    if (!unitCode && r.has("unitName") && !unitName) r.problem("unitName", "imports.errors.required");
    const dateText = r.text("date");
    const date = dateText ? parseDate(r.raw("date")) : null;
    if (!dateText) r.problem("date", "imports.errors.required");
    else if (!date) r.problem("date", "imports.errors.date", { value: dateText });
    const number = (field: "satisfied" | "unsatisfied") => {
      const text = r.text(field);
      const value = text ? count(text) : null;
      if (!text) r.problem(field, "imports.errors.required");
      else if (value === null) r.problem(field, "rankings.import.badCount", { value: text });
      return value ?? 0;
    };
    const satisfied = number("satisfied");
    const unsatisfied = number("unsatisfied");
    const unitKey = unitCode ? unitCode.toLowerCase() : unitName ? `name:${unitName}` : "";
    if (unitKey && date) r.unique(unitCode ? "unitCode" : "unitName", `${unitKey} · ${date}`, "rankings.import.duplicateRow", "unitDate");
    return { unitCode, ...(unitName !== undefined ? { unitName } : {}), date: date!, satisfied, unsatisfied };
  },
};
