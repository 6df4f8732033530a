import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import * as accountHome from "~/routes/account._index";
import * as accountSecondFactor from "~/routes/account.second-factor";
import * as accountSessions from "~/routes/account.sessions";
import * as adminIndex from "~/routes/admin._index";
import * as accountList from "~/routes/admin.accounts._index";
import * as accountDetail from "~/routes/admin.accounts.$userId";
import * as accountNew from "~/routes/admin.accounts.new";
import * as auditLogPage from "~/routes/admin.audit";
import * as auditExport from "~/routes/admin.audit_.export";
import * as importsPage from "~/routes/admin.imports._index";
import * as outboxPage from "~/routes/admin.outbox._index";
import * as securityPolicy from "~/routes/admin.security";
import * as securityEventsPage from "~/routes/admin.security-events";
import * as securityEventsExport from "~/routes/admin.security-events_.export";
import * as cadreList from "~/routes/cadres._index";
import * as cadreRecord from "~/routes/cadres.$cadreId";
import * as cadreEdit from "~/routes/cadres.$cadreId_.edit";
import * as shortlistIndex from "~/routes/shortlists._index";
import * as shortlistRound from "~/routes/shortlists.$roundId";
import * as shortlistCandidate from "~/routes/shortlists.$roundId_.cadres.$cadreId";
import * as shortlistEdit from "~/routes/shortlists.$roundId_.edit";
import * as shortlistExport from "~/routes/shortlists.$roundId_.export";
import * as shortlistPrint from "~/routes/shortlists.$roundId_.print";
import * as shortlistNew from "~/routes/shortlists.new";
import * as unitTree from "~/routes/units._index";
import * as unitDetail from "~/routes/units.$unitId";
import * as unitEdit from "~/routes/units.$unitId_.edit";
import * as unitNew from "~/routes/units.new";
import { type GrantedRole, shortlistRounds } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

/**
 * Every route × every kind of user: who reaches what (200, or 302 after a successful change), who is
 * sent to sign in (302), who is refused for their role (403) and for whom a record outside their scope
 * does not exist (404) — including ids edited by hand in the URL.
 *
 * To add a route, add an entry to CASES: a URL pattern, the route module, its params (built from the
 * fixture), a form for an action, and the status each user gets.
 */

const conn = await testDatabase();
const db = conn.db;

const WHO = [
  "anonymous",
  "orgAdmin",
  "systemAdmin",
  "securityAdmin",
  "auditAdmin",
  "headOfA",
  "liaisonOfB",
  "venueStaff",
  "cadreA1",
] as const;
type Who = (typeof WHO)[number];
type Status = 200 | 302 | 400 | 403 | 404;

interface Fixture {
  units: { city: number; A: number; A1: number; B: number };
  cadres: { orgAdmin: number; headOfA: number; liaisonOfB: number; venueStaff: number; cadreA1: number; otherB: number };
  rounds: { open: number };
  accounts: Record<keyof Fixture["cadres"], number>;
  cookies: Record<Exclude<Who, "anonymous">, string>;
}

type RouteFn = Parameters<typeof callRoute>[0];
interface MatrixCase {
  /** A route path with :params, filled from `params`. */
  pattern: string;
  module: { loader?: RouteFn; action?: RouteFn };
  params?: (f: Fixture) => Record<string, string>;
  /** What the params name, for the test's title: "A1", "cadreA1", "abc". */
  target?: string;
  query?: string;
  /** With a form, the action is called (POST); without, the loader. */
  form?: (f: Fixture) => Record<string, string>;
  label?: string;
  expected: Record<Who, Status>;
}

/** `fallback` for every signed-in user unless overridden; anyone signed out is sent to the login page. */
function statuses(fallback: Status, overrides: Partial<Record<Exclude<Who, "anonymous">, Status>> = {}): Record<Who, Status> {
  const out = { anonymous: 302 } as Record<Who, Status>;
  for (const who of WHO) if (who !== "anonymous") out[who] = overrides[who] ?? fallback;
  return out;
}

/** Roles that browse organization data: org admin, unit head, liaison. */
const browsers = (status: Status, overrides: Partial<Record<Exclude<Who, "anonymous">, Status>> = {}) =>
  statuses(403, { orgAdmin: status, headOfA: status, liaisonOfB: status, ...overrides });

/** Params naming a fixture unit or cadre, or a literal (possibly nonsense) value typed into the URL. */
const unit = (key: keyof Fixture["units"]) => ({ target: `unit ${key}`, params: (f: Fixture) => ({ unitId: String(f.units[key]) }) });
const cadre = (key: keyof Fixture["cadres"]) => ({ target: `cadre ${key}`, params: (f: Fixture) => ({ cadreId: String(f.cadres[key]) }) });
const literal = (name: string, value: string) => ({ target: `"${value}"`, params: () => ({ [name]: value }) });

/** A unit A form that changes nothing, so the admin's successful save leaves the fixture as it was. */
const unitAUnchanged = (f: Fixture) => ({
  intent: "update",
  code: "A",
  name: "市教育局",
  kind: "department",
  parentId: String(f.units.city),
  headCadreId: String(f.cadres.headOfA),
});
const cadreA1Unchanged = () => ({
  intent: "update",
  name: "普通干部",
  rank: "deputy_section",
  title: "",
  email: "a1@example.cn",
  phone: "",
  status: "active",
});

const CASES: MatrixCase[] = [
  { pattern: "/", module: home, expected: statuses(200) },

  // The unit tree and unit pages.
  { pattern: "/units", module: unitTree, expected: browsers(200) },
  { pattern: "/units", module: unitTree, query: "?kind=castle", expected: browsers(200) },
  { pattern: "/units/:unitId", module: unitDetail, ...unit("A"), expected: browsers(200, { liaisonOfB: 404 }) },
  { pattern: "/units/:unitId", module: unitDetail, ...unit("A1"), expected: browsers(200, { liaisonOfB: 404 }) },
  { pattern: "/units/:unitId", module: unitDetail, ...unit("B"), expected: browsers(200, { headOfA: 404 }) },
  { pattern: "/units/:unitId", module: unitDetail, ...unit("city"), expected: browsers(200, { headOfA: 404, liaisonOfB: 404 }) },
  { pattern: "/units/:unitId", module: unitDetail, ...literal("unitId", "abc"), expected: browsers(404) },
  { pattern: "/units/:unitId", module: unitDetail, ...literal("unitId", "1e3"), expected: browsers(404) },
  { pattern: "/units/:unitId", module: unitDetail, ...literal("unitId", "99999999999"), expected: browsers(404) },
  { pattern: "/units/:unitId", module: unitDetail, ...literal("unitId", "999999"), expected: browsers(404) },

  // Unit edits: the organization department's alone.
  { pattern: "/units/new", module: unitNew, expected: statuses(403, { orgAdmin: 200 }) },
  {
    pattern: "/units/new",
    module: unitNew,
    form: () => ({ code: "", name: "", kind: "department", parentId: "" }),
    label: "bad input",
    expected: statuses(403, { orgAdmin: 400 }),
  },
  { pattern: "/units/:unitId/edit", module: unitEdit, ...unit("A"), expected: statuses(403, { orgAdmin: 200 }) },
  { pattern: "/units/:unitId/edit", module: unitEdit, ...unit("B"), expected: statuses(403, { orgAdmin: 200 }) },
  { pattern: "/units/:unitId/edit", module: unitEdit, ...literal("unitId", "abc"), expected: statuses(403, { orgAdmin: 404 }) },
  { pattern: "/units/:unitId/edit", module: unitEdit, ...literal("unitId", "999999"), expected: statuses(403, { orgAdmin: 404 }) },
  {
    pattern: "/units/:unitId/edit",
    module: unitEdit,
    ...unit("A"),
    form: unitAUnchanged,
    label: "update",
    expected: statuses(403, { orgAdmin: 302 }),
  },
  {
    pattern: "/units/:unitId/edit",
    module: unitEdit,
    ...unit("A"),
    form: () => ({ intent: "addLiaison", staffNo: "NO-SUCH-CADRE" }),
    label: "add liaison",
    expected: statuses(403, { orgAdmin: 400 }),
  },
  {
    pattern: "/units/:unitId/edit",
    module: unitEdit,
    ...literal("unitId", "999999"),
    form: unitAUnchanged,
    label: "update",
    expected: statuses(403, { orgAdmin: 404 }),
  },

  // Cadre search.
  { pattern: "/cadres", module: cadreList, expected: browsers(200) },
  { pattern: "/cadres", module: cadreList, query: "?minRank=deputy_section", expected: browsers(200) },
  { pattern: "/cadres", module: cadreList, query: "?unitId=abc&page=-1&status=zz", expected: browsers(200) },

  // Cadre records: a cadre sees their own; heads and liaisons their units' cadres; everyone else 404.
  {
    pattern: "/cadres/:cadreId",
    module: cadreRecord,
    ...cadre("cadreA1"),
    expected: statuses(404, { orgAdmin: 200, headOfA: 200, cadreA1: 200 }),
  },
  {
    pattern: "/cadres/:cadreId",
    module: cadreRecord,
    ...cadre("otherB"),
    expected: statuses(404, { orgAdmin: 200, liaisonOfB: 200 }),
  },
  {
    pattern: "/cadres/:cadreId",
    module: cadreRecord,
    ...cadre("venueStaff"),
    expected: statuses(404, { orgAdmin: 200, liaisonOfB: 200, venueStaff: 200 }),
  },
  {
    pattern: "/cadres/:cadreId",
    module: cadreRecord,
    ...cadre("headOfA"),
    expected: statuses(404, { orgAdmin: 200, headOfA: 200 }),
  },
  { pattern: "/cadres/:cadreId", module: cadreRecord, ...cadre("orgAdmin"), expected: statuses(404, { orgAdmin: 200 }) },
  { pattern: "/cadres/:cadreId", module: cadreRecord, ...literal("cadreId", "abc"), expected: statuses(404) },
  { pattern: "/cadres/:cadreId", module: cadreRecord, ...literal("cadreId", "999999"), expected: statuses(404) },

  // Cadre edits: the organization department's alone.
  { pattern: "/cadres/:cadreId/edit", module: cadreEdit, ...cadre("cadreA1"), expected: statuses(403, { orgAdmin: 200 }) },
  { pattern: "/cadres/:cadreId/edit", module: cadreEdit, ...cadre("otherB"), expected: statuses(403, { orgAdmin: 200 }) },
  { pattern: "/cadres/:cadreId/edit", module: cadreEdit, ...literal("cadreId", "abc"), expected: statuses(403, { orgAdmin: 404 }) },
  { pattern: "/cadres/:cadreId/edit", module: cadreEdit, ...literal("cadreId", "999999"), expected: statuses(403, { orgAdmin: 404 }) },
  {
    pattern: "/cadres/:cadreId/edit",
    module: cadreEdit,
    ...cadre("cadreA1"),
    form: cadreA1Unchanged,
    label: "update",
    expected: statuses(403, { orgAdmin: 302 }),
  },
  {
    pattern: "/cadres/:cadreId/edit",
    module: cadreEdit,
    ...cadre("otherB"),
    form: (f) => ({ intent: "transfer", unitId: String(f.units.A), date: "2024-01-01", reason: "" }),
    label: "transfer",
    expected: statuses(403, { orgAdmin: 400 }),
  },
  {
    pattern: "/cadres/:cadreId/edit",
    module: cadreEdit,
    ...literal("cadreId", "999999"),
    form: cadreA1Unchanged,
    label: "update",
    expected: statuses(403, { orgAdmin: 404 }),
  },

  // Administration, by the separated duties (三员分立): accounts and the outbox for org and system admins,
  // new non-cadre accounts for the system admin; roles, second factors, sessions and the policy for the
  // security admin; the audit trail for the organization department and the audit admin, the security
  // log for the audit admin alone, who changes nothing anywhere.
  {
    pattern: "/admin",
    module: adminIndex,
    expected: statuses(403, { orgAdmin: 200, systemAdmin: 200, securityAdmin: 200, auditAdmin: 200 }),
  },
  { pattern: "/admin/accounts", module: accountList, expected: statuses(403, { orgAdmin: 200, systemAdmin: 200, securityAdmin: 200 }) },
  {
    pattern: "/admin/accounts",
    module: accountList,
    form: () => ({ intent: "issue-otp" }),
    label: "nothing selected",
    expected: statuses(403, { orgAdmin: 400, systemAdmin: 400 }),
  },
  { pattern: "/admin/accounts/new", module: accountNew, expected: statuses(403, { systemAdmin: 200 }) },
  {
    pattern: "/admin/accounts/new",
    module: accountNew,
    form: () => ({ email: "", displayName: "" }),
    label: "bad input",
    expected: statuses(403, { systemAdmin: 400 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...literal("userId", "abc"),
    expected: statuses(403, { orgAdmin: 404, systemAdmin: 404, securityAdmin: 404 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...literal("userId", "999999"),
    expected: statuses(403, { orgAdmin: 404, systemAdmin: 404, securityAdmin: 404 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    expected: statuses(403, { orgAdmin: 200, systemAdmin: 200, securityAdmin: 200 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "roles", roles: "venue_staff" }),
    label: "grant a role",
    expected: statuses(403, { securityAdmin: 200 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "roles" }),
    label: "revoke every role",
    expected: statuses(403, { securityAdmin: 200 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "roles", roles: ["audit_admin", "security_admin"] }),
    label: "roles against 三员分立",
    expected: statuses(403, { securityAdmin: 400 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "reset-second-factor", reason: "" }),
    label: "second-factor reset without a reason",
    expected: statuses(403, { securityAdmin: 400 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "end-sessions", reason: "" }),
    label: "end sessions without a reason",
    expected: statuses(403, { securityAdmin: 400 }),
  },
  {
    pattern: "/admin/accounts/:userId",
    module: accountDetail,
    ...account("cadreA1"),
    form: () => ({ intent: "disable", reason: "" }),
    label: "disable without a reason",
    expected: statuses(403, { orgAdmin: 400, systemAdmin: 400 }),
  },
  { pattern: "/admin/security", module: securityPolicy, expected: statuses(403, { securityAdmin: 200 }) },
  {
    pattern: "/admin/security",
    module: securityPolicy,
    form: () => ({ securityLogRetentionDays: "30" }),
    label: "retention under 180 days",
    expected: statuses(403, { securityAdmin: 400 }),
  },
  { pattern: "/admin/security-events", module: securityEventsPage, expected: statuses(403, { auditAdmin: 200 }) },
  {
    pattern: "/admin/security-events",
    module: securityEventsPage,
    query: "?kind=nonsense&from=0000-00-00&person=%00&page=-1",
    expected: statuses(403, { auditAdmin: 200 }),
  },
  {
    pattern: "/admin/security-events/export",
    module: securityEventsExport,
    query: "?format=csv",
    expected: statuses(403, { auditAdmin: 200 }),
  },
  { pattern: "/admin/audit", module: auditLogPage, expected: statuses(403, { orgAdmin: 200, auditAdmin: 200 }) },
  {
    pattern: "/admin/audit",
    module: auditLogPage,
    query: "?category=castle&action=x.y&entityId=%00&from=2026-02-30&person=%00",
    expected: statuses(403, { orgAdmin: 200, auditAdmin: 200 }),
  },
  {
    pattern: "/admin/audit/export",
    module: auditExport,
    query: "?format=xlsx",
    expected: statuses(403, { orgAdmin: 200, auditAdmin: 200 }),
  },

  // One's own account: everyone signed in.
  { pattern: "/account", module: accountHome, expected: statuses(200) },
  { pattern: "/account/sessions", module: accountSessions, expected: statuses(200) },
  { pattern: "/account/second-factor", module: accountSecondFactor, expected: statuses(200) },
  {
    pattern: "/account/sessions",
    module: accountSessions,
    form: () => ({ intent: "end", sessionId: "f".repeat(64) }),
    label: "someone else's session id",
    expected: statuses(200),
  },
  // Venue staff import their sessions' online viewing logs; every other kind is the organization department's.
  { pattern: "/admin/imports", module: importsPage, expected: statuses(403, { orgAdmin: 200, venueStaff: 200 }) },
  { pattern: "/admin/outbox", module: outboxPage, expected: statuses(403, { orgAdmin: 200, systemAdmin: 200 }) },

  // Promotion shortlists: the organization department, heads and liaisons; a head or liaison sees and
  // nominates the cadres of their units only (never themselves); only the department opens and decides.
  { pattern: "/shortlists", module: shortlistIndex, expected: browsers(200) },
  { pattern: "/shortlists/new", module: shortlistNew, expected: statuses(403, { orgAdmin: 200 }) },
  { pattern: "/shortlists/:roundId", module: shortlistRound, ...shortlistRoundParam(), expected: browsers(200) },
  { pattern: "/shortlists/:roundId", module: shortlistRound, ...shortlistRoundParam(), query: "?tab=nominations", expected: browsers(200) },
  {
    pattern: "/shortlists/:roundId",
    module: shortlistRound,
    ...shortlistRoundParam(),
    query: "?tab=candidates&unit=abc&page=-3",
    expected: browsers(200),
  },
  { pattern: "/shortlists/:roundId", module: shortlistRound, ...literal("roundId", "abc"), expected: browsers(404) },
  { pattern: "/shortlists/:roundId", module: shortlistRound, ...literal("roundId", "999999"), expected: browsers(404) },
  { pattern: "/shortlists/:roundId/edit", module: shortlistEdit, ...shortlistRoundParam(), expected: statuses(403, { orgAdmin: 200 }) },
  {
    pattern: "/shortlists/:roundId/export",
    module: shortlistExport,
    ...shortlistRoundParam(),
    query: "?kind=evidence&format=csv",
    expected: browsers(200),
  },
  {
    pattern: "/shortlists/:roundId/print",
    module: shortlistPrint,
    ...shortlistRoundParam(),
    label: "not published",
    expected: browsers(404),
  },
  {
    pattern: "/shortlists/:roundId/cadres/:cadreId",
    module: shortlistCandidate,
    ...shortlistCadre("cadreA1"),
    expected: browsers(200, { liaisonOfB: 404 }),
  },
  {
    pattern: "/shortlists/:roundId/cadres/:cadreId",
    module: shortlistCandidate,
    ...shortlistCadre("otherB"),
    expected: browsers(200, { headOfA: 404 }),
  },
  {
    pattern: "/shortlists/:roundId/cadres/:cadreId",
    module: shortlistCandidate,
    ...shortlistCadre("headOfA"),
    expected: browsers(404, { orgAdmin: 200 }),
  },
  {
    pattern: "/shortlists/:roundId",
    module: shortlistRound,
    ...shortlistRoundParam(),
    form: () => ({ intent: "decide", nominationId: "999999", decision: "shortlisted", reason: "经研究" }),
    label: "decide",
    expected: browsers(403, { orgAdmin: 404 }),
  },
  {
    pattern: "/shortlists/:roundId",
    module: shortlistRound,
    ...shortlistRoundParam(),
    form: () => ({ intent: "publish", expectedVersion: "0" }),
    label: "publish nothing",
    expected: browsers(403, { orgAdmin: 400 }),
  },
  {
    pattern: "/shortlists/:roundId/cadres/:cadreId",
    module: shortlistCandidate,
    ...shortlistCadre("otherB"),
    form: () => ({ intent: "nominate", recommendation: "敢担当、善作为" }),
    label: "nominate",
    expected: browsers(302, { orgAdmin: 403, headOfA: 404 }),
  },
];

/** Params naming the account of a fixture cadre. */
function account(key: keyof Fixture["cadres"]) {
  return { target: `account of ${key}`, params: (f: Fixture) => ({ userId: String(f.accounts[key]) }) };
}

/** Params naming the fixture's open shortlist round, and one of its cadres. */
function shortlistRoundParam() {
  return { target: "round", params: (f: Fixture) => ({ roundId: String(f.rounds.open) }) };
}
function shortlistCadre(key: keyof Fixture["cadres"]) {
  return { target: `round, cadre ${key}`, params: (f: Fixture) => ({ roundId: String(f.rounds.open), cadreId: String(f.cadres[key]) }) };
}

let fixture: Fixture;

beforeAll(async () => {
  const city = await createUnit(db, { code: "CITY", name: "示范市", kind: "other" });
  const A = await createUnit(db, { code: "A", name: "市教育局", parentId: city.id });
  const A1 = await createUnit(db, { code: "A1", name: "市第一中学", parentId: A.id });
  const B = await createUnit(db, { code: "B", name: "市财政局", parentId: city.id });
  const orgAdmin = await createCadre(db, { unitId: city.id, name: "组织员" });
  const headOfA = await createCadre(db, { unitId: A.id, name: "教育局长", rank: "section" });
  const liaisonOfB = await createCadre(db, { unitId: B.id, name: "财政联络员" });
  const venueStaff = await createCadre(db, { unitId: B.id, name: "会场员" });
  const cadreA1 = await createCadre(db, { unitId: A1.id, name: "普通干部", email: "a1@example.cn" });
  const otherB = await createCadre(db, { unitId: B.id, name: "财政干部" });
  await makeHead(db, A.id, headOfA.id);
  await addLiaison(db, B.id, liaisonOfB.id);
  const accounts = {} as Fixture["accounts"];
  const account = async (cadreId: number | null, roles: GrantedRole[] = []) => {
    const user = await createUser(db, { cadreId, roles, disabled: false });
    const key = (Object.entries(cadreIds).find(([, id]) => id === cadreId)?.[0] ?? null) as keyof Fixture["cadres"] | null;
    if (key) accounts[key] = user.id;
    return cookieFor(db, user.id);
  };
  const cadreIds = {
    orgAdmin: orgAdmin.id,
    headOfA: headOfA.id,
    liaisonOfB: liaisonOfB.id,
    venueStaff: venueStaff.id,
    cadreA1: cadreA1.id,
    otherB: otherB.id,
  };
  fixture = {
    accounts,
    units: { city: city.id, A: A.id, A1: A1.id, B: B.id },
    rounds: {
      open: (
        await db
          .insert(shortlistRounds)
          .values({ name: "访问矩阵轮次", quota: 3, deadline: new Date("2099-01-01T00:00:00Z") })
          .returning()
      )[0]!.id,
    },
    cadres: {
      orgAdmin: orgAdmin.id,
      headOfA: headOfA.id,
      liaisonOfB: liaisonOfB.id,
      venueStaff: venueStaff.id,
      cadreA1: cadreA1.id,
      otherB: otherB.id,
    },
    cookies: {
      orgAdmin: await account(orgAdmin.id, ["org_admin"]),
      systemAdmin: await account(null, ["system_admin"]),
      securityAdmin: await account(null, ["security_admin"]),
      auditAdmin: await account(null, ["audit_admin"]),
      headOfA: await account(headOfA.id),
      liaisonOfB: await account(liaisonOfB.id),
      venueStaff: await account(venueStaff.id, ["venue_staff"]),
      cadreA1: await account(cadreA1.id),
    },
  };
});

function describeCase(c: MatrixCase) {
  const method = c.form ? "POST" : "GET";
  return `${method} ${c.pattern}${c.query ?? ""}${c.target ? ` [${c.target}]` : ""}${c.label ? ` (${c.label})` : ""}`;
}

describe.each(CASES.map((c) => [describeCase(c), c] as const))("%s", (_name, c) => {
  it.each(WHO.map((who) => [who, c.expected[who]] as const))("%s → %i", async (who, expected) => {
    const params = c.params?.(fixture) ?? {};
    const path = c.pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? "")) + (c.query ?? "");
    const cookie = who === "anonymous" ? undefined : fixture.cookies[who];
    const fn = c.form ? c.module.action : c.module.loader;
    const res = await callRoute(fn, makeRequest(path, { cookie, form: c.form?.(fixture) }), params);
    expect(res.status).toBe(expected);
    if (who === "anonymous") expect(res.location).toMatch(/^\/login/);
    if (res.status === 403 || res.status === 404) expect(res.data).toBeUndefined();
  });
});

describe("ids and filters edited by hand", () => {
  it("a unit filter outside the head's scope finds nobody, and the unit list offers only their units", async () => {
    const res = await callRoute<any>(
      cadreList.loader,
      makeRequest(`/cadres?unitId=${fixture.units.B}&status=any`, { cookie: fixture.cookies.headOfA }),
    );
    expect(res.status).toBe(200);
    expect(res.data.rows).toEqual([]);
    expect(res.data.units.map((u: { id: number }) => u.id).sort()).toEqual([fixture.units.A, fixture.units.A1].sort());
  });

  it("the head's own search shows only the cadres of their unit and its sub-units", async () => {
    const res = await callRoute<any>(cadreList.loader, makeRequest("/cadres", { cookie: fixture.cookies.headOfA }));
    expect(res.data.rows.map((r: { id: number }) => r.id).sort()).toEqual([fixture.cadres.headOfA, fixture.cadres.cadreA1].sort());
  });

  it("the unit tree of a liaison holds their unit only", async () => {
    const res = await callRoute<any>(unitTree.loader, makeRequest("/units", { cookie: fixture.cookies.liaisonOfB }));
    expect(res.data.roots.map((r: { id: number }) => r.id)).toEqual([fixture.units.B]);
    expect(res.data.canCreate).toBe(false);
  });
});

describe("the audit administrator reads and changes nothing", () => {
  it("every action of the matrix is refused to them and writes nothing", async () => {
    const count = async () => {
      const [row] = await db.execute<{ n: string }>(
        sql`select (select count(*) from audit_log) + (select count(*) from user_roles) + (select count(*) from settings) + (select count(*) from units) + (select count(*) from cadres) as n`,
      );
      return Number(row!.n);
    };
    const before = await count();
    for (const c of CASES.filter((c) => c.form)) {
      const params = c.params?.(fixture) ?? {};
      const path = c.pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? "")) + (c.query ?? "");
      const res = await callRoute(
        c.module.action,
        makeRequest(path, { cookie: fixture.cookies.auditAdmin, form: c.form!(fixture) }),
        params,
      );
      // Their own sign-ins are theirs to end; everything else is refused.
      if (c.pattern.startsWith("/account/")) continue;
      expect([403, 404], describeCase(c)).toContain(res.status);
    }
    expect(await count()).toBe(before);
  });
});
