import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Each cross-cutting concern has one home (STYLE.md 14, issue 22): a second hand-written copy is a bug
 * waiting to diverge. These scans fail when one reappears in the source (app/, db/, emails/, bench/,
 * server.js), naming the file and line.
 */
const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory())
      return name === "node_modules" || name === "migrations" || name.startsWith(".") ? [] : sourceFiles(full);
    return /\.(ts|tsx|js)$/.test(name) ? [full] : [];
  });
}
const files = [...["app", "db", "emails", "bench"].flatMap((d) => sourceFiles(path.join(root, d))), path.join(root, "server.js")];

/** Lines matching the pattern, outside the given home(s), as "file:line: text". */
function occurrences(pattern: RegExp, homes: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const relative = path.relative(root, file);
    if (homes.includes(relative)) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (pattern.test(line)) out.push(`${relative}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

describe("one home for each cross-cutting concern", () => {
  it("Shanghai's UTC+8 offset is written only in app/utils/dates.ts", () => {
    const offsetArithmetic =
      /8 \* 3_?600_?000|8 \* 60 \* 60|8 \* 60\b|28_?800_?000|480 \* 60|[+-]08:00|\+ ?8 ?\* ?3_?600|getTimezoneOffset/;
    expect(occurrences(offsetArithmetic, ["app/utils/dates.ts"])).toEqual([]);
  });

  it("iCalendar files are built only by app/utils/ical.server.ts", () => {
    expect(occurrences(/VTIMEZONE|from "ical-generator"/, ["app/utils/ical.server.ts"])).toEqual([]);
  });

  it("cookies are read and written only through app/utils/cookies.server.ts", () => {
    expect(occurrences(/headers\.get\(["']cookie["']\)|HttpOnly|SameSite=|from "cookie"/i, ["app/utils/cookies.server.ts"])).toEqual([]);
  });

  it("the SQL helpers live in app/utils/sql.server.ts", () => {
    expect(
      occurrences(/function (escapeLike|idList|textList|jsonIdList|jsonList)\b|jsonb_array_elements_text\(\$\{JSON/, [
        "app/utils/sql.server.ts",
      ]),
    ).toEqual([]);
  });

  it("the environment is read through app/utils/env.server.ts", () => {
    const homes = ["app/utils/env.server.ts", "server.js", "app/utils/db.server.ts", "app/server/start.server.ts"];
    expect(occurrences(/process\.env\.(?!VITEST\b|BENCH_|NODE_ENV \?\?=)[A-Z]|safeParse\(process\.env\)/, homes)).toEqual([]);
  });
});
