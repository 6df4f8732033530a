/**
 * What an upload may be, for the form (browser) and the server alike. The reader's own limits (rows,
 * columns, unpacked bytes) are in reader/limits.ts.
 */

/** A province's 100,000-cadre roster with every roster field is about 25 MB as CSV. */
export const MAX_IMPORT_MB = 50;
export const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024;
/** CSV and tab-separated text (Excel's "Unicode text" is a .txt), and .xlsx. */
export const IMPORT_EXTENSIONS = [".csv", ".xlsx", ".txt", ".tsv"] as const;
/** Old Excel and WPS formats: refused with a message saying to save as .xlsx. */
export const LEGACY_EXTENSIONS = [".xls", ".et"] as const;

export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot).toLowerCase();
}
