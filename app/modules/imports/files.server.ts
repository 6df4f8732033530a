import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { and, asc, eq, gt } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { importFiles } from "~db/schema";

/**
 * Uploaded files on their way through an import: a temporary file while it is read, and a copy in
 * PostgreSQL (import_files, a megabyte a row) between preview and confirmation, so that any app
 * server can confirm it. Both are written and read as streams.
 */

const PIECE = 1024 * 1024;
const TEMP_DIR = path.join(os.tmpdir(), "luoshi-imports");

/** A fresh path for a temporary file, in a directory only this user can read (uploads hold personal data). */
export async function tempFilePath(extension = ""): Promise<string> {
  await fs.mkdir(TEMP_DIR, { recursive: true, mode: 0o700 });
  return path.join(TEMP_DIR, `${randomBytes(12).toString("hex")}${extension.replace(/[^.\w]/g, "")}`);
}

/** Runs `fn` with the bytes in a temporary file, removed afterwards. */
export async function withTempFile<T>(bytes: Uint8Array, extension: string, fn: (filePath: string) => Promise<T>): Promise<T> {
  const filePath = await tempFilePath(extension);
  await fs.writeFile(filePath, bytes, { mode: 0o600 });
  try {
    return await fn(filePath);
  } finally {
    await fs.rm(filePath, { force: true });
  }
}

export async function removeTempFile(filePath: string | null | undefined): Promise<void> {
  if (filePath) await fs.rm(filePath, { force: true });
}

/** SHA-256 and size of a file, read as a stream. */
export async function fileDigest(filePath: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: PIECE })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Keeps a file with its batch, a piece at a time. */
export async function storeFile(db: DbOrTx, batchId: number, filePath: string): Promise<void> {
  let seq = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: PIECE })) {
    await db.insert(importFiles).values({ batchId, seq: seq++, data: chunk as Buffer });
  }
}

/** A batch's kept file as a temporary file for `fn`, removed afterwards. */
export async function withStoredFile<T>(db: DbOrTx, batchId: number, extension: string, fn: (filePath: string) => Promise<T>): Promise<T> {
  const filePath = await tempFilePath(extension);
  try {
    const out = createWriteStream(filePath, { mode: 0o600 });
    await pipeline(async function* () {
      let seq = -1;
      while (true) {
        const [piece] = await db
          .select({ seq: importFiles.seq, data: importFiles.data })
          .from(importFiles)
          .where(and(eq(importFiles.batchId, batchId), gt(importFiles.seq, seq)))
          .orderBy(asc(importFiles.seq))
          .limit(1);
        if (!piece) return;
        seq = piece.seq;
        yield piece.data;
      }
    }, out);
    return await fn(filePath);
  } finally {
    await fs.rm(filePath, { force: true });
  }
}

export async function dropStoredFile(db: DbOrTx, batchId: number): Promise<void> {
  await db.delete(importFiles).where(eq(importFiles.batchId, batchId));
}
