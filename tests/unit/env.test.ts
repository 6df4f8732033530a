import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv as parseEnvFile } from "node:util";
import { describe, expect, it } from "vitest";
import { startupWarnings } from "~/server/start.server";
import { ENV_VARIABLES, loadDotEnv, parseEnv, shouldSeedDemo } from "~/utils/env.server";

const root = path.resolve(import.meta.dirname, "../..");
const example = parseEnvFile(readFileSync(path.join(root, ".env.example"), "utf8"));

/** The variables the README's configuration table names (first column, in backticks). */
function readmeVariables(): string[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));
}

describe("the environment", () => {
  it("has one schema, and .env.example and the README list exactly its variables", () => {
    expect(Object.keys(example).sort()).toEqual([...ENV_VARIABLES].sort());
    expect(readmeVariables().sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it(".env.example loads as an env file and gives the defaults", () => {
    expect(parseEnv(example)).toEqual(parseEnv({}));
  });

  it("defaults to production and reads blank values as unset", () => {
    const config = parseEnv({ NODE_ENV: "", APP_ORIGIN: "", PORT: "", DATABASE_URL: "" });
    expect(config).toMatchObject({ NODE_ENV: "production", PORT: 3000, TRUST_PROXY: { kind: "none" }, RUN_WORKER: true });
    expect(config.APP_ORIGIN).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("spells APP_ORIGIN as an origin and refuses one with a path", () => {
    expect(parseEnv({ APP_ORIGIN: "https://luoshi.example.gov.cn/" }).APP_ORIGIN).toBe("https://luoshi.example.gov.cn");
    expect(() => parseEnv({ APP_ORIGIN: "https://luoshi.example.gov.cn/app" })).toThrow(/APP_ORIGIN: must be an origin only/);
    expect(() => parseEnv({ APP_ORIGIN: "ftp://x.cn" })).toThrow(/APP_ORIGIN/);
  });

  it("takes TRUST_PROXY as a hop count or proxy addresses, never every hop", () => {
    expect(parseEnv({ TRUST_PROXY: "0" }).TRUST_PROXY).toEqual({ kind: "none" });
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toEqual({ kind: "hops", hops: 1 });
    expect(parseEnv({ TRUST_PROXY: "10.0.0.2, 10.0.1.0/24, loopback" }).TRUST_PROXY).toEqual({
      kind: "addresses",
      addresses: ["10.0.0.2", "10.0.1.0/24", "loopback"],
    });
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY: true would trust every hop/);
    expect(() => parseEnv({ TRUST_PROXY: "my-proxy" })).toThrow(/TRUST_PROXY/);
  });

  it("names every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "eighty", CHECKIN_SECRET: "short", RUN_WORKER: "maybe" })).toThrow(
      /PORT:[\s\S]*RUN_WORKER:[\s\S]*CHECKIN_SECRET: must be at least 32 characters/,
    );
  });

  it("seeds the demo into an empty embedded database, and into DATABASE_URL's only when asked", () => {
    expect(shouldSeedDemo({ DATABASE_URL: undefined, SEED_DEMO: undefined })).toBe(true);
    expect(shouldSeedDemo({ DATABASE_URL: undefined, SEED_DEMO: false })).toBe(false);
    expect(shouldSeedDemo({ DATABASE_URL: "postgres://db/luoshi", SEED_DEMO: undefined })).toBe(false);
    expect(shouldSeedDemo({ DATABASE_URL: "postgres://db/luoshi", SEED_DEMO: true })).toBe(true);
  });

  it("warns at start when a DATABASE_URL deployment runs without APP_ORIGIN", () => {
    expect(startupWarnings(parseEnv({ DATABASE_URL: "postgres://db/luoshi", PORT: "8080" }))).toEqual([
      expect.stringMatching(/^APP_ORIGIN is not set\. Links .* point to http:\/\/localhost:8080/),
    ]);
    expect(startupWarnings(parseEnv({ DATABASE_URL: "postgres://db/luoshi", APP_ORIGIN: "https://luoshi.example.gov.cn" }))).toEqual([]);
    expect(startupWarnings(parseEnv({}))).toEqual([]);
  });

  it("reads .env when present, without overriding the real environment", () => {
    const file = path.join(os.tmpdir(), `luoshi-env-${process.pid}`);
    writeFileSync(file, 'LUOSHI_TEST_FROM_FILE="from file"\nLUOSHI_TEST_SET_BOTH=file\n');
    process.env.LUOSHI_TEST_SET_BOTH = "environment";
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.LUOSHI_TEST_FROM_FILE).toBe("from file");
      expect(process.env.LUOSHI_TEST_SET_BOTH).toBe("environment");
      expect(loadDotEnv(`${file}.missing`)).toBe(false);
    } finally {
      delete process.env.LUOSHI_TEST_FROM_FILE;
      delete process.env.LUOSHI_TEST_SET_BOTH;
    }
  });
});
