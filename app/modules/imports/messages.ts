import type { FormMessage } from "~/utils/errors";
import type { ImportKindView } from "./kinds";
import type { SheetLayout, SkippedRow } from "./reader/rows";
import type { FieldChange, ImportProblem, RowChange } from "./types";

/**
 * How an import's outcome reads, the same on the batch page, in the command line's dry run and in the
 * marked-up file sent back: problems with row, column and value; changes field by field; what the
 * reader took as sheet and header. Pure.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Problems of a whole file, as messages beside the upload's file field. */
export function problemMessages(problems: readonly ImportProblem[]): FormMessage[] {
  return problems.map((p) => ({ key: p.messageKey, params: p.params }));
}

/** "第 N 行 [列名]「值」 message", the way the departments will look for it in their own sheet. */
export function problemLine(t: Translate, p: ImportProblem): string {
  const message = t(p.messageKey, p.params);
  if (p.row === null) return t("imports.cli.fileProblem", { message });
  const value = p.value ? t("imports.cli.value", { value: p.value }) : "";
  if (p.column === null) return t("imports.cli.rowOnly", { row: p.row, message });
  return t("imports.cli.rowProblem", { row: p.row, column: p.column, value, message });
}

/** A changed field's name: the kind's label for it, else its column's header in the page's language. */
export function fieldLabel(t: Translate, language: string, kind: ImportKindView, field: string): string {
  const key = kind.fieldLabels[field];
  if (key) return t(key);
  const column = kind.columns.find((c) => c.field === field);
  if (!column) return field;
  return language.startsWith("zh") ? column.zh : column.en;
}

/** A field's value as people read it: enum values by name, 是/否, a dash for nothing. */
export function fieldValue(t: Translate, kind: ImportKindView, change: FieldChange, value: FieldChange["before"]): string {
  if (value === null || value === "") return "—";
  if (typeof value === "boolean") return t(value ? "common.yes" : "common.no");
  const values = kind.valueLabels[change.field];
  if (values) return t(`${values}.${value}`);
  return String(value);
}

/** One change as a line: "第 N 行 新建 A001 张三：职级 副科级 → 正科级；…". */
export function changeLine(t: Translate, language: string, kind: ImportKindView, c: RowChange): string {
  const action = kind.actionLabels[c.action] ? t(kind.actionLabels[c.action]!) : c.action;
  const fields = c.fields
    .map((f) => `${fieldLabel(t, language, kind, f.field)}：${fieldValue(t, kind, f, f.before)} → ${fieldValue(t, kind, f, f.after)}`)
    .join(t("imports.separator"));
  const note = c.note ? ` (${t(c.note.messageKey, c.note.params)})` : "";
  return t("imports.cli.changeLine", { row: c.row, action, key: c.key, name: c.name, fields: fields ? `：${fields}` : "", note });
}

/** What was read: "工作表「花名册」第 3 行为表头；UTF-16 文本，制表符分隔". */
export function layoutLine(t: Translate, layout: Partial<SheetLayout>): string {
  const parts: string[] = [];
  if (layout.format)
    parts.push(t(`imports.formats.${layout.format}`, { encoding: layout.encoding ? t(`imports.encodings.${layout.encoding}`) : "" }));
  if (layout.sheet) parts.push(t("imports.layout.sheet", { sheet: layout.sheet, count: layout.sheets?.length ?? 1 }));
  if (layout.headerRow) parts.push(t("imports.layout.headerRow", { row: layout.headerRow }));
  return parts.join(t("imports.separator"));
}

/** A skipped row as a line: "第 1 行（表头之前）：示范市干部花名册". */
export function skippedLine(t: Translate, s: SkippedRow): string {
  return t("imports.layout.skippedRow", { row: s.row, reason: t(`imports.skipReasons.${s.reason}`), text: s.text });
}
