import {
  parseDegree,
  parseEducation,
  parseEducationDegree,
  parseEthnicity,
  parseGender,
  parsePoliticalStatus,
} from "~/modules/organization/roster";
import type { Rank } from "~db/schema/enums";
import {
  type Degree,
  EDUCATIONS,
  type EducationCode,
  type EthnicityCode,
  type Gender,
  POLITICAL_STATUSES,
  type PoliticalStatusCode,
} from "~db/schema/roster-codes";
import type { ColumnSpec } from "./columns";
import { COUNTS, type ImportKindDefinition } from "./kinds";
import { parseDate, parseEmail, parsePhone, parseRank, parseYesNo } from "./values";

/**
 * The cadre roster (干部花名册) as an import kind. A column the file does not have leaves that field as
 * it is: a roster without 邮箱 or 单位负责人 columns updates names, ranks and roster fields and leaves
 * addresses and heads alone. Pure; the database side is cadres.server.ts.
 */
export interface CadreRow {
  row: number;
  invalid?: true;
  staffNo: string;
  name: string;
  /** The unit's code; empty when only the unit's name was given (resolved by `plan`). */
  unitCode: string;
  /** The unit's name (单位 column), used when there is no code: it must name exactly one unit. */
  unitName?: string;
  rank: Rank;
  title: string;
  /** undefined: the file has no such column, so the field is left as it is. */
  email?: string | null;
  phone?: string | null;
  isHead?: boolean;
  /** The date the cadre joined the unit: opens the first membership, or dates a transfer. */
  since: string | null;
  gender?: Gender | null;
  ethnicity?: EthnicityCode | null;
  birthDate?: string | null;
  nativePlace?: string | null;
  politicalStatus?: PoliticalStatusCode | null;
  education?: EducationCode | null;
  degree?: Degree | null;
  workStartDate?: string | null;
  /** 任现职务时间 and 任现职级时间: when the current post and rank began. */
  postSince?: string | null;
  rankSince?: string | null;
}

/** The roster's personal fields: shown to the organization department and heads in scope, never logged. */
export const PERSONAL_FIELDS = [
  "gender",
  "ethnicity",
  "birthDate",
  "nativePlace",
  "politicalStatus",
  "education",
  "degree",
  "workStartDate",
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const RANK_CHOICES = ["科员", "副科级", "正科级", "副县级", "正县级", "副厅级", "正厅级"] as const;
const DATE_HINT = "日期，如 2024-03-01、2024/3/1 或 2024年3月1日";
const MONTH_HINT = "年月或日期，如 1975.03、1975年3月 或 1975-03-12";

export const CADRE_COLUMNS = [
  {
    field: "staffNo",
    zh: "工号",
    en: "staff_no",
    aliases: ["人员编号", "干部编号", "staffnumber", "staffid"],
    required: true,
    example: "A0001",
  },
  { field: "name", zh: "姓名", en: "name", aliases: [], required: true, example: "张三" },
  {
    field: "unitCode",
    zh: "单位编码",
    en: "unit_code",
    aliases: ["单位代码"],
    required: true,
    requiredUnless: "unitName",
    hint: "与单位导入一致的编码；没有编码时可只填“单位”列（单位全称）",
    example: "SF010",
  },
  {
    field: "unitName",
    zh: "单位",
    en: "unit",
    aliases: ["单位名称", "所在单位", "工作单位", "unitname"],
    required: false,
    hint: "单位全称；只有一个单位叫这个名称时才能代替单位编码",
    example: "市教育和体育局",
  },
  { field: "rank", zh: "职级", en: "rank", aliases: ["现职级", "职级层次"], required: true, choices: RANK_CHOICES, example: "副科级" },
  { field: "title", zh: "职务", en: "title", aliases: ["职务名称", "现任职务", "现职务", "post"], required: true, example: "副局长" },
  {
    field: "email",
    zh: "邮箱",
    en: "email",
    aliases: ["电子邮箱", "电子邮件", "邮件", "e-mail"],
    required: false,
    hint: "登录和通知用；留空则清除，没有此列则不改",
    example: "zhangsan@example.gov.cn",
  },
  {
    field: "phone",
    zh: "手机",
    en: "phone",
    aliases: ["手机号", "手机号码", "联系电话", "mobile"],
    required: false,
    example: "13800138000",
  },
  {
    field: "isHead",
    zh: "单位负责人",
    en: "is_head",
    aliases: ["是否单位负责人", "是否负责人", "负责人", "head"],
    required: false,
    choices: ["是", "否"],
    example: "否",
  },
  {
    field: "since",
    zh: "任职日期",
    en: "since",
    aliases: ["起始日期", "startdate", "start"],
    required: false,
    hint: `到本单位的日期，${DATE_HINT}`,
    example: "2021-03-01",
  },
  { field: "gender", zh: "性别", en: "gender", aliases: ["sex"], required: false, choices: ["男", "女"], example: "男" },
  {
    field: "ethnicity",
    zh: "民族",
    en: "ethnicity",
    aliases: ["nation", "nationality"],
    required: false,
    hint: "如 汉族、回族",
    example: "汉族",
  },
  {
    field: "birthDate",
    zh: "出生年月",
    en: "birth_date",
    aliases: ["出生日期", "出生年月日", "出生时间", "birth"],
    required: false,
    hint: MONTH_HINT,
    example: "1980.05",
  },
  { field: "nativePlace", zh: "籍贯", en: "native_place", aliases: ["nativeplace"], required: false, example: "山东青岛" },
  {
    field: "politicalStatus",
    zh: "政治面貌",
    en: "political_status",
    aliases: ["党派", "politicalstatus"],
    required: false,
    choices: POLITICAL_STATUSES.map((p) => p[1]),
    example: "中共党员",
  },
  {
    field: "education",
    zh: "学历",
    en: "education",
    aliases: ["最高学历", "文化程度"],
    required: false,
    choices: EDUCATIONS.map((e) => e[1]),
    example: "大学本科",
  },
  {
    field: "degree",
    zh: "学位",
    en: "degree",
    aliases: ["最高学位"],
    required: false,
    choices: ["博士", "硕士", "学士", "无"],
    example: "学士",
  },
  {
    field: "educationDegree",
    zh: "学历学位",
    en: "education_degree",
    aliases: ["全日制学历学位", "学历及学位"],
    required: false,
    hint: "学历和学位写在一格时用，如 “大学本科 管理学学士”；有学历、学位两列时不用",
    example: "",
  },
  {
    field: "workStartDate",
    zh: "参加工作时间",
    en: "work_start_date",
    aliases: ["参加工作日期", "工作时间"],
    required: false,
    hint: MONTH_HINT,
    example: "2002.07",
  },
  {
    field: "postSince",
    zh: "任现职务时间",
    en: "post_since",
    aliases: ["任现职时间", "现职务时间", "任职务时间"],
    required: false,
    hint: MONTH_HINT,
    example: "2021.03",
  },
  {
    field: "rankSince",
    zh: "任现职级时间",
    en: "rank_since",
    aliases: ["现职级时间", "任职级时间", "任同职级时间"],
    required: false,
    hint: MONTH_HINT,
    example: "2019.06",
  },
] as const satisfies readonly ColumnSpec[];

const LIMITS = { code: 50, name: 100, title: 100, email: 200, staffNo: 50, place: 50 } as const;

/** The cadre kind's column → i18n key of the change table's field names. */
const FIELD_LABELS = Object.fromEntries(
  [
    "staffNo",
    "name",
    "unitCode",
    "rank",
    "title",
    "email",
    "phone",
    "isHead",
    "since",
    "gender",
    "ethnicity",
    "birthDate",
    "nativePlace",
    "politicalStatus",
    "education",
    "degree",
    "workStartDate",
    "postSince",
    "rankSince",
  ].map((f) => [f, `imports.fields.${f}`]),
);

/** The roster: cadres upserted by staff number, moves between units recorded as transfers, unit heads. */
export const cadreKind: ImportKindDefinition<CadreRow> = {
  kind: "cadres",
  labelKey: "imports.kinds.cadres",
  helpKeys: ["imports.columnsHelp.cadres", "imports.columnsHelp.roster", "imports.reimportNote", "imports.accountsNote"],
  confirmNoteKey: "imports.accountsNote",
  roles: ["org_admin"],
  columns: CADRE_COLUMNS,
  keyField: "staffNo",
  counts: [COUNTS.create, COUNTS.update, COUNTS.transfer, COUNTS.unchanged],
  actionLabels: { transfer: "imports.actions.transfer" },
  fieldLabels: FIELD_LABELS,
  valueLabels: {
    rank: "ranks",
    gender: "roster.genders",
    ethnicity: "roster.ethnicities",
    politicalStatus: "roster.politicalStatuses",
    education: "roster.educations",
    degree: "roster.degrees",
  },
  templateFileName: "干部导入模板",

  normalise(r) {
    const staffNo = r.code("staffNo", LIMITS.staffNo);
    const name = r.required("name", LIMITS.name);
    const unitCode = r.code("unitCode", LIMITS.code, { required: !r.has("unitName") || !!r.text("unitCode") });
    const unitName = r.has("unitName") ? r.optional("unitName", LIMITS.name) : undefined;
    if (!unitCode && r.has("unitName") && !unitName) r.problem("unitName", "imports.errors.required");
    const rankText = r.text("rank");
    const rank = rankText ? parseRank(rankText) : null;
    if (!rankText) r.problem("rank", "imports.errors.required");
    else if (!rank) r.problem("rank", "imports.errors.unknownRank", { value: rankText });
    const title = r.optional("title", LIMITS.title);

    let email: string | null | undefined;
    if (r.has("email")) {
      const emailText = r.optional("email", LIMITS.email);
      email = emailText ? parseEmail(emailText) : null;
      if (emailText && !email) r.problem("email", "imports.errors.email", { value: emailText });
    }

    let phone: string | null | undefined;
    if (r.has("phone")) {
      const phoneText = r.text("phone");
      phone = phoneText ? parsePhone(phoneText) : null;
      if (phoneText && !phone) r.problem("phone", "imports.errors.phone", { value: phoneText });
    }

    let isHead: boolean | undefined;
    if (r.has("isHead")) {
      const parsed = parseYesNo(r.raw("isHead"));
      if (parsed === null) r.problem("isHead", "imports.errors.yesNo", { value: r.text("isHead") });
      else isHead = parsed;
    }

    const date = (field: "since" | "birthDate" | "workStartDate" | "postSince" | "rankSince", month: boolean) => {
      if (!r.has(field)) return undefined;
      if (!r.text(field)) return null;
      const value = parseDate(r.raw(field), { month });
      if (!value) r.problem(field, month ? "imports.errors.month" : "imports.errors.date", { value: r.text(field) });
      return value;
    };
    const since = date("since", false) ?? null;
    const coded = <T>(field: string, parse: (text: string) => T | null, messageKey: string): T | null | undefined => {
      if (!r.has(field)) return undefined;
      const text = r.text(field);
      if (!text) return null;
      const value = parse(text);
      if (value === null) r.problem(field, messageKey, { value: text });
      return value;
    };
    let education = coded("education", parseEducation, "imports.errors.education");
    let degree: Degree | null | undefined;
    if (r.has("degree")) {
      const text = r.text("degree");
      const parsed = text ? parseDegree(text) : null;
      if (parsed === undefined) r.problem("degree", "imports.errors.degree", { value: text });
      degree = parsed ?? null;
    }
    if (r.has("educationDegree") && r.text("educationDegree")) {
      const both = parseEducationDegree(r.text("educationDegree"));
      if (!both) r.problem("educationDegree", "imports.errors.educationDegree", { value: r.text("educationDegree") });
      else {
        if (education === undefined || education === null) education = both.education;
        if (degree === undefined || degree === null) degree = both.degree;
      }
    } else if (r.has("educationDegree") && education === undefined) {
      education = null;
      degree ??= null;
    }

    if (staffNo) r.unique("staffNo", staffNo, "imports.errors.duplicateStaffNo");
    if (email) r.unique("email", email, "imports.errors.duplicateEmail");
    // One head per unit: the scope is the unit, the value its code (or name).
    const unitKey = unitCode || (unitName ? `name:${unitName}` : "");
    if (isHead && unitKey) r.unique("isHead", unitKey, "imports.errors.twoHeads", "headOfUnit");

    // Fields whose column the file lacks stay out of the row (undefined: leave as it is).
    const row: Omit<CadreRow, "row"> = { staffNo, name, unitCode, rank: rank!, title, since };
    if (unitName !== undefined) row.unitName = unitName;
    if (email !== undefined) row.email = email;
    if (phone !== undefined) row.phone = phone;
    if (isHead !== undefined) row.isHead = isHead;
    const gender = coded("gender", parseGender, "imports.errors.gender");
    if (gender !== undefined) row.gender = gender;
    const ethnicity = coded("ethnicity", parseEthnicity, "imports.errors.ethnicity");
    if (ethnicity !== undefined) row.ethnicity = ethnicity;
    const birthDate = date("birthDate", true);
    if (birthDate !== undefined) row.birthDate = birthDate;
    if (r.has("nativePlace")) row.nativePlace = r.optional("nativePlace", LIMITS.place) || null;
    const politicalStatus = coded("politicalStatus", parsePoliticalStatus, "imports.errors.politicalStatus");
    if (politicalStatus !== undefined) row.politicalStatus = politicalStatus;
    if (education !== undefined) row.education = education;
    if (degree !== undefined) row.degree = degree;
    const workStartDate = date("workStartDate", true);
    if (workStartDate !== undefined) row.workStartDate = workStartDate;
    const postSince = date("postSince", true);
    if (postSince !== undefined) row.postSince = postSince;
    const rankSince = date("rankSince", true);
    if (rankSince !== undefined) row.rankSince = rankSince;
    return row;
  },
};
