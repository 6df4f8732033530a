import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { cancelRegistration, leaveWaitlist, registerForSession } from "~/modules/classes/registration.server";
import { transitionSession } from "~/modules/classes/status.server";
import * as sessionRoute from "~/routes/classes.$code";
import { auditLog, classRegistrations, emailOutbox } from "~db/schema";
import { createClassSession, createClassVenue } from "~db/seed/classes";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

let unitId: number;
let seq = 0;

/** A cadre with an account, as the services see them. */
async function person(rank: "staff" | "deputy_section" | "section" | "county" = "deputy_section") {
  const cadre = await createCadre(db, { unitId, rank, staffNo: `R${String(++seq).padStart(4, "0")}` });
  const user = await createUser(db, { cadreId: cadre.id, disabled: false });
  return { cadre, user: (await loadCurrentUser(db, user.id, "test"))! as CurrentUser };
}

const registrationOf = async (sessionId: number, cadreId: number) =>
  (
    await db
      .select()
      .from(classRegistrations)
      .where(and(eq(classRegistrations.sessionId, sessionId), eq(classRegistrations.cadreId, cadreId)))
  )[0];

const mailsTo = (cadreStaffNo: string, template: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, `${cadreStaffNo.toLowerCase()}@test.luoshi.local`), eq(emailOutbox.template, template)));

beforeAll(async () => {
  unitId = (await createUnit(db, { code: "REG", name: "报名测试局" })).id;
});

/** An open session (optional, anyone may register) with one venue of the given size. */
async function openSession(capacity: number, options: { mandatoryRank?: "deputy_section" } = {}) {
  const venue = await createClassVenue(db, { capacity, ranks: ["deputy_section", "section"] });
  const session = await createClassSession(db, {
    status: "published",
    audience: options.mandatoryRank ? { minRank: options.mandatoryRank, unitIds: [unitId] } : { minRank: "staff" },
    audienceMandatory: Boolean(options.mandatoryRank),
    venues: [{ id: venue.id }],
  });
  return { venue, session };
}

describe("registration", () => {
  it("registers online, moves to a venue, and a second identical click changes nothing", async () => {
    const { venue, session } = await openSession(10);
    const { cadre, user } = await person();
    expect(await registerForSession(db, user, session.code, "online")).toMatchObject({ status: "registered", venueId: null });
    expect(await registerForSession(db, user, session.code, venue.id)).toMatchObject({ status: "registered", venueId: venue.id });
    expect(await registerForSession(db, user, session.code, venue.id)).toMatchObject({ status: "unchanged", venueId: venue.id });
    const rows = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, session.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cadreId: cadre.id, status: "registered", venueId: venue.id, source: "self" });
    // Two changes, two confirmations; the no-op sent nothing.
    expect(await mailsTo(cadre.staffNo, "class-registration")).toHaveLength(2);
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityType, "class_registration"));
    expect(audits.filter((a) => a.entityId === String(rows[0]!.id)).map((a) => a.action)).toEqual([
      "class.registration.registered",
      "class.registration.changed",
    ]);
  });

  it("one registration per cadre and session even when the same request arrives many times at once", async () => {
    const { venue, session } = await openSession(10);
    const { user } = await person();
    const cookie = await cookieFor(db, user.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        callRoute(
          sessionRoute.action,
          makeRequest(`/classes/${session.code}`, { cookie, form: { intent: "register", choice: String(venue.id) } }),
          {
            code: session.code,
          },
        ),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.data.outcome.status === "registered")).toHaveLength(1);
    expect(await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, session.id))).toHaveLength(1);
  });

  it("the database refuses a second row for the same cadre and session, whatever the code does", async () => {
    const { session } = await openSession(10);
    const { cadre } = await person();
    await db.insert(classRegistrations).values({ sessionId: session.id, cadreId: cadre.id, source: "self" });
    await expect(db.insert(classRegistrations).values({ sessionId: session.id, cadreId: cadre.id, source: "admin" })).rejects.toThrow();
  });

  it("many cadres racing for the last seats: exactly capacity seated, the rest waitlisted in order, no overbooking", async () => {
    const { venue, session } = await openSession(5);
    const racers = await Promise.all(Array.from({ length: 20 }, () => person()));
    const outcomes = await Promise.all(racers.map((r) => registerForSession(db, r.user, session.code, venue.id)));
    expect(outcomes.filter((o) => o.status === "registered")).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === "waitlisted")).toHaveLength(15);
    // Positions are 1…15, each once.
    expect(
      outcomes
        .filter((o) => o.status === "waitlisted")
        .map((o) => o.position)
        .sort((a, b) => a! - b!),
    ).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const rows = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, session.id));
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.venueId === venue.id)).toHaveLength(5);
    // Waiting does not leave anyone without a place: they are registered online meanwhile.
    expect(rows.filter((r) => r.waitlistVenueId === venue.id && r.venueId === null && r.status === "registered")).toHaveLength(15);
  });

  it("a freed seat goes to the first in line, who is told by email; the next in line moves up", async () => {
    const { venue, session } = await openSession(2);
    const [a, b, first, second] = await Promise.all([person(), person(), person(), person()]);
    await registerForSession(db, a!.user, session.code, venue.id);
    await registerForSession(db, b!.user, session.code, venue.id);
    expect(await registerForSession(db, first!.user, session.code, venue.id)).toMatchObject({ status: "waitlisted", position: 1 });
    expect(await registerForSession(db, second!.user, session.code, venue.id)).toMatchObject({ status: "waitlisted", position: 2 });

    await cancelRegistration(db, a!.user, session.code);
    expect(await registrationOf(session.id, first!.cadre.id)).toMatchObject({ venueId: venue.id, waitlistVenueId: null });
    expect(await registrationOf(session.id, second!.cadre.id)).toMatchObject({ venueId: null, waitlistVenueId: venue.id });
    const [promotion] = await mailsTo(first!.cadre.staffNo, "class-waitlist-promotion");
    expect(promotion?.subject).toContain("候补成功");
    expect(await mailsTo(second!.cadre.staffNo, "class-waitlist-promotion")).toHaveLength(0);

    // Moving to online frees a seat too; leaving the line removes the next one from it.
    await registerForSession(db, b!.user, session.code, "online");
    expect(await registrationOf(session.id, second!.cadre.id)).toMatchObject({ venueId: venue.id, waitlistVenueId: null });
    const promoted = await db.select().from(auditLog).where(eq(auditLog.action, "class.registration.promoted"));
    expect(promoted.length).toBeGreaterThanOrEqual(2);
  });

  it("leaving the waitlist keeps the current place", async () => {
    const { venue, session } = await openSession(1);
    const [holder, waiter] = await Promise.all([person(), person()]);
    await registerForSession(db, holder!.user, session.code, venue.id);
    await registerForSession(db, waiter!.user, session.code, venue.id);
    await leaveWaitlist(db, waiter!.user, session.code);
    expect(await registrationOf(session.id, waiter!.cadre.id)).toMatchObject({
      status: "registered",
      venueId: null,
      waitlistVenueId: null,
    });
  });

  it("a venue that does not seat the cadre's rank is refused beside the choice", async () => {
    const venue = await createClassVenue(db, { ranks: ["county"] });
    const session = await createClassSession(db, {
      status: "published",
      audience: { minRank: "staff" },
      audienceMandatory: false,
      venues: [{ id: venue.id }],
    });
    const { user } = await person("deputy_section");
    await expect(registerForSession(db, user, session.code, venue.id)).rejects.toMatchObject({
      messageKey: "classes.errors.venueNotForRank",
      options: { field: "choice" },
    });
    await expect(registerForSession(db, user, session.code, 999_999)).rejects.toMatchObject({ messageKey: "classes.errors.unknownVenue" });
  });
});

describe("deadline and state rules", () => {
  it("no registration, change or cancellation after the deadline", async () => {
    const { venue, session } = await openSession(5);
    const { user } = await person();
    await registerForSession(db, user, session.code, "online");
    const late = new Date(session.registrationDeadline.getTime() + 60_000);
    await expect(registerForSession(db, user, session.code, venue.id, { now: late })).rejects.toMatchObject({
      messageKey: "classes.errors.deadlinePassed",
    });
    await expect(cancelRegistration(db, user, session.code, { now: late })).rejects.toMatchObject({
      messageKey: "classes.errors.deadlinePassed",
    });
  });

  it("a draft does not exist for cadres; a cancelled session takes no registration", async () => {
    const draft = await createClassSession(db, { audience: { minRank: "staff" } });
    const { user } = await person();
    await expect(registerForSession(db, user, draft.code, "online")).rejects.toMatchObject({ label: "not_found" });
    const { session } = await openSession(5);
    await transitionSession(db, { userId: null, label: "test" }, session.code, "cancel", { reason: "专家临时有事" });
    await expect(registerForSession(db, user, session.code, "online")).rejects.toMatchObject({
      messageKey: "classes.errors.sessionCancelled",
    });
  });

  it("the mandatory audience cannot cancel, only change place or ask for leave", async () => {
    const { venue, session } = await openSession(5, { mandatoryRank: "deputy_section" });
    const { user } = await person("deputy_section");
    await registerForSession(db, user, session.code, "online");
    await expect(cancelRegistration(db, user, session.code)).rejects.toMatchObject({ messageKey: "classes.errors.mandatoryNoCancel" });
    expect(await registerForSession(db, user, session.code, venue.id)).toMatchObject({ status: "registered" });
  });

  it("a session closed to outsiders refuses them", async () => {
    const session = await createClassSession(db, { status: "published", audience: { minRank: "county" }, openRegistration: false });
    const { user } = await person("deputy_section");
    await expect(registerForSession(db, user, session.code, "online")).rejects.toMatchObject({ label: "not_found" });
  });
});

describe("scope: a cadre acts only for themselves", () => {
  it("a cadre id slipped into the form is ignored: the registration is the caller's own", async () => {
    const { session } = await openSession(5);
    const [me, other] = await Promise.all([person(), person()]);
    const cookie = await cookieFor(db, me.user.id);
    const result = await callRoute(
      sessionRoute.action,
      makeRequest(`/classes/${session.code}`, { cookie, form: { intent: "register", choice: "online", cadreId: String(other.cadre.id) } }),
      { code: session.code },
    );
    expect(result.status).toBe(200);
    expect(await registrationOf(session.id, me.cadre.id)).toBeDefined();
    expect(await registrationOf(session.id, other.cadre.id)).toBeUndefined();
  });

  it("bad input is refused beside the field and changes nothing", async () => {
    const { session } = await openSession(5);
    const { cadre, user } = await person();
    const cookie = await cookieFor(db, user.id);
    const result = await callRoute(
      sessionRoute.action,
      makeRequest(`/classes/${session.code}`, { cookie, form: { intent: "register", choice: "abc" } }),
      {
        code: session.code,
      },
    );
    expect(result.status).toBe(400);
    expect(result.data.errors.choice).toBeDefined();
    expect(await registrationOf(session.id, cadre.id)).toBeUndefined();
  });

  it("an account without a cadre record cannot register", async () => {
    const { session } = await openSession(5);
    const it = await createUser(db, { password: "x-password-123", disabled: false });
    const cookie = await cookieFor(db, it.id);
    const result = await callRoute(
      sessionRoute.action,
      makeRequest(`/classes/${session.code}`, { cookie, form: { intent: "register", choice: "online" } }),
      {
        code: session.code,
      },
    );
    expect(result.status).toBe(404);
  });
});
