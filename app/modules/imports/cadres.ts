import type { Rank } from "~db/schema/enums";
import type { ColumnSpec } from "./columns";
import { COUNTS, type ImportKindDefinition } from "./kinds";
import { parseDate, parseEmail, parsePhone, parseRank, parseYesNo } from "./values";

/** A cadre row after its cells were checked and normalised; what a batch stores and applies. */
export interface CadreRow {
  row: number;
  staffNo: string;
  name: string;
  unitCode: string;
  rank: Rank;
  title: string;
  email: string | null;
  /** undefined: the file has no phone column, so the phone is left as it is. */
  phone?: string | null;
  isHead: boolean;
  /** The date the cadre joined the unit: opens the first membership, or dates a transfer. */
  since: string | null;
}

export const CADRE_COLUMNS = [
  { field: "staffNo", zh: "工号", en: "staff_no", aliases: ["人员编号", "staffnumber", "staffid"], required: true },
  { field: "name", zh: "姓名", en: "name", aliases: [], required: true },
  { field: "unitCode", zh: "单位编码", en: "unit_code", aliases: ["单位代码"], required: true },
  { field: "rank", zh: "职级", en: "rank", aliases: [], required: true },
  { field: "title", zh: "职务", en: "title", aliases: ["职务名称", "post"], required: true },
  { field: "email", zh: "邮箱", en: "email", aliases: ["电子邮箱", "电子邮件", "邮件", "e-mail"], required: true },
  { field: "phone", zh: "手机", en: "phone", aliases: ["手机号", "手机号码", "联系电话", "mobile"], required: false },
  {
    field: "isHead",
    zh: "单位负责人",
    en: "is_head",
    aliases: ["是否单位负责人", "是否负责人", "负责人", "head"],
    required: true,
  },
  { field: "since", zh: "任职日期", en: "since", aliases: ["起始日期", "startdate", "start"], required: false },
] as const satisfies readonly ColumnSpec[];

const LIMITS = { code: 50, name: 100, title: 100, email: 200, staffNo: 50 } as const;

/** The roster: cadres upserted by staff number, moves between units recorded as transfers, unit heads. */
export const cadreKind: ImportKindDefinition<CadreRow> = {
  kind: "cadres",
  labelKey: "imports.kinds.cadres",
  helpKeys: ["imports.columnsHelp.cadres", "imports.reimportNote", "imports.accountsNote"],
  confirmNoteKey: "imports.accountsNote",
  roles: ["org_admin"],
  columns: CADRE_COLUMNS,
  keyField: "staffNo",
  counts: [COUNTS.create, COUNTS.update, COUNTS.transfer, COUNTS.unchanged],
  actionLabels: { transfer: "imports.actions.transfer" },
  fieldLabels: {
    staffNo: "imports.fields.staffNo",
    name: "imports.fields.name",
    unitCode: "imports.fields.unitCode",
    rank: "imports.fields.rank",
    title: "imports.fields.title",
    email: "imports.fields.email",
    phone: "imports.fields.phone",
    isHead: "imports.fields.isHead",
    since: "imports.fields.since",
  },
  valueLabels: { rank: "ranks" },
  templateFileName: "干部导入模板.csv",

  normalise(r) {
    const staffNo = r.required("staffNo", LIMITS.staffNo);
    const name = r.required("name", LIMITS.name);
    const unitCode = r.required("unitCode", LIMITS.code);
    const rankText = r.text("rank");
    const rank = rankText ? parseRank(rankText) : null;
    if (!rankText) r.problem("rank", "imports.errors.required");
    else if (!rank) r.problem("rank", "imports.errors.unknownRank", { value: rankText });
    const title = r.optional("title", LIMITS.title);

    const emailText = r.optional("email", LIMITS.email);
    const email = emailText ? parseEmail(emailText) : null;
    if (emailText && !email) r.problem("email", "imports.errors.email", { value: emailText });

    let phone: string | null | undefined;
    if (r.has("phone")) {
      const phoneText = r.text("phone");
      phone = phoneText ? parsePhone(phoneText) : null;
      if (phoneText && !phone) r.problem("phone", "imports.errors.phone", { value: phoneText });
    }

    const isHead = parseYesNo(r.raw("isHead"));
    if (isHead === null) r.problem("isHead", "imports.errors.yesNo", { value: r.text("isHead") });

    let since: string | null = null;
    if (r.has("since") && r.text("since")) {
      since = parseDate(r.raw("since"));
      if (!since) r.problem("since", "imports.errors.date", { value: r.text("since") });
    }

    if (staffNo) r.unique("staffNo", staffNo, "imports.errors.duplicateStaffNo");
    if (email) r.unique("email", email, "imports.errors.duplicateEmail");
    // One head per unit: the scope is the unit, the value its code.
    if (isHead && unitCode) r.unique("isHead", unitCode, "imports.errors.twoHeads", "headOfUnit");

    return {
      staffNo,
      name,
      unitCode,
      rank: rank!,
      title,
      email,
      ...(phone !== undefined ? { phone } : {}),
      isHead: isHead!,
      since,
    };
  },
};
