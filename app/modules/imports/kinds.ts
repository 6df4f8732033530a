import type { Role } from "~/modules/auth/roles";
import type { ColumnSpec } from "./columns";
import type { Cell } from "./values";

/**
 * What one kind of spreadsheet import is, as far as the pages and the row checks need to know: its
 * columns, who may use it, what else the upload asks for, and how one row becomes a typed row. Pure, so
 * the browser can have it too; the database side is in registry.server.ts.
 */
export interface ImportKindDefinition<Row extends ImportRowBase = ImportRowBase> {
  /** The id in URLs, forms, the CLI (`import <kind> …`) and import_batches.kind. */
  kind: string;
  /** i18n key of the kind's name ("干部"). */
  labelKey: string;
  /** i18n keys of help shown under the kind's template: which columns, what values, what happens. */
  helpKeys?: readonly string[];
  /** Shown above the confirm button of a batch of this kind. */
  confirmNoteKey?: string;
  /** Who may upload, preview and confirm this kind. */
  roles: readonly Role[];
  columns: readonly ColumnSpec[];
  /** The column that names a row (unit code, staff number): the key in the change table and in duplicates. */
  keyField: string;
  /** More the upload needs besides the file, e.g. the session an attendance sheet belongs to. */
  params?: readonly ImportParamSpec[];
  /** The counts this kind reports, in the order the batch page and the CLI show them. */
  counts: readonly ImportCountSpec[];
  /** Change action (other than create/update) → i18n key, for the change table. */
  actionLabels?: Readonly<Record<string, string>>;
  /** Field → i18n key of its name in the change table; without one, the column's header is shown. */
  fieldLabels?: Readonly<Record<string, string>>;
  /** Field → i18n prefix of its values ("ranks" → t("ranks.section")), for enum fields in the change table. */
  valueLabels?: Readonly<Record<string, string>>;
  /** Headers of the change table's key and name columns; default "编码 / 工号", "名称 / 姓名". */
  keyLabelKey?: string;
  nameLabelKey?: string;
  /** The Chinese file name of the template download, e.g. "干部导入模板.csv". */
  templateFileName?: string;
  /**
   * One data row's cells → the typed row (without `row`, which the machinery adds). Report every problem
   * through `cells.problem` (or the helpers that call it). A row with a problem is still handed to `plan`,
   * as far as it could be read and marked `invalid`: `plan` checks it against the database (so one pass
   * finds every problem of a file) but changes nothing for it. Checks that need the database are `plan`'s.
   * The file, not the rows, is kept between preview and confirmation, and read again to confirm.
   */
  normalise(cells: RowCells, ctx: NormaliseContext): Omit<Row, "row"> | null;
}

export interface ImportRowBase {
  /** The spreadsheet's own row number. */
  row: number;
  /**
   * The row had problems of its own: `plan` still checks what it can against the database (so every
   * problem of a file is found in one pass), but plans no change for it. Its fields with problems may
   * be empty.
   */
  invalid?: true;
}

export interface ImportParamSpec {
  /** Form field `param.<name>`; on the command line `<name>=value` or positionally, in this order. */
  name: string;
  labelKey: string;
  hintKey?: string;
  required: boolean;
}

export interface ImportCountSpec {
  key: string;
  labelKey: string;
}

/** The counts most kinds report. "unchanged" rows are counted but not listed. */
export const COUNTS = {
  create: { key: "create", labelKey: "imports.counts.create" },
  update: { key: "update", labelKey: "imports.counts.update" },
  transfer: { key: "transfer", labelKey: "imports.counts.transfer" },
  unchanged: { key: "unchanged", labelKey: "imports.counts.unchanged" },
} as const satisfies Record<string, ImportCountSpec>;

/** One data row as `normalise` sees it: cells by field, and problems reported against their column. */
export interface RowCells {
  row: number;
  /** Whether the file has this column at all (an absent optional column usually means "leave as is"). */
  has(field: string): boolean;
  raw(field: string): Cell;
  text(field: string): string;
  problem(field: string, messageKey: string, params?: Record<string, string | number>): void;
  /** The text; "required" when empty, "too long" beyond `max`. */
  required(field: string, max: number): string;
  /** The text ("" when empty); "too long" beyond `max`. */
  optional(field: string, max: number): string;
  /**
   * A code or number (staff number, unit code): as `required` or `optional`, with full-width digits and
   * letters read as plain ones.
   */
  code(field: string, max: number, options?: { required?: boolean }): string;
  /**
   * Reports `value` as a duplicate when an earlier row of the file had it in the same `scope` (default:
   * the field), with that row's number as `{{row}}` and the value as `{{value}}`.
   */
  unique(field: string, value: string, messageKey: string, scope?: string): void;
}

export interface NormaliseContext {
  /** The upload's extra parameters, by name. */
  params: Readonly<Record<string, string>>;
}

export function mayUseImportKind(user: { roles: readonly Role[] }, kind: Pick<ImportKindDefinition, "roles">): boolean {
  return kind.roles.some((r) => user.roles.includes(r));
}

/** What the pages need of a kind, as plain data for a loader to send. */
export interface ImportKindView {
  kind: string;
  labelKey: string;
  helpKeys: string[];
  confirmNoteKey: string | null;
  columns: { field: string; zh: string; en: string; required: boolean }[];
  params: ImportParamSpec[];
  counts: ImportCountSpec[];
  actionLabels: Record<string, string>;
  fieldLabels: Record<string, string>;
  valueLabels: Record<string, string>;
  keyLabelKey: string;
  nameLabelKey: string;
}

export function describeImportKind(kind: ImportKindDefinition): ImportKindView {
  return {
    kind: kind.kind,
    labelKey: kind.labelKey,
    helpKeys: [...(kind.helpKeys ?? [])],
    confirmNoteKey: kind.confirmNoteKey ?? null,
    columns: kind.columns.map((c) => ({ field: c.field, zh: c.zh, en: c.en, required: c.required })),
    params: [...(kind.params ?? [])],
    counts: [...kind.counts],
    actionLabels: { create: "imports.actions.create", update: "imports.actions.update", ...kind.actionLabels },
    fieldLabels: { ...kind.fieldLabels },
    valueLabels: { ...kind.valueLabels },
    keyLabelKey: kind.keyLabelKey ?? "imports.key",
    nameLabelKey: kind.nameLabelKey ?? "imports.name",
  };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "新建 7，更新 0，…": a kind's counts in its order, for the command line and the applied notice. */
export function countsText(t: Translate, kind: { counts: readonly ImportCountSpec[] }, counts: Readonly<Record<string, number>>): string {
  return kind.counts.map((c) => t("imports.countItem", { label: t(c.labelKey), count: counts[c.key] ?? 0 })).join(t("imports.separator"));
}
