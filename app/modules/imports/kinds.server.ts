import { viewingLogImport } from "~/modules/attendance/import.server";
import type { Role } from "~/modules/auth/roles";
import { sessionImport } from "~/modules/classes/import.server";
import { frontlineImport } from "~/modules/frontline/import.server";
import { assessmentImport, ratingImport } from "~/modules/rankings/imports.server";
import { cadreImport } from "./cadres.server";
import { type HeaderMap, mapColumns, templateCsvFor } from "./columns";
import { type ImportRowBase, mayUseImportKind } from "./kinds";
import { type AnyImportKindHandler, findImportKind, importKind, importKinds, registerImportKind } from "./registry.server";
import { type NormalisedRows, normaliseSheet, type RawSheet } from "./rows";
import { unitImport } from "./units.server";

/**
 * Every import kind, in the order the upload page lists them. A capability adds its kind here: import
 * its handler from <capability>/import.server.ts and put it in the list.
 */
const KINDS: AnyImportKindHandler[] = [
  unitImport,
  cadreImport,
  viewingLogImport,
  frontlineImport,
  sessionImport,
  assessmentImport,
  ratingImport,
];

for (const kind of KINDS) registerImportKind(kind);

// Lookups by id for the machinery, the routes and the CLI. Importing them from here rather than from the
// registry makes sure the kinds above are registered first.
export { findImportKind, importKind, importKinds };

/** The kinds a user's roles let them import, in list order. */
export function importKindsFor(user: { roles: readonly Role[] }): AnyImportKindHandler[] {
  return importKinds().filter((k) => mayUseImportKind(user, k));
}

/** A kind's header mapping, by id. */
export function mapHeaders(kind: string, headers: string[]): HeaderMap {
  return mapColumns(importKind(kind).columns, headers);
}

/** A kind's row checks over a whole sheet, by id; the rows as plain records. */
export function normaliseRows(
  kind: string,
  sheet: RawSheet,
  params: Readonly<Record<string, string>> = {},
): NormalisedRows<ImportRowBase & Record<string, unknown>> {
  return normaliseSheet(importKind(kind), sheet, params) as NormalisedRows<ImportRowBase & Record<string, unknown>>;
}

/** A kind's empty CSV template, by id. */
export function templateCsv(kind: string): string {
  return templateCsvFor(importKind(kind).columns);
}
