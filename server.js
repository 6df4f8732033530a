// @ts-check
/**
 * `npm start` runs this: the app from its build (`npm run build` makes build/index.js), in which the
 * pages, the check-in fast path and the job worker are one module graph compiled by Remix
 * (docs/decisions/0019). Two things are settled here, before React is first loaded, because React picks
 * its production or development build at that moment: `.env` is read when present (the real
 * environment wins), and NODE_ENV defaults to production.
 */
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");
process.env.NODE_ENV ||= "production";

const buildFile = new URL("./build/index.js", import.meta.url);
if (!existsSync(buildFile)) {
  console.error("build/index.js is missing: run `npm run build` first (npm start does both).");
  process.exit(1);
}
/** @type {import("@remix-run/node").ServerBuild} */
const build = await import(buildFile.href);
/** @type {typeof import("./app/entry.server").startServer} */
const startServer = /** @type {any} */ (build.entry.module).startServer;
await startServer(build);
