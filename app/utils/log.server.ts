/**
 * What the server writes about an error, without personal data (DESIGN.md: none in logs). A failed
 * query is described by its SQL text and PostgreSQL's code and object names, never its parameters (the
 * names, phone numbers and emails it carried); messages lose their quoted values; stacks keep only
 * their frames. The cause chain is followed a few levels.
 *
 *   console.error(`[error ${id}] POST /login: ${describeError(error)}`)
 */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const e = error as Error & Record<string, unknown>;
  const parts: string[] = [];
  if (typeof e.query === "string" && "params" in e) {
    // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>". The SQL text has placeholders only.
    parts.push(`${e.name}: failed query: ${oneLine(e.query)}`);
  } else if (typeof e.code === "string" && ("severity" in e || "routine" in e)) {
    // postgres.js's PostgresError: SQLSTATE, and which table, column or constraint, never the row.
    const where = ["table_name", "column_name", "constraint_name"].filter((k) => typeof e[k] === "string").map((k) => `${k}=${e[k]}`);
    parts.push(`PostgresError ${e.code}: ${redact(e.message)}${where.length ? ` (${where.join(", ")})` : ""}`);
  } else {
    parts.push(`${e.name}: ${redact(e.message)}`);
  }
  const frames = (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  if (frames.length) parts.push(frames.slice(0, 12).join("\n"));
  if (e.cause !== undefined && depth < 3) parts.push(`caused by ${describeError(e.cause, depth + 1)}`);
  return parts.join("\n");
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** describeError in one line, without the stack: what a job's summary or a warning carries. */
export function errorSummary(error: unknown): string {
  return describeError(error)
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join(" ← ");
}

/**
 * A message with the values people typed taken out: quoted text (PostgreSQL quotes the offending input:
 * `invalid input syntax for type integer: "13800138000"`), and, as a backstop, anything shaped like an
 * email address or a long number (a phone, an id card).
 */
export function redact(message: string): string {
  return message
    .replace(/"[^"\n]*"/g, '"…"')
    .replace(/'[^'\n]*'/g, "'…'")
    .replace(/[^\s@"'<>()]+@[^\s@"'<>()]+/g, "<email>")
    .replace(/\d{7,}/g, "<number>");
}
