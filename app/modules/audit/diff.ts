/**
 * A field-by-field difference between an audit row's before and after snapshots, for people to read:
 * nested objects are walked into ("model.weights.attendance"), arrays and scalars compared whole, and
 * only what changed is listed. A row with only an after (a creation) lists every field as new; with
 * only a before (a deletion), every field as removed.
 */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function displayValue(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)) return v.map((x) => String(x)).join("、");
  return JSON.stringify(v);
}

const MAX_DEPTH = 3;

function walk(before: unknown, after: unknown, path: string, depth: number, out: FieldChange[]) {
  if ((isPlainObject(before) || isPlainObject(after)) && depth < MAX_DEPTH && !Array.isArray(before) && !Array.isArray(after)) {
    const b = isPlainObject(before) ? before : {};
    const a = isPlainObject(after) ? after : {};
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
      walk(b[key], a[key], path ? `${path}.${key}` : key, depth + 1, out);
    }
    return;
  }
  const from = displayValue(before);
  const to = displayValue(after);
  if (from !== to) out.push({ field: path || "value", before: from, after: to });
}

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  if ((before === null || before === undefined) && (after === null || after === undefined)) return out;
  walk(before ?? null, after ?? null, "", 0, out);
  return out;
}
