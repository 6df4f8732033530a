import { beforeAll, describe, expect, it } from "vitest";
import * as password from "~/routes/account.password";
import * as locale from "~/routes/locale";
import * as login from "~/routes/login";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

/**
 * Every place that redirects to a target the request names uses one rule (~/utils/redirects): the
 * issue's open redirect after sign-in (`/\t/evil.example/phish`, which a browser reads as
 * //evil.example), and a CR/LF in the target, which gave a 500.
 */
const conn = await testDatabase();
const db = conn.db;

const EVIL = ["/\t/evil.example/phish", "/%09/evil.example/phish", "//evil.example", "/\\evil.example", "/x\r\nSet-Cookie: a=b"];

let userId: number;
beforeAll(async () => {
  userId = (await createUser(db, { email: "redirect@example.cn", password: "correct horse" })).id;
});

describe("user-supplied redirect targets", () => {
  it("after sign-in: only a path on this site, else home", async () => {
    for (const redirectTo of EVIL) {
      const res = await callRoute(
        login.action,
        makeRequest("/login", { form: { identifier: "redirect@example.cn", password: "correct horse", redirectTo } }),
      );
      expect({ redirectTo, status: res.status, location: res.location }).toEqual({ redirectTo, status: 302, location: "/" });
    }
    const back = await callRoute(
      login.action,
      makeRequest("/login", { form: { identifier: "redirect@example.cn", password: "correct horse", redirectTo: "/classes?year=2026" } }),
    );
    expect(back.location).toBe("/classes?year=2026");
  });

  it("after switching the language", async () => {
    for (const redirectTo of EVIL) {
      const res = await callRoute(locale.action, makeRequest("/locale", { form: { locale: "en", redirectTo } }));
      expect({ redirectTo, status: res.status, location: res.location }).toEqual({ redirectTo, status: 302, location: "/" });
    }
  });

  it("after the forced password change, and in the page that carries the target", async () => {
    const cookie = await cookieFor(db, userId);
    for (const redirectTo of EVIL) {
      const page = await callRoute<any>(
        password.loader,
        makeRequest(`/account/password?redirectTo=${encodeURIComponent(redirectTo)}`, { cookie }),
      );
      expect(page.data.redirectTo).toBeNull();
    }
  });
});
