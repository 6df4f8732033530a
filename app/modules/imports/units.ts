import type { UnitKind } from "~db/schema/enums";
import type { ColumnSpec } from "./columns";
import { COUNTS, type ImportKindDefinition, type ImportRowBase } from "./kinds";
import { parseUnitKind } from "./values";

/** A unit row after its cells were checked and normalised; what a batch stores and applies. */
export interface UnitRow extends ImportRowBase {
  code: string;
  name: string;
  kind: UnitKind;
  /** null: a top-level unit. undefined: the file has no parent column, so the parent is left as it is. */
  parentCode?: string | null;
}

export const UNIT_COLUMNS = [
  { field: "code", zh: "单位编码", en: "code", aliases: ["编码", "单位代码", "unitcode"], required: true, example: "SF010" },
  { field: "name", zh: "单位名称", en: "name", aliases: ["名称", "unitname"], required: true, example: "市教育和体育局" },
  {
    field: "parentCode",
    zh: "上级单位编码",
    en: "parent_code",
    aliases: ["上级编码", "上级单位代码", "parent", "parentunitcode"],
    required: false,
  },
  {
    field: "kind",
    zh: "单位类别",
    en: "kind",
    aliases: ["类别", "单位类型", "type", "unitkind"],
    required: true,
    choices: ["部门", "镇街", "园区", "国企", "其他"],
    example: "部门",
  },
] as const satisfies readonly ColumnSpec[];

const MAX_CODE = 50;
const MAX_NAME = 100;

/** The unit tree: upserted by unit code, parents by code from the file or the database. */
export const unitKind: ImportKindDefinition<UnitRow> = {
  kind: "units",
  labelKey: "imports.kinds.units",
  helpKeys: ["imports.columnsHelp.units"],
  roles: ["org_admin"],
  columns: UNIT_COLUMNS,
  keyField: "code",
  // Units never transfer; the count stays so that both built-in kinds report the same figures as before.
  counts: [COUNTS.create, COUNTS.update, COUNTS.transfer, COUNTS.unchanged],
  fieldLabels: {
    code: "imports.fields.code",
    name: "imports.fields.name",
    kind: "imports.fields.kind",
    parentCode: "imports.fields.parentCode",
  },
  valueLabels: { kind: "unitKinds" },
  templateFileName: "单位导入模板.csv",

  normalise(r) {
    const code = r.code("code", MAX_CODE);
    const name = r.required("name", MAX_NAME);
    const kindText = r.text("kind");
    const kind = kindText ? parseUnitKind(kindText) : null;
    if (!kindText) r.problem("kind", "imports.errors.required");
    else if (!kind) r.problem("kind", "imports.errors.unknownKind", { value: kindText });
    let parentCode: string | null | undefined;
    if (r.has("parentCode")) {
      parentCode = r.code("parentCode", MAX_CODE, { required: false }) || null;
      if (parentCode && parentCode === code) r.problem("parentCode", "imports.errors.ownParent");
    }
    if (code) r.unique("code", code, "imports.errors.duplicateCode");
    return { code, name, kind: kind!, ...(parentCode !== undefined ? { parentCode } : {}) };
  },
};
