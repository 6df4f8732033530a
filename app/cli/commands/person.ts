import fs from "node:fs/promises";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { attendancePersonalData } from "~/modules/attendance/personal-data.server";
import { auditPersonalData } from "~/modules/audit/personal-data.server";
import { audit } from "~/modules/audit/service.server";
import { accountPersonalData } from "~/modules/auth/personal-data.server";
import { classesPersonalData } from "~/modules/classes/personal-data.server";
import { frontlinePersonalData } from "~/modules/frontline/personal-data.server";
import { organizationPersonalData } from "~/modules/organization/personal-data.server";
import { rankingsPersonalData } from "~/modules/rankings/personal-data.server";
import { shortlistsPersonalData } from "~/modules/shortlists/personal-data.server";
import { translator } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { cadres } from "~db/schema";
import type { CliCommand } from "../context";
import { optionText, parseOptions } from "../options";

const USAGE = "Usage: npm run luoshi -- person export STAFF_NO [--format json|xlsx] [--out FILE]";

/**
 * `person export STAFF_NO`: everything Luoshi keeps about one person, for the organization department
 * to hand to a cadre who asks for their data — the record and roster fields, units, rank and post
 * history, account, registrations, leave, attendance, make-up study, frontline work, assessments,
 * published ranking rows, nominations, and the audit entries about their record. JSON by default, or
 * an .xlsx with a sheet per section. The export itself is audited (who asked is the command line).
 */
const run: CliCommand = async (args, ctx) => {
  const [verb, staffNo, ...rest] = args;
  const options = parseOptions(rest);
  const format = options ? (optionText(options, "format") ?? "json") : null;
  if (verb !== "export" || !staffNo || !options || (format !== "json" && format !== "xlsx")) {
    ctx.err(USAGE);
    return 2;
  }
  const [cadre] = await ctx.db.select({ id: cadres.id }).from(cadres).where(eq(cadres.staffNo, staffNo));
  if (!cadre) {
    ctx.err(translator("zh-CN")("roster.export.notFound", { staffNo }));
    return 1;
  }
  const data = await personalData(ctx.db, cadre.id);
  const out = optionText(options, "out");
  const body =
    format === "json" ? `${JSON.stringify({ staffNo, exportedAt: new Date().toISOString(), ...data }, null, 2)}\n` : await workbook(data);
  if (out) await fs.writeFile(out, body);
  else if (typeof body === "string") process.stdout.write(body);
  else {
    ctx.err(USAGE);
    return 2;
  }
  await audit(
    ctx.db,
    { userId: null, label: "cli" },
    { action: "person.exported", entityType: "cadre", entityId: cadre.id, after: { format } },
  );
  if (out) ctx.err(translator("zh-CN")("roster.export.written", { path: out }));
  return 0;
};
export default run;

/** Every capability's part, asked through the function it exports for this. */
export async function personalData(db: DbOrTx, cadreId: number): Promise<Record<string, unknown[]>> {
  const parts = await Promise.all([
    organizationPersonalData(db, cadreId),
    accountPersonalData(db, cadreId),
    classesPersonalData(db, cadreId),
    attendancePersonalData(db, cadreId),
    frontlinePersonalData(db, cadreId),
    rankingsPersonalData(db, cadreId),
    shortlistsPersonalData(db, cadreId),
    auditPersonalData(db, cadreId),
  ]);
  const all: Record<string, unknown[]> = {};
  for (const part of parts) for (const [key, rows] of Object.entries(part)) all[key] = [...(rows as unknown[])];
  return all;
}

async function workbook(data: Record<string, unknown[]>): Promise<Buffer> {
  const t = translator("zh-CN");
  const book = new ExcelJS.Workbook();
  for (const [section, rows] of Object.entries(data)) {
    const sheet = book.addWorksheet(t(`roster.export.sections.${section}`, { defaultValue: section }).slice(0, 31));
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
    sheet.addRow(columns).font = { bold: true };
    for (const r of rows as Record<string, unknown>[]) {
      sheet.addRow(columns.map((c) => cellOf(r[c])));
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cellOf(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
