import { describe, expect, it } from "vitest";
import {
  allowedActions,
  DEFAULT_FRONTLINE_RULES,
  FRONTLINE_ACTIONS,
  FRONTLINE_STATUSES,
  type FrontlineAction,
  type FrontlineActor,
  type FrontlineStatus,
  isEligible,
  isQualifying,
  mayAct,
  monthlyQuota,
  monthStanding,
  nextStatus,
  type RecordFacts,
  refusalKey,
  shortfall,
} from "~/modules/frontline/rules";
import { RANKS, type Rank } from "~db/schema/enums";

/** The whole state machine: every status × every action, what it leads to, or null for refused. */
const EXPECTED: Record<FrontlineStatus, Record<FrontlineAction, FrontlineStatus | "deleted" | null>> = {
  draft: { edit: "draft", submit: "submitted", withdraw: null, delete: "deleted", verify: null, return: null, correct: null, reopen: null },
  submitted: {
    edit: null,
    submit: null,
    withdraw: "draft",
    delete: null,
    verify: "verified",
    return: "returned",
    correct: null,
    reopen: null,
  },
  returned: {
    edit: "returned",
    submit: "submitted",
    withdraw: null,
    delete: "deleted",
    verify: null,
    return: null,
    correct: null,
    reopen: null,
  },
  verified: { edit: null, submit: null, withdraw: null, delete: null, verify: null, return: null, correct: "verified", reopen: "returned" },
};

describe("the record state machine", () => {
  const cases = FRONTLINE_STATUSES.flatMap((s) => FRONTLINE_ACTIONS.map((a) => [s, a, EXPECTED[s][a]] as const));
  it.each(cases)("%s + %s → %s", (status, action, expected) => {
    expect(nextStatus(status, action)).toBe(expected);
  });

  it("refuses every illegal transition even for an org admin who could otherwise act", () => {
    const admin: FrontlineActor = { userId: 1, cadreId: null, isOrgAdmin: true, managedUnitIds: [] };
    for (const [status, action, expected] of cases) {
      const record: RecordFacts = { status, cadreId: 50, cadreUnitId: 7, submittedByUserId: 2 };
      if (expected === null) {
        expect(mayAct(admin, record, action)).toBe(false);
        expect(refusalKey(admin, record, action)).toBe("frontline.errors.notNow");
      }
    }
  });
});

describe("who may do what", () => {
  const UNIT = 7;
  const cadre: FrontlineActor = { userId: 10, cadreId: 100, isOrgAdmin: false, managedUnitIds: [] };
  const head: FrontlineActor = { userId: 11, cadreId: 101, isOrgAdmin: false, managedUnitIds: [UNIT, 8] };
  const otherHead: FrontlineActor = { userId: 12, cadreId: 102, isOrgAdmin: false, managedUnitIds: [9] };
  const admin: FrontlineActor = { userId: 13, cadreId: 103, isOrgAdmin: true, managedUnitIds: [] };
  const colleague: FrontlineActor = { userId: 14, cadreId: 104, isOrgAdmin: false, managedUnitIds: [] };
  const record = (status: FrontlineStatus, over: Partial<RecordFacts> = {}): RecordFacts => ({
    status,
    cadreId: 100,
    cadreUnitId: UNIT,
    submittedByUserId: status === "draft" ? null : 10,
    ...over,
  });

  it.each([
    ["the cadre, on a draft", cadre, record("draft"), ["edit", "submit", "delete"]],
    ["the cadre, on a submitted record", cadre, record("submitted"), ["withdraw"]],
    ["the cadre, on a returned record", cadre, record("returned"), ["edit", "submit", "delete"]],
    ["the cadre, on a verified record", cadre, record("verified"), []],
    ["the unit head, on a submitted record", head, record("submitted"), ["verify", "return"]],
    ["the unit head, on a record they submitted for the cadre", head, record("submitted", { submittedByUserId: 11 }), ["withdraw"]],
    ["the unit head, on a draft (recording on the cadre's behalf)", head, record("draft"), ["edit", "submit", "delete"]],
    ["another unit's head", otherHead, record("submitted"), []],
    ["a colleague in the same unit", colleague, record("submitted"), []],
    ["an org admin, on a submitted record", admin, record("submitted"), ["verify", "return"]],
    ["an org admin, on a verified record", admin, record("verified"), ["correct", "reopen"]],
    ["the unit head, on a verified record", head, record("verified"), []],
  ] as const)("%s", (_, actor, facts, expected) => {
    expect(allowedActions(actor, facts)).toEqual(expected);
  });

  it("a cadre never verifies their own record, even as head of their unit or as an org admin", () => {
    const headsOwnUnit: FrontlineActor = { userId: 10, cadreId: 100, isOrgAdmin: true, managedUnitIds: [UNIT] };
    const own = record("submitted", { submittedByUserId: 99 });
    expect(mayAct(headsOwnUnit, own, "verify")).toBe(false);
    expect(mayAct(headsOwnUnit, own, "return")).toBe(false);
    expect(refusalKey(headsOwnUnit, own, "verify")).toBe("frontline.errors.ownRecord");
    expect(mayAct(headsOwnUnit, record("verified"), "correct")).toBe(false);
  });

  it("whoever submitted a record on the cadre's behalf does not verify it too", () => {
    const submittedByHead = record("submitted", { submittedByUserId: head.userId });
    expect(mayAct(head, submittedByHead, "verify")).toBe(false);
    expect(refusalKey(head, submittedByHead, "verify")).toBe("frontline.errors.ownSubmission");
    expect(mayAct(admin, submittedByHead, "verify")).toBe(true);
  });

  it("another unit's head is refused as a person, not for the record's state", () => {
    expect(refusalKey(otherHead, record("submitted"), "verify")).toBe("errors.forbidden");
  });
});

describe("monthly quota", () => {
  it.each(RANKS.map((r) => [r, ["deputy_county", "county", "deputy_bureau", "bureau"].includes(r) ? 5 : 0] as [Rank, number]))(
    "by default %s owes %i days a month",
    (rank, days) => {
      expect(monthlyQuota(rank, DEFAULT_FRONTLINE_RULES)).toBe(days);
    },
  );

  it("follows the organization's own quotas per rank band", () => {
    const rules = { ...DEFAULT_FRONTLINE_RULES, monthlyQuota: { leading: 8, section: 3, staff: 0 } };
    expect(monthlyQuota("county", rules)).toBe(8);
    expect(monthlyQuota("section", rules)).toBe(3);
    expect(monthlyQuota("deputy_section", rules)).toBe(3);
    expect(monthlyQuota("staff", rules)).toBe(0);
  });

  it.each([
    [0, 5, 5],
    [3, 5, 2],
    [5, 5, 0],
    [9, 5, 0],
    [0, 0, 0],
    [4, 0, 0],
  ])("%i days against a quota of %i fall short by %i", (days, quota, missing) => {
    expect(shortfall(days, quota)).toBe(missing);
  });

  it("marks the month under way as ongoing: its shortfall can still be made up", () => {
    expect(monthStanding("2026-05", 2, 5, "2026-05")).toEqual({ month: "2026-05", days: 2, quota: 5, shortfall: 3, ongoing: true });
    expect(monthStanding("2026-04", 2, 5, "2026-05").ongoing).toBe(false);
  });
});

describe("eligibility", () => {
  it.each([
    [0, 90, false],
    [89, 90, false],
    [90, 90, true],
    [91, 90, true],
    [30, 30, true],
    [29, 30, false],
  ])("%i qualifying days against a threshold of %i: %s", (days, minDays, eligible) => {
    expect(isEligible(days, { eligibilityMinDays: minDays })).toBe(eligible);
  });

  it("counts the six Lanzhou categories, not sinking service or field research", () => {
    expect(["supervision", "stability", "petition", "pairing", "investment", "major_project"].every((c) => isQualifying(c as never))).toBe(
      true,
    );
    expect(isQualifying("sinking_service")).toBe(false);
    expect(isQualifying("field_research")).toBe(false);
  });
});
