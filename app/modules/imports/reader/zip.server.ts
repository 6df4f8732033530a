import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";
import { mb, READ_LIMITS, refuse } from "./limits";

/**
 * Just enough of the zip format to read an .xlsx from a file without holding it in memory: the
 * central directory (at the end of the file) lists the parts, and each part is inflated as a stream.
 * Sizes written in the archive are not trusted: what is inflated is counted, and reading stops at the
 * limit (`UnpackBudget`), however the archive describes itself.
 */

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Bytes unpacked so far from one workbook, against READ_LIMITS.unpackedBytes. */
export class UnpackBudget {
  used = 0;
  constructor(readonly limit: number = READ_LIMITS.unpackedBytes) {}
  take(bytes: number) {
    this.used += bytes;
    if (this.used > this.limit) throw refuse("imports.errors.unpackedTooLarge", { mb: mb(this.limit) });
  }
}

export class ZipArchive {
  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  static async open(path: string, handle: FileHandle): Promise<ZipArchive> {
    const { size } = await handle.stat();
    // The end-of-central-directory record is in the last 22 bytes, or before a comment of up to 64 KB.
    const tailSize = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, size - tailSize);
    let at = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw refuse("imports.errors.unreadable");
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12);
    const dirOffset = tail.readUInt32LE(at + 16);
    // Zip64 (archives over 4 GB or 65,535 parts) is not something a spreadsheet of this size needs.
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) throw refuse("imports.errors.unreadable");
    if (dirOffset + dirSize > size || count > 10_000) throw refuse("imports.errors.unreadable");
    const dir = Buffer.alloc(dirSize);
    await handle.read(dir, 0, dirSize, dirOffset);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw refuse("imports.errors.unreadable");
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      const entry: ZipEntry = {
        flags: dir.readUInt16LE(p + 8),
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        declaredSize: dir.readUInt32LE(p + 24),
        localHeaderOffset: dir.readUInt32LE(p + 42),
        name: dir.toString("utf8", p + 46, p + 46 + nameLength),
      };
      // Part names are case-insensitive in the package format, and some tools write Windows separators.
      entries.set(partKey(entry.name), entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(path, handle, entries);
  }

  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  /**
   * A part's bytes, inflated as they are read. Every chunk is charged to the budget before it is handed
   * on, so a bomb is refused when the budget runs out, whatever its size.
   */
  async *stream(name: string, budget: UnpackBudget, limit = Number.POSITIVE_INFINITY): AsyncGenerator<Buffer> {
    const entry = this.entries.get(partKey(name));
    if (!entry) throw refuse("imports.errors.unreadable");
    if (entry.flags & 1) throw refuse("imports.errors.encrypted");
    if (entry.method !== 0 && entry.method !== 8) throw refuse("imports.errors.unreadable");
    const tooLarge = (bytes: number) => refuse("imports.errors.unpackedTooLarge", { mb: mb(bytes) });
    // An honest archive says how big the part is: refuse at once what says it is too big.
    if (entry.declaredSize > limit) throw tooLarge(limit);
    if (budget.used + entry.declaredSize > budget.limit) throw tooLarge(budget.limit);
    const header = Buffer.alloc(30);
    await this.handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL) throw refuse("imports.errors.unreadable");
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (entry.compressedSize === 0) return;
    const raw = createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
    const source = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 64 * 1024 })) : raw;
    let own = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        own += chunk.length;
        if (own > limit) throw tooLarge(limit);
        budget.take(chunk.length);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof Error && "code" in error && String((error as { code: unknown }).code).startsWith("Z_")) {
        throw refuse("imports.errors.unreadable");
      }
      throw error;
    } finally {
      raw.destroy();
      if (source !== raw) (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }
  }

  /** A small part (workbook, relationships, styles) as text. */
  async text(name: string, budget: UnpackBudget): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this.stream(name, budget, 16 * 1024 * 1024)) parts.push(chunk);
    return Buffer.concat(parts).toString("utf8");
  }
}

/** A part's name as the archive is looked up by: no leading slash, forward slashes, lower case. */
function partKey(name: string): string {
  return name.replace(/\\/g, "/").replace(/^\//, "").toLowerCase();
}
