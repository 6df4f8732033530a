import ExcelJS from "exceljs";
import { templateCsvFor } from "./columns";
import { EXAMPLE_MARK } from "./reader/layout";
import { columnLetters } from "./reader/ranges";
import type { AnyImportKindHandler } from "./registry.server";

/**
 * A kind's template: as .xlsx, the sheet to fill in (the header, an example row the reader skips, a
 * drop-down list on every column with fixed values), its instructions sheet (each column: required or
 * not, what to write, an example) and a hidden sheet holding the lists; as .csv, the header alone.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const REQUIRED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFCE4D6" } };
const EXAMPLE_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: "FF7F7F7F" } };
/** The note column of the example row: the reader skips a row carrying the mark. */
const NOTE_HEADER = "备注";
/** Drop-downs cover the first ten thousand rows below the header (Excel slows with more, and so do readers). */
const LAST_ROW = 10_001;

export function templateBaseName(kind: AnyImportKindHandler): string {
  return (kind.templateFileName ?? `${kind.kind}-template`).replace(/\.(csv|xlsx)$/i, "");
}

export function templateCsv(kind: AnyImportKindHandler): string {
  return templateCsvFor(kind.columns);
}

export async function templateXlsx(kind: AnyImportKindHandler, t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "落实";
  const name = t(kind.labelKey).slice(0, 31);
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  const guide = workbook.addWorksheet("填写说明");
  const lists = workbook.addWorksheet("选项", { state: "hidden" });

  const columns = kind.columns;
  sheet.addRow([...columns.map((c) => c.zh), NOTE_HEADER]);
  sheet.addRow([...columns.map((c) => c.example ?? ""), EXAMPLE_MARK]);
  const header = sheet.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    header.getCell(i + 1).fill = c.required ? REQUIRED_FILL : HEADER_FILL;
    sheet.getColumn(i + 1).width = Math.max(10, c.zh.length * 2 + 4, (c.example ?? "").length + 4);
    // Codes and staff numbers stay text: Excel would drop leading zeros of a number.
    if (["staffNo", "code", "unitCode", "parentCode", "phone"].includes(c.field)) sheet.getColumn(i + 1).numFmt = "@";
  });
  sheet.getColumn(columns.length + 1).width = 24;
  sheet.getRow(2).font = EXAMPLE_FONT;

  let listColumn = 0;
  columns.forEach((c, i) => {
    if (!c.choices?.length) return;
    listColumn++;
    const letter = columnLetters(listColumn);
    lists.getCell(`${letter}1`).value = c.zh;
    c.choices.forEach((choice, j) => {
      lists.getCell(`${letter}${j + 2}`).value = choice;
    });
    const target = columnLetters(i + 1);
    // exceljs writes data validations but does not declare them on its Worksheet type.
    (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${target}2:${target}${LAST_ROW}`,
      {
        type: "list",
        allowBlank: !c.required,
        formulae: [`'选项'!$${letter}$2:$${letter}$${c.choices.length + 1}`],
        showErrorMessage: true,
        errorStyle: "warning",
        errorTitle: c.zh,
        error: t("imports.template.pickFromList"),
      },
    );
  });

  guide.addRow([t("imports.template.title", { kind: t(kind.labelKey) })]).font = { bold: true, size: 14 };
  guide.addRow([t("imports.template.intro")]);
  for (const key of kind.helpKeys ?? []) guide.addRow([t(key)]);
  guide.addRow([t("imports.template.exampleRow", { mark: EXAMPLE_MARK })]);
  guide.addRow([]);
  const head = guide.addRow([
    t("imports.template.column"),
    t("imports.template.required"),
    t("imports.template.howTo"),
    t("imports.template.example"),
  ]);
  head.font = { bold: true };
  for (const c of columns) {
    const how = c.choices?.length ? t("imports.template.choices", { choices: c.choices.join("、") }) : (c.hint ?? "");
    const required = c.required
      ? c.requiredUnless
        ? t("imports.template.requiredUnless", { other: columns.find((x) => x.field === c.requiredUnless)?.zh ?? "" })
        : t("common.yes")
      : t("common.no");
    guide.addRow([c.zh, required, how, c.example ?? ""]);
  }
  guide.getColumn(1).width = 18;
  guide.getColumn(2).width = 16;
  guide.getColumn(3).width = 60;
  guide.getColumn(4).width = 24;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
