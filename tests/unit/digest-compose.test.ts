import { describe, expect, it } from "vitest";
import {
  composeDigest,
  composeUnit,
  digestKey,
  digestPeriods,
  emptyUnit,
  type GatheredUnit,
  lastFinishedMonth,
  NAMES_SHOWN,
  planDigests,
  RECORDS_SHOWN,
} from "~/modules/digest/compose";
import { renderDigest } from "~/modules/digest/render.server";
import { renderEmail } from "~/modules/email/render.server";
import WeeklyDigestEmail from "~emails/weekly-digest";

const ORIGIN = "https://luoshi.test";
const W47 = { year: 2026, week: 47 };
const people = (n: number, prefix = "干部") => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i + 1}` }));

/** 市教育和体育局 with something in every section. */
function busyUnit(): GatheredUnit {
  return {
    unitId: 17,
    code: "SF010",
    name: "市教育和体育局",
    attendance: [
      {
        code: "2026-21",
        title: "安全生产责任体系与风险隐患排查",
        startsAt: "2026-11-11T11:30:00.000Z",
        enrolled: 40,
        present: 34,
        late: 2,
        excused: 3,
        absent: 1,
        absentees: { rows: [{ name: "王勇国" }], total: 1 },
        latecomers: {
          rows: [
            { name: "雷瑞凯", checkedInAt: "2026-11-11T11:55:00.000Z" },
            { name: "曾波桂", checkedInAt: null },
          ],
          total: 2,
        },
      },
      // Everybody came: nothing to say about this one.
      {
        code: "2026-x",
        title: "专题讲座",
        startsAt: "2026-11-13T11:30:00.000Z",
        enrolled: 5,
        present: 5,
        late: 0,
        excused: 0,
        absent: 0,
        absentees: { rows: [], total: 0 },
        latecomers: { rows: [], total: 0 },
      },
    ],
    upcoming: [
      {
        code: "2026-22",
        title: "文旅融合发展的实践探索",
        startsAt: "2026-11-25T11:30:00.000Z",
        registrationDeadline: "2026-11-25T05:30:00.000Z",
        audience: 40,
        notRegistered: { rows: [{ name: "马晓东" }], total: 1 },
        leavePending: { rows: [{ name: "朱梅俊" }], total: 1 },
      },
      {
        code: "2026-23",
        title: "统计数据质量与依法统计",
        startsAt: "2026-11-27T11:30:00.000Z",
        registrationDeadline: "2026-11-27T05:30:00.000Z",
        audience: 40,
        notRegistered: { rows: [], total: 0 },
        leavePending: { rows: [], total: 0 },
      },
    ],
    frontlinePending: {
      rows: [{ name: "杨新", category: "sinking_service", place: "望河街道便民服务中心", startDate: "2026-11-06", endDate: "2026-11-21" }],
      total: 1,
    },
    quota: { month: "2026-10", shortfalls: { rows: [{ name: "雷瑞凯", days: 3, quota: 5 }], total: 1 } },
    published: { quarter: "2026Q3", group: "department", rank: 19, size: 67, previousRank: 22 },
    draft: { quarter: "2026Q4", rank: 12, size: 67 },
    nominations: [
      {
        roundId: 3,
        name: "2026 换届 敢担当善作为",
        deadline: "2026-11-30T10:00:00.000Z",
        nominees: { rows: [{ name: "肖宇" }], total: 1 },
      },
    ],
    ratingCases: { newCases: 2, overdue: 1 },
  };
}

const recipient = { locale: "zh-CN" as const, organizationName: "示范市委组织部", name: "雷瑞凯", copyOf: null };

describe("composing the weekly digest", () => {
  it("keeps every section of a busy unit, each item linked to the page that acts on it", () => {
    const unit = composeUnit(busyUnit(), ORIGIN, W47);
    expect(unit.attendance!.sessions.map((s) => s.title)).toEqual(["安全生产责任体系与风险隐患排查"]);
    expect(unit.attendance!.url).toBe(`${ORIGIN}/attendance/units/17?from=2026-11-09&to=2026-11-15`);
    expect(unit.attendance!.sessions[0]!.latecomers).toEqual({
      items: [
        { name: "雷瑞凯", checkedInAt: "2026-11-11T11:55:00.000Z" },
        { name: "曾波桂", checkedInAt: null },
      ],
      more: 0,
    });
    // Only the session with something to do, and the leave link only where leave waits.
    expect(unit.upcoming!.sessions).toHaveLength(1);
    expect(unit.upcoming!.sessions[0]).toMatchObject({
      url: `${ORIGIN}/classes/unit?session=2026-22`,
      leaveUrl: `${ORIGIN}/classes/leave`,
    });
    expect(unit.frontline!.pending).toMatchObject({ total: 1, url: `${ORIGIN}/frontline/verify` });
    expect(unit.frontline!.pending!.records[0]!.days).toBe(16);
    expect(unit.frontline!.quota).toMatchObject({ month: "2026-10", url: `${ORIGIN}/frontline/units/17?from=2026-10&to=2026-10` });
    // 22nd last quarter, 19th now: up three.
    expect(unit.ranking!.published).toMatchObject({ rank: 19, size: 67, change: 3, url: `${ORIGIN}/rankings/2026Q3/units/17` });
    expect(unit.ranking!.draft).toEqual({ quarter: "2026Q4", rank: 12, size: 67 });
    expect(unit.shortlists!.rounds[0]).toMatchObject({
      url: `${ORIGIN}/shortlists/3?tab=nominations`,
      nominees: { items: [{ name: "肖宇" }], more: 0 },
    });
    // Public-rating follow-ups: last week's new 不满意 and the overdue ones, linked to the overdue list.
    expect(unit.ratings).toEqual({ newCases: 2, overdue: 1, url: `${ORIGIN}/ratings/cases?state=overdue&unit=17` });
  });

  it("leaves out every section with nothing to say: an empty unit is all clear", () => {
    const unit = composeUnit(emptyUnit({ unitId: 5, code: "SF005", name: "市委编办" }), ORIGIN, W47);
    expect(unit).toEqual({
      name: "市委编办",
      attendance: null,
      upcoming: null,
      frontline: null,
      ranking: null,
      shortlists: null,
      ratings: null,
    });
    // Data that holds nothing to act on is no section either.
    const quiet = busyUnit();
    quiet.attendance = quiet.attendance.slice(1);
    quiet.upcoming = quiet.upcoming.slice(1);
    quiet.frontlinePending = { rows: [], total: 0 };
    quiet.quota = { month: "2026-10", shortfalls: { rows: [], total: 0 } };
    quiet.published = null;
    quiet.draft = { quarter: "2026Q4", rank: null, size: 67 };
    quiet.nominations = [];
    quiet.ratingCases = null;
    expect(composeUnit(quiet, ORIGIN, W47)).toMatchObject({
      attendance: null,
      upcoming: null,
      frontline: null,
      ranking: null,
      shortlists: null,
      ratings: null,
    });
  });

  it("keeps one part of a section when the other is empty", () => {
    const unit = busyUnit();
    unit.frontlinePending = { rows: [], total: 0 };
    expect(composeUnit(unit, ORIGIN, W47).frontline).toMatchObject({ pending: null, quota: { month: "2026-10" } });
    unit.published = null;
    expect(composeUnit(unit, ORIGIN, W47).ranking).toEqual({ published: null, draft: { quarter: "2026Q4", rank: 12, size: 67 } });
  });

  it("cuts long lists short and says how many more the page shows", () => {
    const unit = busyUnit();
    unit.attendance[0]!.absentees = { rows: people(NAMES_SHOWN), total: 300 };
    unit.frontlinePending = { rows: Array.from({ length: RECORDS_SHOWN + 5 }, () => unit.frontlinePending.rows[0]!), total: 57 };
    const composed = composeUnit(unit, ORIGIN, W47);
    expect(composed.attendance!.sessions[0]!.absentees.items).toHaveLength(NAMES_SHOWN);
    expect(composed.attendance!.sessions[0]!.absentees.more).toBe(300 - NAMES_SHOWN);
    expect(composed.frontline!.pending!.records).toHaveLength(RECORDS_SHOWN);
    expect(composed.frontline!.pending!.total).toBe(57);
  });

  it("reports movement both ways, and none without a previous quarter or a place", () => {
    const change = (rank: number | null, previousRank: number | null) => {
      const unit = busyUnit();
      unit.published = { quarter: "2026Q3", group: "town", rank, size: 20, previousRank };
      return composeUnit(unit, ORIGIN, W47).ranking!.published!.change;
    };
    expect(change(5, 9)).toBe(4);
    expect(change(9, 5)).toBe(-4);
    expect(change(5, 5)).toBe(0);
    expect(change(5, null)).toBeNull();
    expect(change(null, 5)).toBeNull();
  });

  it("names the week it is sent in and the week it reports on", () => {
    const props = composeDigest(recipient, W47, [busyUnit()], ORIGIN);
    expect(props.week).toEqual({ year: 2026, week: 47, firstDay: "2026-11-16", lastDay: "2026-11-22" });
    expect(props.lastWeek).toEqual({ firstDay: "2026-11-09", lastDay: "2026-11-15" });
    const first = composeDigest(recipient, { year: 2027, week: 1 }, [], ORIGIN);
    expect(first.lastWeek).toEqual({ firstDay: "2026-12-28", lastDay: "2027-01-03" });
  });

  it("looks back on the last finished month for quota shortfalls and a fortnight ahead for sessions", () => {
    expect(lastFinishedMonth("2026-11-15")).toBe("2026-10");
    expect(lastFinishedMonth("2026-11-30")).toBe("2026-11");
    expect(lastFinishedMonth("2026-01-04")).toBe("2025-12");
    expect(lastFinishedMonth("2024-02-29")).toBe("2024-02");
    const periods = digestPeriods(W47);
    expect(periods.quotaMonth).toBe("2026-10");
    expect(periods.lastWeek.start.toISOString()).toBe("2026-11-08T16:00:00.000Z");
    expect(periods.lastWeek.end.toISOString()).toBe("2026-11-15T16:00:00.000Z");
    expect(periods.upcomingUntil.toISOString()).toBe("2026-11-29T16:00:00.000Z");
  });
});

describe("who gets which digest", () => {
  const head = (cadreId: number, units: { unitId: number; copiesLiaisons: boolean }[]) => ({
    cadreId,
    userId: null,
    name: `负责人${cadreId}`,
    email: `h${cadreId}@x.cn`,
    locale: "zh-CN" as const,
    units,
  });
  const liaison = (cadreId: number) => ({
    cadreId,
    userId: null,
    name: `联络员${cadreId}`,
    email: `l${cadreId}@x.cn`,
    locale: "zh-CN" as const,
  });

  it("one digest per head and week, however many units; liaisons only where the unit chose it", () => {
    const liaisons = new Map([
      [1, [liaison(50), liaison(51)]],
      [2, [liaison(50)]],
      [3, [liaison(52)]],
    ]);
    const plan = planDigests(
      [
        head(10, [
          { unitId: 1, copiesLiaisons: true },
          { unitId: 2, copiesLiaisons: true },
        ]),
        head(11, [{ unitId: 3, copiesLiaisons: false }]),
      ],
      liaisons,
      W47,
    );
    expect(plan.map((p) => [p.key, p.recipient.email, p.copyOf, p.unitIds])).toEqual([
      ["digest/10/2026-W47", "h10@x.cn", null, [1, 2]],
      ["digest/10/2026-W47/liaison/50", "l50@x.cn", "负责人10", [1, 2]],
      ["digest/10/2026-W47/liaison/51", "l51@x.cn", "负责人10", [1]],
      ["digest/11/2026-W47", "h11@x.cn", null, [3]],
    ]);
  });

  it("never sends a head a copy of their own digest", () => {
    const plan = planDigests([head(10, [{ unitId: 1, copiesLiaisons: true }])], new Map([[1, [liaison(10)]]]), W47);
    expect(plan.map((p) => p.key)).toEqual(["digest/10/2026-W47"]);
    expect(digestKey(10, { year: 2027, week: 1 })).toBe("digest/10/2027-W01");
  });
});

describe("the weekly digest email", () => {
  it("reads well in Chinese: heading, sections, names, times in Shanghai and links", async () => {
    const email = renderDigest(composeDigest(recipient, W47, [busyUnit()], ORIGIN));
    expect(email.subject).toBe("市教育和体育局周报 · 2026年第47周");
    const text = email.text;
    expect(text).toContain("市教育和体育局 · 2026年第47周（11月16日—11月22日）");
    expect(text).toContain("以下是本单位自上周（11月9日—11月15日）以来需要您了解和处理的事项");
    expect(text).toContain("11月11日（周三）19:30 · 安全生产责任体系与风险隐患排查");
    expect(text).toContain("应到 40 人：出席 34，迟到 2，请假 3，缺勤 1");
    expect(text).toContain("缺勤：王勇国");
    expect(text).toContain("迟到：雷瑞凯（19:55签到）、曾波桂");
    expect(text).toContain("应参加 40 人，尚未报名 1 人：马晓东");
    expect(text).toContain("请假待您审批 1 人：朱梅俊");
    expect(text).toContain(`查看报名情况 ${ORIGIN}/classes/unit?session=2026-22 审批请假 ${ORIGIN}/classes/leave`);
    expect(text).toContain("杨新 · 下沉服务 · 望河街道便民服务中心 · 11月6日—11月21日（16 天）");
    expect(text).toContain(`去核实 ${ORIGIN}/frontline/verify`);
    expect(text).toContain("10月一线工作天数未达月度定额 1 人：雷瑞凯（3/5 天）");
    expect(text).toContain("2026年第三季度（已发布）：在部门类 67 个单位中排第 19 名。较上季度上升 3 位。");
    expect(text).toContain("2026年第四季度排名草稿：暂列第 12 名（共 67 个）");
    expect(text).toContain(`查看排名详情 ${ORIGIN}/rankings/2026Q3/units/17`);
    expect(text).toContain("“2026 换届 敢担当善作为”推荐截止 11月30日（周一）18:00，待组织部研究 1 人：肖宇");
    expect(text).toContain(`查看推荐情况 ${ORIGIN}/shortlists/3?tab=nominations`);
    expect(text).not.toContain("专题讲座");
    expect(text).not.toContain("统计数据质量与依法统计");
    expect(text).toContain("您收到这封邮件，是因为您是市教育和体育局的负责人");
  });

  it("writes the year of a date that is not this year's", () => {
    const unit = busyUnit();
    unit.frontlinePending.rows[0] = { ...unit.frontlinePending.rows[0]!, startDate: "2025-12-23", endDate: "2025-12-25" };
    expect(renderDigest(composeDigest(recipient, W47, [unit], ORIGIN)).text).toContain("2025年12月23日—2025年12月25日（3 天）");
  });

  it("writes the year of a round that closes next year", () => {
    const unit = busyUnit();
    unit.nominations[0] = { ...unit.nominations[0]!, deadline: "2027-01-05T10:00:00.000Z" };
    expect(renderDigest(composeDigest(recipient, W47, [unit], ORIGIN)).text).toContain("推荐截止 2027年1月5日（周二）18:00，");
    expect(renderDigest(composeDigest({ ...recipient, locale: "en" }, W47, [unit], ORIGIN)).text).toContain(
      "nominations close Tue 5 Jan 2027, 18:00",
    );
  });

  it("a unit with nothing at all gets one all-clear line and no section", () => {
    const email = renderDigest(composeDigest(recipient, W47, [emptyUnit({ unitId: 5, code: "SF005", name: "市委编办" })], ORIGIN));
    expect(email.text).toContain("本周一切正常，没有需要您关注或处理的事项。");
    for (const title of ["上周夜课堂考勤", "近期夜课堂", "一线工作", "季度排名", "优先提拔名单推荐", "以下是本单位"])
      expect(email.text).not.toContain(title);
  });

  it("says how many more names the page shows", () => {
    const unit = busyUnit();
    unit.attendance[0]!.absent = 300;
    unit.attendance[0]!.absentees = { rows: people(300), total: 300 };
    const text = renderDigest(composeDigest(recipient, W47, [unit], ORIGIN)).text;
    expect(text).toContain(`干部${NAMES_SHOWN}……另有 ${300 - NAMES_SHOWN} 人`);
    expect(text).not.toContain(`干部${NAMES_SHOWN + 1}、`);
  });

  it("a head of two units gets both in one email; a liaison's copy says so", () => {
    const other = emptyUnit({ unitId: 5, code: "SF005", name: "市委编办" });
    const props = composeDigest({ ...recipient, name: "王芳", copyOf: "雷瑞凯" }, W47, [busyUnit(), other], ORIGIN);
    const email = renderDigest(props);
    expect(email.subject).toBe("（抄送）市教育和体育局等 2 个单位周报 · 2026年第47周");
    expect(email.text).toContain("这是发给雷瑞凯同志的单位周报的抄送件");
    expect(email.text).toContain("市委编办");
    expect(email.text).toContain("您收到这封邮件，是因为您是市教育和体育局、市委编办的联络员");
  });

  it("in English for recipients who chose English", () => {
    const text = renderDigest(composeDigest({ ...recipient, locale: "en" }, W47, [busyUnit()], ORIGIN)).text;
    expect(text).toContain("市教育和体育局 · week 47, 2026 (16 Nov – 22 Nov)");
    expect(text).toContain("2026 Q3 (published): ranked 19 of 67 in the Department group. Up 3 from the previous quarter.");
    expect(text).toContain("Absent: 王勇国");
    expect(text).not.toMatch(/[上周考勤]/);
  });

  it("renders what the generic email path renders: the same markup without React's streaming markers, the same text", async () => {
    const busy = composeDigest(recipient, W47, [busyUnit(), emptyUnit({ unitId: 5, code: "X", name: "市委编办" })], ORIGIN);
    const props = [
      WeeklyDigestEmail.PreviewProps,
      busy,
      { ...busy, locale: "en" as const },
      composeDigest(recipient, W47, [emptyUnit({ unitId: 5, code: "X", name: "市委编办" })], ORIGIN),
    ];
    for (const p of props) {
      const fast = renderDigest(p);
      const generic = await renderEmail("weekly-digest", p);
      expect(fast.subject).toBe(generic.subject);
      expect(fast.html).toBe(generic.html.replaceAll("<!--$-->", "").replaceAll("<!--/$-->", "").replaceAll("<!-- -->", ""));
      // Only headings may differ: html-to-text capitalises them, the faster converter keeps their case.
      const lines = fast.text.split("\n");
      const genericLines = generic.text.split("\n");
      expect(lines).toHaveLength(genericLines.length);
      for (const [i, line] of lines.entries()) expect([line, line.toUpperCase()]).toContain(genericLines[i]);
      if (p.locale === "zh-CN") expect(fast.text).toBe(generic.text);
    }
  });
});
