import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/**
 * Debian's Chromium for the end-to-end tests (Playwright cannot download its own browser here). `npm
 * test` and `.ci/run` call this file first: it finds the browser, or installs Debian's package when
 * it can (as root, or with password-less sudo), saying so; otherwise it stops at once with the one
 * command to run, before minutes of other suites have gone by.
 */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const INSTALL = "sudo apt-get install -y chromium";

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** CHROMIUM_PATH, else Debian's package; null when neither is there. */
export function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return executable(configured) ? configured : null;
  return CANDIDATES.find(executable) ?? null;
}

function canInstall(): "root" | "sudo" | null {
  if (spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status !== 0) return null;
  if (process.getuid?.() === 0) return "root";
  return spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0 ? "sudo" : null;
}

function ensureChromium(): number {
  const found = findChromium();
  if (found) return 0;
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable. Unset it, or point it at Chromium.`);
    return 1;
  }
  const how = canInstall();
  if (!how) {
    console.error(
      `The end-to-end tests need Chromium, which is not installed. Install it with:\n\n  ${INSTALL}\n\n(or set CHROMIUM_PATH to a Chromium or Chrome binary), then run npm test again.`,
    );
    return 1;
  }
  console.log("Chromium is not installed: installing Debian's package for the end-to-end tests (apt-get install -y chromium)…");
  const run = (args: string[]) =>
    execFileSync(how === "root" ? args[0]! : "sudo", how === "root" ? args.slice(1) : args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  try {
    run(["apt-get", "update", "-qq"]);
    run(["apt-get", "install", "-y", "-qq", "chromium"]);
  } catch {
    console.error(`Installing Chromium failed. Install it with:\n\n  ${INSTALL}\n`);
    return 1;
  }
  if (!findChromium()) {
    console.error(`Chromium is still not found after installing. Install it with:\n\n  ${INSTALL}\n`);
    return 1;
  }
  console.log(`Chromium installed: ${findChromium()}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureChromium());
