import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "~/locales";
import { EMAIL_TEMPLATES } from "~emails/index";

function flatten(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" || name.startsWith(".") ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const zh = new Set(flatten(resources["zh-CN"].translation));
const en = new Set(flatten(resources.en.translation));

describe("translations", () => {
  it("have the same keys in Chinese and English", () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it("cover every literal key the code asks for", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const missing: string[] = [];
    for (const file of [...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "emails"))]) {
      if (file.includes(`${path.sep}locales${path.sep}`)) continue;
      const text = readFileSync(file, "utf8");
      // t("a.b"), t('a.b'), i18nKey="a.b", and zod messages / DomainError keys written as "ns.key" strings.
      for (const match of text.matchAll(/\bt\(\s*["']([a-zA-Z][\w-]*(?:\.[\w-]+)+)["']/g)) {
        if (!zh.has(match[1]!)) missing.push(`${path.relative(root, file)}: ${match[1]}`);
      }
      // Message keys returned by services and schemas: the pure message namespaces, or any key two
      // levels deep in a capability's namespace (one level, like "email.retry", is an audit action).
      for (const match of text.matchAll(
        /["']((?:validation|errors|auth)\.[\w.]+|(?:admin|organization|imports|email)\.\w+\.[\w.]+)["']/g,
      )) {
        if (!zh.has(match[1]!) && !match[1]!.endsWith(".")) missing.push(`${path.relative(root, file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("name every email template in the outbox, in both languages", () => {
    const unnamed = Object.keys(EMAIL_TEMPLATES).filter((name) => !zh.has(`email.outbox.templates.${name}`));
    expect(unnamed).toEqual([]);
  });
});
