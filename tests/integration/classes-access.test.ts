import { beforeAll, describe, expect, it } from "vitest";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { askLeave } from "~/modules/classes/leave.server";
import { transitionSession } from "~/modules/classes/status.server";
import * as myClasses from "~/routes/classes._index";
import * as sessionPage from "~/routes/classes.$code";
import * as adminIndex from "~/routes/classes.admin._index";
import * as adminSeries from "~/routes/classes.admin.series.$seriesId";
import * as newSeries from "~/routes/classes.admin.series.new";
import * as adminSession from "~/routes/classes.admin.sessions.$code";
import * as adminEdit from "~/routes/classes.admin.sessions.$code_.edit";
import * as adminRoster from "~/routes/classes.admin.sessions.$code_.roster.$format";
import * as venuesPage from "~/routes/classes.admin.venues";
import * as sessionIcs from "~/routes/classes.ics.$file";
import * as leavePage from "~/routes/classes.leave";
import * as unitPage from "~/routes/classes.unit";
import { createClassSession, createClassVenue } from "~db/seed/classes";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

/**
 * Every night-class page × every kind of user, ids and codes edited by hand included: who reaches it,
 * who is sent to sign in (302), who is refused for their role (403), and for whom a record outside
 * their scope does not exist (404).
 */
const conn = await testDatabase();
const db = conn.db;

const WHO = ["anonymous", "orgAdmin", "itAdmin", "headOfA", "liaisonOfB", "cadreA1"] as const;
type Who = (typeof WHO)[number];
type Status = 200 | 302 | 400 | 403 | 404;

const cookies = {} as Record<Exclude<Who, "anonymous">, string>;
const f = { open: "", draft: "", seriesId: "", leaveOfA1: "", leaveOfB: "" };

beforeAll(async () => {
  const city = await createUnit(db, { code: "XCITY", name: "市" });
  const A = await createUnit(db, { code: "XA", name: "教育局", parentId: city.id });
  const A1 = await createUnit(db, { code: "XA1", name: "第一中学", parentId: A.id });
  const B = await createUnit(db, { code: "XB", name: "财政局", parentId: city.id });
  const person = async (staffNo: string, unitId: number, roles: ("org_admin" | "system_admin")[] = []) => {
    const cadre = await createCadre(db, { unitId, staffNo, rank: "deputy_section" });
    const user = await createUser(db, { cadreId: cadre.id, roles, disabled: false });
    return { cadre, user };
  };
  const org = await person("XORG", city.id, ["org_admin"]);
  const head = await person("XHEAD", A.id);
  const liaison = await person("XLIA", B.id);
  const a1 = await person("XA1P", A1.id);
  const b1 = await person("XB1P", B.id);
  await makeHead(db, A.id, head.cadre.id);
  await addLiaison(db, B.id, liaison.cadre.id);
  const it = await createUser(db, { roles: ["system_admin"], password: "it-password-123", disabled: false });
  cookies.orgAdmin = await cookieFor(db, org.user.id);
  cookies.itAdmin = await cookieFor(db, it.id);
  cookies.headOfA = await cookieFor(db, head.user.id);
  cookies.liaisonOfB = await cookieFor(db, liaison.user.id);
  cookies.cadreA1 = await cookieFor(db, a1.user.id);

  const venue = await createClassVenue(db);
  const open = await createClassSession(db, { audience: { minRank: "deputy_section" }, venues: [{ id: venue.id }] });
  await transitionSession(db, { userId: null, label: "test" }, open.code, "publish");
  f.open = open.code;
  f.draft = (await createClassSession(db, { audience: { minRank: "deputy_section" } })).code;
  const asCaller = async (userId: number) => (await loadCurrentUser(db, userId, "t"))!;
  f.leaveOfA1 = String((await askLeave(db, await asCaller(a1.user.id), open.code, "出差")).leaveId);
  f.leaveOfB = String((await askLeave(db, await asCaller(b1.user.id), open.code, "开会")).leaveId);
  const series = await callRoute(
    newSeries.action,
    makeRequest("/classes/admin/series/new", {
      cookie: cookies.orgAdmin,
      form: {
        intent: "create",
        idempotencyKey: "access-series-1",
        title: "访问测试系列",
        recurrenceKind: "weekly",
        intervalWeeks: "1",
        weekdays: "3",
        monthlyWeekday: "3",
        startDate: "2031-01-01",
        endDate: "2031-01-31",
        startTime: "19:30",
        endTime: "21:00",
        trainingHours: "1",
        deadlineHoursBefore: "6",
      },
    }),
  );
  f.seriesId = series.location!.split("/").pop()!;
});

function statuses(fallback: Status, overrides: Partial<Record<Exclude<Who, "anonymous">, Status>> = {}): Record<Who, Status> {
  const out = { anonymous: 302 } as Record<Who, Status>;
  for (const who of WHO) if (who !== "anonymous") out[who] = overrides[who] ?? fallback;
  return out;
}
const adminOnly = (status: Status) => statuses(403, { orgAdmin: status });

interface Case {
  path: () => string;
  module: { loader?: unknown; action?: unknown };
  params?: () => Record<string, string>;
  form?: () => Record<string, string>;
  label: string;
  expected: Record<Who, Status>;
}

const CASES: Case[] = [
  // The cadre's own pages. An IT account without a cadre record has no classes.
  { label: "my classes", path: () => "/classes", module: myClasses, expected: statuses(200, { itAdmin: 403 }) },
  {
    label: "an open session",
    path: () => `/classes/${f.open}`,
    module: sessionPage,
    params: () => ({ code: f.open }),
    expected: statuses(200, { itAdmin: 404 }),
  },
  { label: "a draft", path: () => `/classes/${f.draft}`, module: sessionPage, params: () => ({ code: f.draft }), expected: statuses(404) },
  {
    label: "an unknown code",
    path: () => "/classes/2099-99",
    module: sessionPage,
    params: () => ({ code: "2099-99" }),
    expected: statuses(404),
  },
  {
    label: "a code that is no code",
    path: () => "/classes/..%2Fadmin",
    module: sessionPage,
    params: () => ({ code: "../admin" }),
    expected: statuses(404),
  },
  {
    label: "a session's .ics",
    path: () => `/classes/ics/${f.open}.ics`,
    module: sessionIcs,
    params: () => ({ file: `${f.open}.ics` }),
    expected: statuses(200, { itAdmin: 403 }),
  },
  {
    label: "a draft's .ics",
    path: () => `/classes/ics/${f.draft}.ics`,
    module: sessionIcs,
    params: () => ({ file: `${f.draft}.ics` }),
    expected: statuses(404, { itAdmin: 403 }),
  },

  // Unit heads and liaisons.
  {
    label: "unit registrations",
    path: () => "/classes/unit",
    module: unitPage,
    expected: statuses(403, { orgAdmin: 200, headOfA: 200, liaisonOfB: 200 }),
  },
  {
    label: "leave requests",
    path: () => "/classes/leave",
    module: leavePage,
    expected: statuses(403, { orgAdmin: 200, headOfA: 200, liaisonOfB: 200 }),
  },
  {
    label: "approving leave of a cadre of A1",
    path: () => "/classes/leave",
    module: leavePage,
    form: () => ({ leaveId: f.leaveOfA1, decision: "refuse" }),
    expected: statuses(403, { orgAdmin: 200, headOfA: 200, liaisonOfB: 404 }),
  },
  {
    label: "approving leave of a cadre of B",
    path: () => "/classes/leave",
    module: leavePage,
    form: () => ({ leaveId: f.leaveOfB, decision: "refuse" }),
    expected: statuses(403, { orgAdmin: 200, headOfA: 404, liaisonOfB: 200 }),
  },
  {
    label: "approving a leave id typed by hand",
    path: () => "/classes/leave",
    module: leavePage,
    form: () => ({ leaveId: "999999", decision: "approve" }),
    expected: statuses(403, { orgAdmin: 404, headOfA: 404, liaisonOfB: 404 }),
  },

  // The organization department's pages.
  { label: "admin overview", path: () => "/classes/admin", module: adminIndex, expected: adminOnly(200) },
  {
    label: "admin session",
    path: () => `/classes/admin/sessions/${f.open}`,
    module: adminSession,
    params: () => ({ code: f.open }),
    expected: adminOnly(200),
  },
  {
    label: "admin draft",
    path: () => `/classes/admin/sessions/${f.draft}`,
    module: adminSession,
    params: () => ({ code: f.draft }),
    expected: adminOnly(200),
  },
  {
    label: "admin unknown code",
    path: () => "/classes/admin/sessions/2099-99",
    module: adminSession,
    params: () => ({ code: "2099-99" }),
    expected: adminOnly(404),
  },
  {
    label: "publishing twice",
    path: () => `/classes/admin/sessions/${f.open}`,
    module: adminSession,
    params: () => ({ code: f.open }),
    form: () => ({ intent: "publish" }),
    expected: adminOnly(200),
  },
  {
    label: "edit form",
    path: () => `/classes/admin/sessions/${f.open}/edit`,
    module: adminEdit,
    params: () => ({ code: f.open }),
    expected: adminOnly(200),
  },
  {
    label: "edit with bad input",
    path: () => `/classes/admin/sessions/${f.open}/edit`,
    module: adminEdit,
    params: () => ({ code: f.open }),
    form: () => ({ intent: "update", title: "" }),
    expected: adminOnly(400),
  },
  {
    label: "roster export",
    path: () => `/classes/admin/sessions/${f.open}/roster/csv`,
    module: adminRoster,
    params: () => ({ code: f.open, format: "csv" }),
    expected: adminOnly(200),
  },
  {
    label: "roster in a format we do not make",
    path: () => `/classes/admin/sessions/${f.open}/roster/pdf`,
    module: adminRoster,
    params: () => ({ code: f.open, format: "pdf" }),
    expected: adminOnly(404),
  },
  {
    label: "series",
    path: () => `/classes/admin/series/${f.seriesId}`,
    module: adminSeries,
    params: () => ({ seriesId: f.seriesId }),
    expected: adminOnly(200),
  },
  {
    label: "series id typed by hand",
    path: () => "/classes/admin/series/abc",
    module: adminSeries,
    params: () => ({ seriesId: "abc" }),
    expected: adminOnly(404),
  },
  {
    label: "series that does not exist",
    path: () => "/classes/admin/series/999999",
    module: adminSeries,
    params: () => ({ seriesId: "999999" }),
    expected: adminOnly(404),
  },
  { label: "new series", path: () => "/classes/admin/series/new", module: newSeries, expected: adminOnly(200) },
  { label: "venues", path: () => "/classes/admin/venues", module: venuesPage, expected: adminOnly(200) },
  {
    label: "a venue without seats",
    path: () => "/classes/admin/venues",
    module: venuesPage,
    form: () => ({ intent: "create", name: "空会场", capacity: "0", ranks: "section" }),
    expected: adminOnly(400),
  },
];

describe("night classes: who reaches what", () => {
  for (const c of CASES) {
    it(`${c.form ? "POST" : "GET"} ${c.label}`, async () => {
      const got = {} as Record<Who, Status>;
      for (const who of WHO) {
        const cookie = who === "anonymous" ? undefined : cookies[who];
        const fn = (c.form ? c.module.action : c.module.loader) as Parameters<typeof callRoute>[0];
        const result = await callRoute(fn, makeRequest(c.path(), { cookie, form: c.form?.() }), c.params?.() ?? {});
        got[who] = result.status as Status;
      }
      expect(got).toEqual(c.expected);
    });
  }
});
