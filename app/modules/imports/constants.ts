/** Ten megabytes hold well over 50,000 cadre rows; anything larger is not a roster. */
export const MAX_IMPORT_MB = 10;
export const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024;
export const IMPORT_EXTENSIONS = [".csv", ".xlsx"] as const;

export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot).toLowerCase();
}
