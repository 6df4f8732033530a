import { MAX_IMPORT_BYTES } from "../constants";

/**
 * What an uploaded spreadsheet may hold. Every reader enforces these while it streams, so a file that
 * is small on the wire but huge once unpacked (a zip bomb), or a row without end, is refused after the
 * limit and not after it has filled the memory. Each refusal names the limit in its message.
 */
export const READ_LIMITS = {
  /** The upload itself (constants.ts, shared with the upload form). */
  fileBytes: MAX_IMPORT_BYTES,
  /** Data rows of the sheet read; a province's roster is about 100,000. */
  rows: 200_000,
  /** Columns with anything in them; a roster has about twenty. */
  columns: 200,
  /**
   * Bytes unpacked from an .xlsx, all its parts together. A 100,000-row roster's sheet is about 70 MB of
   * XML; the zip bomb of the security review unpacks to 228 MB from 0.9 MB and stops here.
   */
  unpackedBytes: 128 * 1024 * 1024,
  /** The shared-strings part alone (every distinct text of the workbook). */
  sharedStringsBytes: 64 * 1024 * 1024,
  /** Excel's own limit for one cell. */
  cellChars: 32_767,
  /** Sheet XML read without reaching the end of a row: a row of a million cells, or one endless cell. */
  rowBytes: 4 * 1024 * 1024,
  /** How far down the header row is looked for: title rows, notes and blank rows come first. */
  headerScanRows: 30,
} as const;

/** A reason to refuse a whole file, as an i18n key with its parameters. */
export class ReadRefusal extends Error {
  constructor(
    public readonly messageKey: string,
    public readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = "ReadRefusal";
  }
}

export const refuse = (messageKey: string, params?: Record<string, string | number>) => new ReadRefusal(messageKey, params);

/** Megabytes, for messages. */
export const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
