import { beforeAll, describe, expect, it } from "vitest";
import { navItems } from "~/components/app-shell";
import { getCurrentUser } from "~/modules/auth/guards.server";
import * as adminIndex from "~/routes/admin._index";
import * as attendanceIndex from "~/routes/attendance._index";
import * as cadreList from "~/routes/cadres._index";
import * as cadreRecord from "~/routes/cadres.$cadreId";
import * as classesIndex from "~/routes/classes._index";
import * as frontlineIndex from "~/routes/frontline._index";
import * as rankingsIndex from "~/routes/rankings._index";
import * as ratingsIndex from "~/routes/ratings._index";
import * as shortlistsIndex from "~/routes/shortlists._index";
import * as unitTree from "~/routes/units._index";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

/**
 * The navigation shows a section exactly when its page admits the user: for every kind of user, each
 * menu entry's loader answers 200, and every section left out answers 403. (A liaison was admitted to
 * the rankings by their rules while the menu hid them.)
 */
const conn = await testDatabase();
const db = conn.db;

type RouteFn = Parameters<typeof callRoute>[0];
const SECTIONS: { path: string; loader: RouteFn; params?: (cadreId: number | null) => Record<string, string> }[] = [
  { path: "/classes", loader: classesIndex.loader },
  { path: "/frontline", loader: frontlineIndex.loader },
  { path: "/attendance", loader: attendanceIndex.loader },
  { path: "/units", loader: unitTree.loader },
  { path: "/cadres", loader: cadreList.loader },
  { path: "/rankings", loader: rankingsIndex.loader },
  { path: "/shortlists", loader: shortlistsIndex.loader },
  { path: "/ratings", loader: ratingsIndex.loader },
  { path: "/admin", loader: adminIndex.loader },
];

const users: Record<string, string> = {};
beforeAll(async () => {
  const city = await createUnit(db, { code: "NAV", name: "导航市", kind: "other" });
  const A = await createUnit(db, { code: "NAVA", name: "导航局", parentId: city.id });
  const head = await createCadre(db, { unitId: A.id, name: "局长", rank: "section" });
  const liaison = await createCadre(db, { unitId: A.id, name: "联络员" });
  const cadre = await createCadre(db, { unitId: A.id, name: "干部" });
  const staff = await createCadre(db, { unitId: A.id, name: "会场员" });
  const admin = await createCadre(db, { unitId: city.id, name: "组织员" });
  await makeHead(db, A.id, head.id);
  await addLiaison(db, A.id, liaison.id);
  const account = async (cadreId: number | null, roles: ("org_admin" | "system_admin" | "venue_staff")[] = []) =>
    cookieFor(db, (await createUser(db, { cadreId, roles, disabled: false })).id);
  users.orgAdmin = await account(admin.id, ["org_admin"]);
  users.systemAdmin = await account(null, ["system_admin"]);
  users.head = await account(head.id);
  users.liaison = await account(liaison.id);
  users.venueStaffWithoutCadre = await account(null, ["venue_staff"]);
  users.venueStaffCadre = await account(staff.id, ["venue_staff"]);
  users.cadre = await account(cadre.id);
  users.noRole = await account(null);
});

describe("the navigation", () => {
  it("offers exactly the sections whose pages admit the user", async () => {
    for (const [who, cookie] of Object.entries(users)) {
      const user = (await getCurrentUser(makeRequest("/", { cookie })))!;
      const shown = new Set(navItems({ ...user, mustChangePassword: false, signedIn: true }, (k) => k).map((i) => i.to));
      const admitted = new Set<string>();
      for (const section of SECTIONS) {
        const res = await callRoute(section.loader, makeRequest(section.path, { cookie }));
        expect([200, 403]).toContain(res.status);
        if (res.status === 200) admitted.add(section.path);
      }
      if (user.cadreId !== null) {
        const own = `/cadres/${user.cadreId}`;
        const res = await callRoute(cadreRecord.loader, makeRequest(own, { cookie }), { cadreId: String(user.cadreId) });
        if (res.status === 200) admitted.add(own);
      }
      shown.delete("/");
      expect({ who, sections: [...shown].sort() }).toEqual({ who, sections: [...admitted].sort() });
    }
  });
});
