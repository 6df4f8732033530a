import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/utils/env.server";
import { acceptedOrigins, appOrigin, isSameOriginRequest, linkOrigin } from "~/utils/origin.server";

const saved = { APP_ORIGIN: process.env.APP_ORIGIN, PORT: process.env.PORT };
function withEnv(vars: { APP_ORIGIN?: string; PORT?: string }) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
afterEach(() => withEnv(saved));

describe("the app's one origin", () => {
  it("is APP_ORIGIN, spelled as an origin", () => {
    withEnv({ APP_ORIGIN: "https://luoshi.example.gov.cn/", PORT: "8080" });
    expect(appOrigin()).toBe("https://luoshi.example.gov.cn");
    expect(acceptedOrigins()).toEqual(["https://luoshi.example.gov.cn"]);
    expect(linkOrigin()).toBe("https://luoshi.example.gov.cn");
  });

  it("is http://localhost:PORT for the embedded demo, which also accepts its loopback spellings", () => {
    withEnv({ APP_ORIGIN: undefined, PORT: "3100" });
    expect(appOrigin()).toBe("http://localhost:3100");
    expect(acceptedOrigins()).toEqual(["http://localhost:3100", "http://127.0.0.1:3100", "http://[::1]:3100"]);
  });
});

describe("isSameOriginRequest (the one origin rule)", () => {
  const accepted = ["https://luoshi.example.cn"];
  it.each([
    ["GET", {}, true],
    ["HEAD", { origin: "https://evil.example" }, true],
    ["POST", { origin: "https://luoshi.example.cn" }, true],
    // Another scheme or port is another origin.
    ["POST", { origin: "http://luoshi.example.cn" }, false],
    ["POST", { origin: "https://luoshi.example.cn:8443" }, false],
    ["POST", { origin: "https://evil.example" }, false],
    ["POST", { origin: "https://luoshi.example.cn.evil.example" }, false],
    // An opaque origin names no page of ours, whatever Sec-Fetch-Site claims.
    ["POST", { origin: "null" }, false],
    ["POST", { origin: "null", secFetchSite: "same-origin" }, false],
    ["POST", { origin: "not a url" }, false],
    ["POST", { secFetchSite: "same-origin" }, true],
    ["POST", { secFetchSite: "cross-site" }, false],
    ["POST", { secFetchSite: "same-site" }, false],
    ["POST", {}, false],
    ["DELETE", { origin: "https://evil.example" }, false],
  ] as const)("%s %j → %s", (method, headers, expected) => {
    expect(isSameOriginRequest(method, headers, accepted)).toBe(expected);
  });

  it("never looks at the Host header: a forged Host cannot make another site's origin ours", () => {
    const forged = { origin: "https://evil.example", host: "evil.example", "x-forwarded-host": "evil.example" };
    expect(isSameOriginRequest("POST", forged, accepted)).toBe(false);
  });
});
