import { describe, expect, it } from "vitest";
import {
  type AudienceCadre,
  assignVenue,
  inAudience,
  isSessionCode,
  leaveDecisionProblem,
  leaveRequestProblem,
  mayRegister,
  nextSessionCodes,
  planPromotions,
  registrationProblem,
  type SessionTimes,
  transitionProblem,
  venuesForRank,
} from "~/modules/classes/rules";
import type { AudienceRule } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";

const start = new Date("2026-12-09T11:30:00Z");
const session = (over: Partial<SessionTimes> = {}): SessionTimes => ({
  status: "published",
  startsAt: start,
  endsAt: new Date("2026-12-09T13:00:00Z"),
  registrationDeadline: new Date("2026-12-09T05:30:00Z"),
  ...over,
});
const ahead = (ms: number) => new Date(start.getTime() - ms);
const HOUR = 3_600_000;

describe("deadline and state rules", () => {
  it.each<[string, Partial<SessionTimes>, Date, string | null]>([
    ["published, before the deadline", {}, ahead(7 * HOUR), null],
    ["published, at the deadline", {}, ahead(6 * HOUR), "classes.errors.deadlinePassed"],
    ["published, after the deadline but before the start", {}, ahead(HOUR), "classes.errors.deadlinePassed"],
    ["draft", { status: "draft" }, ahead(48 * HOUR), "classes.errors.notOpen"],
    ["closed", { status: "closed" }, ahead(48 * HOUR), "classes.errors.notOpen"],
    ["cancelled", { status: "cancelled" }, ahead(48 * HOUR), "classes.errors.sessionCancelled"],
  ])("registration: %s", (_, over, now, expected) => {
    expect(registrationProblem(session(over), now)).toBe(expected);
  });

  it.each<[string, Partial<SessionTimes>, Date, string | null]>([
    ["after the registration deadline, before the start", {}, ahead(HOUR), null],
    ["at the start", {}, start, "classes.errors.alreadyStarted"],
    ["draft", { status: "draft" }, ahead(48 * HOUR), "classes.errors.notOpen"],
    ["cancelled", { status: "cancelled" }, ahead(48 * HOUR), "classes.errors.sessionCancelled"],
  ])("asking leave: %s", (_, over, now, expected) => {
    expect(leaveRequestProblem(session(over), now)).toBe(expected);
  });

  it.each<[SessionTimes["status"], string | null]>([
    ["published", null],
    ["closed", "classes.errors.sessionClosed"],
    ["cancelled", "classes.errors.sessionCancelled"],
  ])("deciding leave on a %s session: %s", (status, expected) => {
    expect(leaveDecisionProblem(session({ status }))).toBe(expected);
  });

  it.each<[SessionTimes["status"], "publish" | "close" | "cancel", Date, string | null]>([
    ["draft", "publish", ahead(HOUR), null],
    ["draft", "publish", start, "classes.errors.publishPast"],
    ["published", "publish", ahead(HOUR), "classes.errors.transition"],
    ["published", "close", start, null],
    ["published", "close", ahead(HOUR), "classes.errors.closeBeforeStart"],
    ["draft", "close", start, "classes.errors.transition"],
    ["draft", "cancel", ahead(HOUR), null],
    ["published", "cancel", start, null],
    ["closed", "cancel", start, "classes.errors.transition"],
    ["cancelled", "publish", ahead(HOUR), "classes.errors.transition"],
  ])("%s → %s", (status, transition, now, expected) => {
    expect(transitionProblem(session({ status }), transition, now)).toBe(expected);
  });
});

const CITY = 1;
const EDUCATION = 10;
const SCHOOL = 11;
const FINANCE = 20;
const cadre = (over: Partial<AudienceCadre> = {}): AudienceCadre => ({
  id: 100,
  rank: "deputy_section",
  status: "active",
  unitAncestry: [SCHOOL, EDUCATION, CITY],
  ...over,
});
const rule = (over: Partial<AudienceRule> = {}): AudienceRule => ({
  minRank: null,
  unitIds: [],
  cadreIds: [],
  excludeCadreIds: [],
  ...over,
});

describe("audience resolution", () => {
  it.each<[string, AudienceRule, AudienceCadre, boolean]>([
    ["deputy-section and above takes a deputy-section cadre", rule({ minRank: "deputy_section" }), cadre(), true],
    ["and a county-level one", rule({ minRank: "deputy_section" }), cadre({ rank: "county" }), true],
    ["but not staff", rule({ minRank: "deputy_section" }), cadre({ rank: "staff" }), false],
    ["a unit includes its sub-units", rule({ unitIds: [EDUCATION] }), cadre(), true],
    ["another unit does not", rule({ unitIds: [FINANCE] }), cadre(), false],
    ["rank and unit must both hold", rule({ minRank: "section", unitIds: [EDUCATION] }), cadre(), false],
    ["a named cadre is in whatever the rule", rule({ minRank: "county", cadreIds: [100] }), cadre(), true],
    ["named cadres only: others are out", rule({ cadreIds: [5] }), cadre(), false],
    ["an exclusion wins over everything", rule({ minRank: "staff", cadreIds: [100], excludeCadreIds: [100] }), cadre(), false],
    ["an empty rule names nobody", rule(), cadre(), false],
    ["a retired cadre is never in", rule({ minRank: "staff" }), cadre({ status: "retired" }), false],
    ["nor a transferred one, even named", rule({ cadreIds: [100] }), cadre({ status: "transferred" }), false],
  ])("%s", (_, r, c, expected) => {
    expect(inAudience(r, c)).toBe(expected);
  });

  it("open registration lets anyone active register; a closed one only the audience", () => {
    const staff = cadre({ rank: "staff" });
    expect(mayRegister({ audience: rule({ minRank: "deputy_section" }), openRegistration: true }, staff)).toBe(true);
    expect(mayRegister({ audience: rule({ minRank: "deputy_section" }), openRegistration: false }, staff)).toBe(false);
    expect(mayRegister({ audience: rule({ minRank: "staff" }), openRegistration: true }, cadre({ status: "retired" }))).toBe(false);
  });
});

describe("tiered venues", () => {
  const venues = [
    { venueId: 1, ranks: ["deputy_county", "county"] as Rank[], free: 2 },
    { venueId: 2, ranks: ["section"] as Rank[], free: 0 },
    { venueId: 3, ranks: ["section", "deputy_section"] as Rank[], free: 5 },
  ];

  it.each<[Rank, number | null]>([
    ["county", 1],
    ["deputy_county", 1],
    // The first venue for the rank is full: the next one that seats it.
    ["section", 3],
    ["deputy_section", 3],
    // No venue seats staff: online.
    ["staff", null],
    ["bureau", null],
  ])("%s goes to venue %s", (rank, expected) => {
    expect(assignVenue(rank, venues)).toBe(expected);
  });

  it("everyone is online when every fitting venue is full", () => {
    expect(assignVenue("county", [{ venueId: 1, ranks: ["county"], free: 0 }])).toBeNull();
  });

  it("lists the venues a rank may choose, in order", () => {
    expect(venuesForRank(venues, "section").map((v) => v.venueId)).toEqual([2, 3]);
    expect(venuesForRank(venues, "staff")).toEqual([]);
  });
});

describe("waitlist promotion order", () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute));

  it("the first to join is the first promoted; only as many as seats are free", () => {
    const promotions = planPromotions(
      [{ venueId: 1, capacity: 10, occupied: 8 }],
      [
        { registrationId: 3, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(5) },
        { registrationId: 1, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(1) },
        { registrationId: 2, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(3) },
      ],
    );
    expect(promotions.map((p) => p.registrationId)).toEqual([1, 2]);
  });

  it("ties on time go by registration id", () => {
    const promotions = planPromotions(
      [{ venueId: 1, capacity: 1, occupied: 0 }],
      [
        { registrationId: 9, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(1) },
        { registrationId: 4, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(1) },
      ],
    );
    expect(promotions).toEqual([{ registrationId: 4, fromVenueId: null, toVenueId: 1 }]);
  });

  it("a promoted cadre's old seat goes to the first waiting for that venue", () => {
    const promotions = planPromotions(
      [
        { venueId: 1, capacity: 5, occupied: 4 },
        { venueId: 2, capacity: 3, occupied: 3 },
      ],
      [
        { registrationId: 10, currentVenueId: 2, waitVenueId: 1, waitlistedAt: at(1) },
        { registrationId: 11, currentVenueId: null, waitVenueId: 2, waitlistedAt: at(2) },
        { registrationId: 12, currentVenueId: null, waitVenueId: 2, waitlistedAt: at(3) },
      ],
    );
    expect(promotions).toEqual([
      { registrationId: 10, fromVenueId: 2, toVenueId: 1 },
      { registrationId: 11, fromVenueId: null, toVenueId: 2 },
    ]);
  });

  it("nobody moves while a venue is full or over capacity", () => {
    expect(
      planPromotions(
        [{ venueId: 1, capacity: 2, occupied: 3 }],
        [{ registrationId: 1, currentVenueId: null, waitVenueId: 1, waitlistedAt: at(0) }],
      ),
    ).toEqual([]);
  });
});

describe("session codes", () => {
  it("number on from the highest code of each year", () => {
    expect(nextSessionCodes(["2026-03-11", "2026-03-25", "2027-01-13"], ["2026-01", "2026-07", "2026-S1", "2025-24"])).toEqual([
      "2026-08",
      "2026-09",
      "2027-01",
    ]);
  });

  it.each([
    ["2026-07", true],
    ["2026-S1", true],
    ["admin", false],
    ["leave", false],
    ["2026 07", false],
    ["../x1", false],
    ["", false],
  ])("%s is a session code: %s", (code, expected) => {
    expect(isSessionCode(code)).toBe(expected);
  });
});
