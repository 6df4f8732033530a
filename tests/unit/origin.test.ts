import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "~/utils/origin.server";

describe("isSameOriginRequest", () => {
  const host = "luoshi.example.cn";
  it.each([
    ["GET", {}, true],
    ["HEAD", { origin: "https://evil.example" }, true],
    ["POST", { origin: "https://luoshi.example.cn", host }, true],
    ["POST", { origin: "http://luoshi.example.cn", host }, true],
    ["POST", { origin: "https://evil.example", host }, false],
    ["POST", { origin: "https://luoshi.example.cn.evil.example", host }, false],
    ["POST", { origin: "null", host }, false],
    ["POST", { origin: "not a url", host }, false],
    ["POST", { secFetchSite: "same-origin", host }, true],
    ["POST", { secFetchSite: "cross-site", host }, false],
    ["POST", { secFetchSite: "same-site", host }, false],
    ["POST", { host }, false],
    ["DELETE", { origin: "https://evil.example", host }, false],
  ] as const)("%s %j → %s", (method, headers, expected) => {
    expect(isSameOriginRequest(method, headers, [])).toBe(expected);
  });

  it("accepts the configured public origin behind a proxy that rewrites Host", () => {
    expect(isSameOriginRequest("POST", { origin: "https://luoshi.gov.cn", host: "10.0.0.5:3000" }, ["https://luoshi.gov.cn"])).toBe(true);
  });
});
