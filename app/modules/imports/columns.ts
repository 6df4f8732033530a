/**
 * The columns of the two spreadsheets we accept, and how a header row written by hand in Chinese or
 * English maps onto them. Pure, so the browser (templates, help text) and the tests can use it.
 */
export const IMPORT_KINDS = ["units", "cadres"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: unknown): value is ImportKind {
  return typeof value === "string" && (IMPORT_KINDS as readonly string[]).includes(value);
}

export interface ColumnSpec<F extends string = string> {
  field: F;
  /** The header our templates write, and the name problems are reported under when the column is missing. */
  zh: string;
  en: string;
  /** Other spellings seen in departments' own sheets. Compared after `headerKey`. */
  aliases: string[];
  required: boolean;
}

export const UNIT_COLUMNS = [
  { field: "code", zh: "单位编码", en: "code", aliases: ["编码", "单位代码", "unitcode"], required: true },
  { field: "name", zh: "单位名称", en: "name", aliases: ["名称", "unitname"], required: true },
  {
    field: "parentCode",
    zh: "上级单位编码",
    en: "parent_code",
    aliases: ["上级编码", "上级单位代码", "parent", "parentunitcode"],
    required: false,
  },
  { field: "kind", zh: "单位类别", en: "kind", aliases: ["类别", "单位类型", "type", "unitkind"], required: true },
] as const satisfies readonly ColumnSpec[];

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

export type UnitField = (typeof UNIT_COLUMNS)[number]["field"];
export type CadreField = (typeof CADRE_COLUMNS)[number]["field"];

export function columnsOf(kind: ImportKind): readonly ColumnSpec[] {
  return kind === "units" ? UNIT_COLUMNS : CADRE_COLUMNS;
}

/**
 * What a header is compared by: no BOM, no spaces, underscores or hyphens, no notes in brackets
 * ("任职日期（选填）"), no required-marks ("*工号"), lower case.
 */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .replace(/[（(][^）)]*[）)]/g, "")
    .replace(/[\s_\-*＊:：]/g, "")
    .toLowerCase();
}

const lookups = new Map<ImportKind, Map<string, string>>();
function lookup(kind: ImportKind): Map<string, string> {
  let map = lookups.get(kind);
  if (!map) {
    map = new Map();
    for (const c of columnsOf(kind)) {
      for (const name of [c.zh, c.en, c.field, ...c.aliases]) map.set(headerKey(name), c.field);
    }
    lookups.set(kind, map);
  }
  return map;
}

export interface HeaderProblem {
  row: 1;
  column: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export interface HeaderMap {
  /** Field → index of its column in the row. */
  index: Record<string, number>;
  /** Field → the header as written in the file, for error messages. */
  header: Record<string, string>;
  /** Headers we do not know; their columns are ignored. */
  ignored: string[];
  problems: HeaderProblem[];
}

export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMap {
  const known = lookup(kind);
  const result: HeaderMap = { index: {}, header: {}, ignored: [], problems: [] };
  headers.forEach((raw, i) => {
    const written = raw.replace(/^\uFEFF/, "").trim();
    if (!written) return;
    const field = known.get(headerKey(written));
    if (!field) {
      result.ignored.push(written);
      return;
    }
    if (field in result.index) {
      result.problems.push({
        row: 1,
        column: written,
        messageKey: "imports.errors.duplicateHeader",
        params: { header: result.header[field]! },
      });
      return;
    }
    result.index[field] = i;
    result.header[field] = written;
  });
  for (const c of columnsOf(kind)) {
    if (c.required && !(c.field in result.index)) {
      result.problems.push({ row: 1, column: c.zh, messageKey: "imports.errors.missingHeader", params: { header: `${c.zh} / ${c.en}` } });
    }
  }
  return result;
}

/** The header row of our downloadable templates (Chinese, as the departments' own sheets are). */
export function templateHeaders(kind: ImportKind): string[] {
  return columnsOf(kind).map((c) => c.zh);
}

/** A CSV template with a BOM, so that Excel opens the Chinese headers as UTF-8. */
export function templateCsv(kind: ImportKind): string {
  return `\uFEFF${templateHeaders(kind).join(",")}\r\n`;
}
