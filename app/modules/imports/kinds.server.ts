import { viewingLogImport } from "~/modules/attendance/import.server";
import type { Role } from "~/modules/auth/roles";
import { sessionImport } from "~/modules/classes/import.server";
import { frontlineImport } from "~/modules/frontline/import.server";
import { assessmentImport, ratingImport } from "~/modules/rankings/imports.server";
import { cadreImport } from "./cadres.server";
import { type HeaderMap, mapColumns } from "./columns";
import { type ImportRowBase, mayUseImportKind } from "./kinds";
import type { SheetRow } from "./reader/rows";
import { type AnyImportKindHandler, findImportKind, importKind, importKinds, registerImportKind } from "./registry.server";
import { RowChecker } from "./rows";
import type { ImportProblem } from "./types";
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
export function mapHeaders(kind: string, headers: string[], headerRow = 1): HeaderMap {
  return mapColumns(importKind(kind).columns, headers, headerRow);
}

/**
 * A kind's row checks over rows already read (header on row 1), by id: the typed rows (marked invalid
 * when they have problems) and every problem. The pages and the pipeline check rows one at a time as
 * they stream; this is for the tests' tables.
 */
export function normaliseRows(
  kind: string,
  sheet: { headers: string[]; rows: SheetRow[] },
  params: Readonly<Record<string, string>> = {},
): {
  rows: (ImportRowBase & Record<string, unknown>)[];
  problems: ImportProblem[];
  ignoredColumns: string[];
  headerProblems: ImportProblem[];
} {
  const checker = new RowChecker(importKind(kind), sheet.headers, 1, params);
  const rows: (ImportRowBase & Record<string, unknown>)[] = [];
  const problems: ImportProblem[] = [];
  if (!checker.map.problems.length) {
    for (const r of sheet.rows) {
      const checked = checker.check(r);
      rows.push(checked.value as ImportRowBase & Record<string, unknown>);
      problems.push(...checked.problems);
    }
  }
  return { rows, problems, ignoredColumns: checker.map.ignored, headerProblems: checker.map.problems };
}
