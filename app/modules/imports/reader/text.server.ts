import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { READ_LIMITS, refuse } from "./limits";
import { blankCells, type SheetRow, type TextEncodingName } from "./rows";

export type { TextEncodingName };

/**
 * Delimited text, read as a stream: CSV as Excel and WPS save it (UTF-8 with or without a BOM, or
 * GB18030 when saved as plain "CSV" in China), and "Unicode text" (UTF-16 with a BOM, tab-separated).
 * The encoding is decided before the first row is handed on: a byte-order mark says it; otherwise the
 * whole file is checked as UTF-8 (quickly, without keeping it) and read as GB18030 if it is not.
 */

export type Delimiter = "," | "\t" | ";";

export interface TextFormat {
  encoding: TextEncodingName;
  delimiter: Delimiter;
}

const DECODER_LABEL: Record<TextEncodingName, string> = {
  "utf-8": "utf-8",
  "utf-8-bom": "utf-8",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  gb18030: "gb18030",
};

async function head(handle: FileHandle, bytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
  return buffer.subarray(0, bytesRead);
}

async function isUtf8(path: string, start: number): Promise<boolean> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { start, highWaterMark: 256 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

export async function detectEncoding(path: string, handle: FileHandle): Promise<TextEncodingName> {
  const start = await head(handle, 4096);
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return "utf-8-bom";
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  // UTF-16 without its mark: ASCII characters leave every other byte zero.
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < start.length; i++) if (start[i] === 0) i % 2 ? oddZeros++ : evenZeros++;
  if (oddZeros > start.length / 8 && evenZeros === 0) return "utf-16le";
  if (evenZeros > start.length / 8 && oddZeros === 0) return "utf-16be";
  if (evenZeros + oddZeros > 0) throw refuse("imports.errors.binaryFile");
  return (await isUtf8(path, 0)) ? "utf-8" : "gb18030";
}

const BOM_BYTES: Record<TextEncodingName, number> = { "utf-8": 0, "utf-8-bom": 3, "utf-16le": 2, "utf-16be": 2, gb18030: 0 };

/** The file's text, decoded a chunk at a time. */
export async function* textChunks(path: string, encoding: TextEncodingName): AsyncGenerator<string> {
  const decoder = new TextDecoder(DECODER_LABEL[encoding], { ignoreBOM: true });
  for await (const chunk of createReadStream(path, { start: BOM_BYTES[encoding], highWaterMark: 256 * 1024 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Which separator the first lines use: the one that splits the most lines into the same number of
 * fields (a title row has one field whatever the separator; a header and its rows agree).
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = sample
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim())
    .slice(0, 30);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of [",", "\t", ";"] as const) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const fields = splitOutsideQuotes(line, delimiter);
      if (fields > 1) counts.set(fields, (counts.get(fields) ?? 0) + 1);
    }
    // Lines agreeing on one field count, weighted a little by how many fields that is.
    let score = 0;
    for (const [fields, n] of counts) score = Math.max(score, n * 100 + fields);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

function splitOutsideQuotes(line: string, delimiter: string): number {
  let fields = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) fields++;
  }
  return fields;
}

/**
 * Delimited rows (RFC 4180 quoting, any line ending) from text chunks, numbered as a spreadsheet
 * numbers them; blank lines are counted but not handed on. Quotes left open at the end are a problem.
 */
export async function* delimitedRows(
  chunks: AsyncIterable<string>,
  delimiter: Delimiter,
  options: { maxRows?: number } = {},
): AsyncGenerator<SheetRow> {
  const maxRows = options.maxRows ?? READ_LIMITS.rows + READ_LIMITS.headerScanRows;
  const D = delimiter.charCodeAt(0);
  let row = 1;
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let quoteRow = 0;
  let atFieldStart = true;
  let skipLf = false;
  let emitted = 0;
  let carry = "";
  const ready: SheetRow[] = [];

  const tooLong = () => refuse("imports.errors.cellTooLong", { row, max: READ_LIMITS.cellChars });
  const endField = () => {
    if (field.length > READ_LIMITS.cellChars) throw tooLong();
    cells.push(field);
    if (cells.length > READ_LIMITS.columns && field.trim()) throw refuse("imports.errors.tooManyColumns", { max: READ_LIMITS.columns });
    field = "";
    atFieldStart = true;
  };
  const endRow = () => {
    endField();
    if (!blankCells(cells)) {
      if (++emitted > maxRows) throw refuse("imports.errors.tooManyRows", { max: READ_LIMITS.rows });
      ready.push({ row, cells: trimTrailing(cells) });
    }
    cells = [];
    row++;
  };

  const consume = (text: string, final: boolean) => {
    let start = 0;
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === 10) {
          start = i + 1;
          continue;
        }
      }
      if (quoted) {
        if (c !== 34) continue;
        // A quote inside quotes: doubled, it is a quote; alone, it closes. At the end of a chunk the
        // next character decides, so it waits for the next chunk.
        if (i + 1 >= text.length && !final) break;
        field += text.slice(start, i);
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
        start = i + 1;
        continue;
      }
      if (c === 34 && atFieldStart) {
        quoted = true;
        quoteRow = row;
        atFieldStart = false;
        start = i + 1;
      } else if (c === D) {
        field += text.slice(start, i);
        endField();
        start = i + 1;
      } else if (c === 10 || c === 13) {
        field += text.slice(start, i);
        endRow();
        skipLf = c === 13;
        start = i + 1;
      } else {
        atFieldStart = false;
      }
    }
    field += text.slice(start, i);
    carry = text.slice(i);
    if (field.length > READ_LIMITS.cellChars) throw quoted ? refuse("imports.errors.csvQuotes", { row: quoteRow }) : tooLong();
  };

  for await (const text of chunks) {
    consume(carry + text, false);
    while (ready.length) yield ready.shift()!;
  }
  consume(carry, true);
  if (quoted) throw refuse("imports.errors.csvQuotes", { row: quoteRow });
  if (field !== "" || cells.length) endRow();
  while (ready.length) yield ready.shift()!;
}

function trimTrailing(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && !cells[end - 1]!.trim()) end--;
  return end === cells.length ? cells : cells.slice(0, end);
}
