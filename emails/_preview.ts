/**
 * `npm run email:preview`: renders every template with its PreviewProps, in Chinese and in English, to
 * static files in emails/.preview/ (git-ignored) — open index.html in a browser. No preview server.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderEmail } from "~/modules/email/render.server";
import { LOCALES } from "~/utils/i18n";
import { EMAIL_TEMPLATE_NAMES, EMAIL_TEMPLATES } from "./index";

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), ".preview");

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

async function main() {
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(outDir, { recursive: true });
  const entries: string[] = [];
  for (const name of EMAIL_TEMPLATE_NAMES) {
    for (const locale of LOCALES) {
      const props = { ...EMAIL_TEMPLATES[name].previewProps, locale };
      const rendered = await renderEmail(name, props as never);
      const base = `${name}.${locale}`;
      await fs.writeFile(path.join(outDir, `${base}.html`), rendered.html);
      await fs.writeFile(path.join(outDir, `${base}.txt`), `Subject: ${rendered.subject}\n\n${rendered.text}\n`);
      entries.push(
        `<li><strong>${escapeHtml(name)}</strong> (${locale}) — ${escapeHtml(rendered.subject)} — ` +
          `<a href="${base}.html">HTML</a> · <a href="${base}.txt">text</a></li>`,
      );
    }
  }
  await fs.writeFile(
    path.join(outDir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>Luoshi email previews</title><h1>Email previews</h1><ul>${entries.join("\n")}</ul>`,
  );
  console.log(`Rendered ${entries.length} previews to ${path.relative(process.cwd(), outDir)}/ — open index.html`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
