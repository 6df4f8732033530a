import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { type UploadHandlerPart, unstable_parseMultipartFormData } from "@remix-run/node";
import type { CurrentUser } from "~/modules/auth/roles";
import type { FieldErrors } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { requireImportKind } from "./access.server";
import { fileExtension, IMPORT_EXTENSIONS, LEGACY_EXTENSIONS, MAX_IMPORT_BYTES, MAX_IMPORT_MB } from "./constants";
import { removeTempFile, tempFilePath } from "./files.server";
import { findImportKind } from "./kinds.server";
import { paramField } from "./schema";

/**
 * An import upload, taken apart as it streams in: the form's fields come first (the page puts them
 * before the file), so the kind and its parameters are checked against who is uploading — their role,
 * and a kind's own rule such as "only for a session whose venue you run" — before a byte of the file is
 * read; then the file goes to a temporary file, counted as it comes and cut off at the size limit. Only
 * then does anything parse it.
 */

/** Room for the other form fields and the multipart boundaries around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** A text field of the upload form is a kind, a session code, a sheet name. */
const MAX_FIELD_BYTES = 4 * 1024;

export type ReceivedUpload =
  | { ok: true; kind: string; params: Record<string, string>; sheet: string | null; fileName: string; path: string }
  | { ok: false; errors: FieldErrors };

class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("upload refused");
  }
}

async function fieldText(part: UploadHandlerPart): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of part.data) {
    size += chunk.length;
    if (size > MAX_FIELD_BYTES) throw new Refused({ form: ["validation.tooLong"] });
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Reads an upload from the request. Throws a 403/404 Response for a kind the user may not import; a
 * refusal that belongs beside a field (missing file, wrong type, too large, a session not theirs)
 * comes back as errors. The caller removes the temporary file when done (`removeTempFile`).
 */
export async function receiveUpload(request: Request, user: CurrentUser, db: DbOrTx): Promise<ReceivedUpload> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES + MULTIPART_OVERHEAD)
    return { ok: false, errors: { file: [{ key: "imports.errors.fileTooLarge", params: { mb: MAX_IMPORT_MB } }] } };
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return { ok: false, errors: { file: ["imports.errors.fileRequired"] } };
  }

  const fields: Record<string, string> = {};
  let path: string | null = null;
  let fileName = "";
  const handler = async (part: UploadHandlerPart): Promise<string | undefined> => {
    if (part.filename === undefined) {
      if (part.name in fields) throw new Refused({ form: ["validation.invalid"] });
      fields[part.name] = await fieldText(part);
      return undefined;
    }
    if (part.name !== "file" || path !== null) throw new Refused({ form: ["validation.invalid"] });
    fileName = part.filename;
    // A browser sends an empty, nameless part when no file was chosen.
    if (!fileName) throw new Refused({ file: ["imports.errors.fileRequired"] });
    await authorise(fields, user, db);
    const ext = fileExtension(fileName);
    if ((LEGACY_EXTENSIONS as readonly string[]).includes(ext)) throw new Refused({ file: ["imports.errors.xlsFormat"] });
    if (!(IMPORT_EXTENSIONS as readonly string[]).includes(ext)) throw new Refused({ file: ["imports.errors.fileType"] });
    path = await tempFilePath(ext);
    const out = createWriteStream(path, { mode: 0o600 });
    let size = 0;
    try {
      for await (const chunk of part.data) {
        size += chunk.length;
        if (size > MAX_IMPORT_BYTES) throw new Refused({ file: [{ key: "imports.errors.fileTooLarge", params: { mb: MAX_IMPORT_MB } }] });
        if (!out.write(chunk)) await once(out, "drain");
      }
    } finally {
      out.end();
      await once(out, "close");
    }
    if (size === 0) throw new Refused({ file: ["imports.errors.emptyFile"] });
    // The path stays in this closure: a text field called "file" must never name a file to read.
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    await removeTempFile(path);
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    if (error instanceof Response) throw error;
    // A body that is not multipart after all, or cut short.
    if (error instanceof TypeError) return { ok: false, errors: { file: ["imports.errors.fileRequired"] } };
    throw error;
  }
  if (!path) {
    const errors = await fieldErrors(fields, user, db);
    return { ok: false, errors: { ...errors, file: ["imports.errors.fileRequired"] } };
  }
  const kind = fields.kind ?? "";
  const params = paramsOf(kind, fields);
  const sheet = fields.sheet?.trim() || null;
  return { ok: true, kind, params, sheet, fileName, path };
}

/** The kind's declared parameters from the form, trimmed; others are dropped. */
function paramsOf(kind: string, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of findImportKind(kind)?.params ?? []) {
    const value = fields[paramField(p.name)]?.trim();
    if (value) out[p.name] = value;
  }
  return out;
}

/** What is wrong with the fields before the file: the kind, a required parameter, the kind's own rule. */
async function fieldErrors(fields: Record<string, string>, user: CurrentUser, db: DbOrTx): Promise<FieldErrors> {
  const kind = findImportKind(fields.kind ?? "");
  if (!kind) return { kind: ["imports.errors.kind"] };
  requireImportKind(user, kind.kind);
  const errors: FieldErrors = {};
  for (const p of kind.params ?? []) {
    if (p.required && !fields[paramField(p.name)]?.trim()) errors[paramField(p.name)] = ["imports.errors.paramRequired"];
  }
  if (Object.keys(errors).length || !kind.authorise) return errors;
  const refused = await kind.authorise(db, paramsOf(kind.kind, fields), { actor: { userId: user.id }, scope: user.scope });
  if (refused) {
    const first = kind.params?.[0];
    errors[first ? paramField(first.name) : "file"] = [refused];
  }
  return errors;
}

async function authorise(fields: Record<string, string>, user: CurrentUser, db: DbOrTx) {
  const errors = await fieldErrors(fields, user, db);
  if (Object.keys(errors).length) throw new Refused(errors);
}
