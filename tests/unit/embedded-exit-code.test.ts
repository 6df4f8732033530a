import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("a process that loads the embedded database", () => {
  it("ends with the exit code it set when its event loop drains (a failing test run fails CI)", () => {
    const script = 'await import("./db/embedded.ts"); process.exitCode = 3;';
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(3);
  });

  it("can load it twice, as Vitest's global setups do", () => {
    const script = 'await import("./db/embedded.ts"); await import("./db/embedded.ts?again"); process.exitCode = 3;';
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(3);
  });
});
