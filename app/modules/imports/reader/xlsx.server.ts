import type { FileHandle } from "node:fs/promises";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { Cell } from "../values";
import { READ_LIMITS, refuse } from "./limits";
import { formatFixed, type NumberFormat, numberFormat, serialToDate } from "./number-formats";
import { type CellRange, parseRange } from "./ranges";
import type { SheetRow } from "./rows";
import { UnpackBudget, ZipArchive } from "./zip.server";

/**
 * An .xlsx read as a stream of rows, without loading the workbook: the sheet's XML is inflated and
 * parsed a chunk at a time, and every limit (unpacked bytes, rows, columns, row size, cell length) is
 * checked as it goes. Shared strings are held (cells refer to them by number), within their own limit.
 */

export interface WorkbookSheet {
  name: string;
  part: string;
  hidden: boolean;
}

const attr = (tag: SaxesTagPlain, name: string): string | undefined => tag.attributes[name] as string | undefined;

/** Column letters of a reference (B7 → 2), or null. */
function columnOf(ref: string | undefined): number | null {
  if (!ref) return null;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col || null;
}

/** Parses XML chunks with saxes, collecting what the handlers push, so an async generator can yield it. */
function xmlParser() {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failed: Error | null = null;
  parser.on("error", (e) => {
    failed = e;
  });
  return {
    parser,
    write(text: string) {
      parser.write(text);
      if (failed) throw refuse("imports.errors.unreadable");
    },
    close() {
      parser.close();
      if (failed) throw refuse("imports.errors.unreadable");
    },
  };
}

async function* decoded(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

export class XlsxWorkbook {
  readonly budget = new UnpackBudget();
  private sharedStrings: string[] | null = null;

  private constructor(
    private readonly zip: ZipArchive,
    readonly sheets: WorkbookSheet[],
    private readonly date1904: boolean,
    private readonly formats: NumberFormat[],
    private readonly stringsPart: string,
  ) {}

  static async open(path: string, handle: FileHandle): Promise<XlsxWorkbook> {
    const zip = await ZipArchive.open(path, handle);
    const budget = new UnpackBudget();
    // The workbook is where the package's relationships say (Excel and WPS: xl/workbook.xml; other
    // tools name it otherwise), and its parts where the workbook's relationships say.
    const root = zip.has("_rels/.rels") ? relationships(await zip.text("_rels/.rels", budget), "") : [];
    const workbookPart = root.find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
    if (!zip.has(workbookPart)) throw refuse("imports.errors.unreadable");
    const workbookXml = await zip.text(workbookPart, budget);
    const relsPart = workbookPart.replace(/([^/]*)$/, "_rels/$1.rels");
    const rels = zip.has(relsPart) ? relationships(await zip.text(relsPart, budget), workbookPart) : [];
    const targets = new Map(rels.map((r) => [r.id, r.target]));
    const sheets: WorkbookSheet[] = [];
    for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
      const name = decodeXml(/\bname="([^"]*)"/.exec(m[0])?.[1] ?? "");
      const rid = /\br:id="([^"]*)"/.exec(m[0])?.[1] ?? /\b\w+:id="([^"]*)"/.exec(m[0])?.[1];
      const part = rid ? targets.get(rid) : undefined;
      if (!part || !zip.has(part)) continue;
      const state = /\bstate="([^"]*)"/.exec(m[0])?.[1];
      sheets.push({ name, part, hidden: state === "hidden" || state === "veryHidden" });
    }
    if (!sheets.length) throw refuse("imports.errors.emptyFile");
    const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbookXml);
    const partOf = (type: string, usual: string) => rels.find((r) => r.type.endsWith(`/${type}`))?.target ?? usual;
    const stylesPart = partOf("styles", "xl/styles.xml");
    const formats = zip.has(stylesPart) ? parseStyles(await zip.text(stylesPart, budget)) : [];
    const stringsPart = partOf("sharedStrings", "xl/sharedStrings.xml");
    const workbook = new XlsxWorkbook(zip, sheets, date1904, formats, stringsPart);
    workbook.budget.used = budget.used;
    return workbook;
  }

  private async strings(): Promise<string[]> {
    if (this.sharedStrings) return this.sharedStrings;
    const strings: string[] = [];
    const part = this.stringsPart;
    if (this.zip.has(part)) {
      const xml = xmlParser();
      let current: string[] | null = null;
      let inText = false;
      let phonetic = 0;
      xml.parser.on("opentag", (tag) => {
        const name = localName(tag.name);
        if (name === "si") current = [];
        else if (name === "rPh") phonetic++;
        else if (name === "t" && !phonetic) inText = true;
      });
      xml.parser.on("text", (text) => {
        if (inText && current) current.push(text);
      });
      xml.parser.on("closetag", (tag) => {
        const name = localName(tag.name);
        if (name === "t") inText = false;
        else if (name === "rPh") phonetic--;
        else if (name === "si" && current) {
          strings.push(current.join(""));
          current = null;
        }
      });
      for await (const text of decoded(this.zip.stream(part, this.budget, READ_LIMITS.sharedStringsBytes))) xml.write(text);
      xml.close();
    }
    this.sharedStrings = strings;
    return strings;
  }

  /**
   * Reads a sheet through once without parsing it: its unpacked size is charged to the budget (so a
   * bomb is refused at the speed of inflating, before any parsing), and its merged ranges are found.
   */
  async survey(sheet: WorkbookSheet): Promise<CellRange[]> {
    const merges: CellRange[] = [];
    // "<mergeCell " or, from tools that prefix the namespace, "<x:mergeCell ".
    const marker = Buffer.from("mergeCell ");
    let carry = Buffer.alloc(0);
    for await (const chunk of this.zip.stream(sheet.part, this.budget)) {
      const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let at = buffer.indexOf(marker);
      let consumed = 0;
      while (at >= 0) {
        const end = buffer.indexOf(0x3e, at);
        if (end < 0) break;
        const ref = /\bref="([^"]+)"/.exec(buffer.toString("latin1", at, end + 1))?.[1];
        const range = ref ? parseRange(ref) : null;
        if (range) merges.push(range);
        consumed = end + 1;
        at = buffer.indexOf(marker, consumed);
      }
      // Keep the tail, in case a mergeCell element is cut between two chunks.
      const keepFrom = Math.max(consumed, buffer.length - 256);
      carry = Buffer.from(buffer.subarray(keepFrom));
    }
    return merges;
  }

  /**
   * The sheet's rows in order, with their spreadsheet row numbers; blank rows left out. A range merged
   * down a column reads as its top value in every row it covers (a unit name merged over its cadres).
   */
  async *rows(sheet: WorkbookSheet, options: { merges?: CellRange[]; maxRows?: number } = {}): AsyncGenerator<SheetRow> {
    const strings = await this.strings();
    const merges = [...(options.merges ?? [])].sort((a, b) => a.top - b.top);
    const mergeValues = new Map<CellRange, Cell>();
    const maxRows = options.maxRows ?? READ_LIMITS.rows + READ_LIMITS.headerScanRows;
    const xml = xmlParser();
    const ready: SheetRow[] = [];
    let rowNumber = 0;
    let cells: Cell[] = [];
    let inRow = false;
    let col = 0;
    let type: string | undefined;
    let style = 0;
    let text: string[] = [];
    let capture = false;
    let inInline = false;
    let rowsSeen = 0;
    let bytesInRow = 0;

    const value = (): Cell => {
      const raw = text.join("");
      switch (type) {
        case "s": {
          const index = Number(raw);
          return Number.isInteger(index) ? (strings[index] ?? null) : null;
        }
        case "inlineStr":
        case "str":
        case "e":
          return raw;
        case "b":
          return raw === "1" || raw === "true";
        case "d": {
          const d = new Date(/Z|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`);
          return Number.isNaN(d.getTime()) ? raw : d;
        }
        default: {
          if (raw === "") return null;
          const n = Number(raw);
          if (!Number.isFinite(n)) return raw;
          const format = this.formats[style];
          if (format?.kind === "date") return serialToDate(n, this.date1904) ?? n;
          if (format?.kind === "fixed" && (format.integerDigits > 1 || format.decimals > 0)) return formatFixed(n, format) ?? n;
          return n;
        }
      }
    };

    xml.parser.on("opentag", (tag) => {
      switch (localName(tag.name)) {
        case "row": {
          inRow = true;
          const r = Number(attr(tag, "r"));
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          cells = [];
          col = 0;
          break;
        }
        case "c":
          col = columnOf(attr(tag, "r")) ?? col + 1;
          type = attr(tag, "t");
          style = Number(attr(tag, "s") ?? 0) || 0;
          text = [];
          break;
        case "v":
          capture = !inInline;
          break;
        case "is":
          inInline = true;
          break;
        case "t":
          if (inInline) capture = true;
          break;
        case "rPh":
          capture = false;
          break;
      }
    });
    xml.parser.on("text", (t) => {
      if (capture) text.push(t);
    });
    xml.parser.on("closetag", (tag) => {
      switch (localName(tag.name)) {
        case "v":
        case "t":
          capture = false;
          break;
        case "is":
          inInline = false;
          break;
        case "c": {
          if (!inRow) break;
          const v = value();
          if (v === null || v === "") break;
          if (col > READ_LIMITS.columns) throw refuse("imports.errors.tooManyColumns", { max: READ_LIMITS.columns });
          if (typeof v === "string" && v.length > READ_LIMITS.cellChars) {
            throw refuse("imports.errors.cellTooLong", { row: rowNumber, max: READ_LIMITS.cellChars });
          }
          cells[col - 1] = v;
          break;
        }
        case "row": {
          inRow = false;
          bytesInRow = 0;
          rowsSeen++;
          if (rowsSeen > maxRows) throw refuse("imports.errors.tooManyRows", { max: READ_LIMITS.rows });
          const filled = applyMerges(rowNumber, cells, merges, mergeValues);
          if (filled.some((c) => c !== null && c !== undefined && !(typeof c === "string" && !c.trim()))) {
            ready.push({ row: rowNumber, cells: Array.from(filled, (c) => c ?? null) });
          }
          break;
        }
      }
    });

    for await (const chunk of decoded(this.zip.stream(sheet.part, this.budget))) {
      bytesInRow += chunk.length;
      xml.write(chunk);
      if (bytesInRow > READ_LIMITS.rowBytes) throw refuse("imports.errors.rowTooLarge", { row: rowNumber + 1 });
      while (ready.length) yield ready.shift()!;
    }
    xml.close();
    while (ready.length) yield ready.shift()!;
  }
}

interface Relationship {
  id: string;
  type: string;
  /** The part it points to, from the archive's root. */
  target: string;
}

/** A relationships part, its targets resolved against the part they belong to. */
function relationships(xml: string, from: string): Relationship[] {
  const base = from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "";
  const out: Relationship[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[0])?.[1];
    const type = /\bType="([^"]*)"/.exec(m[0])?.[1] ?? "";
    const target = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
    if (!id || !target || /\bTargetMode="External"/.test(m[0])) continue;
    out.push({ id, type, target: resolvePart(base, decodeXml(target)) });
  }
  return out;
}

function resolvePart(base: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : base + target).split("/");
  const resolved: string[] = [];
  for (const p of parts) {
    if (p === "..") resolved.pop();
    else if (p !== "." && p !== "") resolved.push(p);
  }
  return resolved.join("/");
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, "&");
}

/** cellXfs in order: the number format of each cell style. */
function parseStyles(xml: string): NumberFormat[] {
  const codes = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b[^>]*>/g)) {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[0])?.[1]);
    const code = /\bformatCode="([^"]*)"/.exec(m[0])?.[1];
    if (Number.isInteger(id) && code !== undefined) codes.set(id, decodeXml(code));
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? "";
  const formats: NumberFormat[] = [];
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b[^>]*>/g)) {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[0])?.[1] ?? 0);
    formats.push(numberFormat(id, codes.get(id)));
  }
  return formats;
}

/**
 * A row's cells with the ranges merged down a column filled from their top cell: a unit's name merged
 * over its cadres' rows belongs to each of them. A range merged across (a title over the columns)
 * keeps its value in its first cell, where Excel keeps it.
 */
function applyMerges(row: number, cells: Cell[], merges: CellRange[], values: Map<CellRange, Cell>): Cell[] {
  if (!merges.length) return cells;
  for (const m of merges) {
    if (m.top > row) break;
    if (m.bottom < row || m.bottom === m.top) continue;
    if (m.top === row) {
      values.set(m, cells[m.left - 1] ?? null);
      continue;
    }
    const value = values.get(m) ?? null;
    if (value !== null && (cells[m.left - 1] == null || cells[m.left - 1] === "")) cells[m.left - 1] = value;
  }
  return cells;
}
