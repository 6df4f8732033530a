import { and, eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { occurrences } from "~/modules/classes/recurrence";
import { assignVenue, deadlineBefore, nextSessionCodes } from "~/modules/classes/rules";
import { addDays, shanghaiInstant, shanghaiYear, todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "../client";
import {
  cadres,
  classLeaveRequests,
  classRegistrations,
  classSeries,
  classSeriesVenues,
  classSessions,
  classSessionVenues,
  classVenues,
} from "../schema";
import type { AudienceRule } from "../schema/classes";
import { RANKS, type Rank } from "../schema/enums";
import type { DemoCadre, DemoUnit } from "./demo-city";

/**
 * The demo city's night classes, as Laixi runs them: the year's series on the 2nd and 4th Wednesday,
 * 19:30–21:00, for deputy-section rank and above, watched online or at venues tiered by rank. Past
 * evenings are closed with their enrolments; the coming ones are published with the mandatory audience
 * enrolled. The next evening adds a deliberately small venue of the education system, full and with a
 * waitlist, and a special lecture open to all has a three-seat room, so that the demo accounts have
 * something to do: the cadre can join a waitlist, the head has a leave request to decide.
 */

export const DEMO_VENUES = [
  {
    name: "市委党校报告厅（主会场）",
    address: "示范市人民路 88 号",
    capacity: 60,
    ranks: ["county", "deputy_county", "deputy_bureau", "bureau"],
  },
  { name: "市行政中心一号会议室", address: "示范市行政中心 A 座 1 楼", capacity: 300, ranks: ["section"] },
  { name: "市政务服务中心多功能厅", address: "示范市建设路 16 号 3 楼", capacity: 400, ranks: ["section", "deputy_section"] },
  { name: "教育系统分会场（市第一中学报告厅）", address: "示范市学府街 1 号", capacity: 6, ranks: ["section", "deputy_section"] },
  {
    name: "市委党校第二教室",
    address: "示范市人民路 88 号 2 楼",
    capacity: 3,
    ranks: ["staff", "deputy_section", "section", "deputy_county", "county"],
  },
] as const satisfies readonly { name: string; address: string; capacity: number; ranks: readonly Rank[] }[];

const SERIES_VENUES = [0, 1, 2];
const SMALL_VENUE = 3;
const SPECIAL_VENUES = [4, 2];

const LECTURES: [string, string, string, string[]][] = [
  ["新时代党的建设总要求与基层实践", "周文华", "省委党校党建教研部", ["党的建设"]],
  ["数字政府建设与基层治理能力提升", "陈立新", "省委党校公共管理教研部", ["数字政府", "基层治理"]],
  ["营商环境优化的路径与案例", "刘海波", "省社会科学院经济研究所", ["营商环境"]],
  ["县域经济高质量发展的若干思考", "王志强", "省发展战略研究中心", ["县域经济"]],
  ["乡村振兴战略与村级集体经济", "赵敏", "省农业大学经济管理学院", ["乡村振兴"]],
  ["信访工作法治化与矛盾纠纷化解", "孙建国", "省信访局政策法规处", ["信访", "法治"]],
  ["重大项目谋划与全周期管理", "李俊峰", "省重点项目服务中心", ["项目建设"]],
  ["招商引资新形势与产业链招商", "何丽", "省投资促进局", ["招商引资"]],
  ["领导干部的法治思维与依法行政", "高鹏", "省委依法治省办", ["法治"]],
  ["应急管理体系和能力现代化", "马超", "省应急管理厅", ["应急管理"]],
  ["生态文明建设与绿色低碳发展", "林雪", "省生态环境科学研究院", ["生态环境"]],
  ["公文写作与调查研究方法", "郭涛", "省委政策研究室", ["调查研究"]],
  ["财政政策与地方债务风险防控", "罗宁", "省财政科学研究所", ["财政"]],
  ["城市更新与城市精细化管理", "郑宇", "省住房和城乡建设厅", ["城市管理"]],
  ["教育强国建设与基础教育改革", "梁文", "省教育科学研究院", ["教育"]],
  ["健康中国战略与基层医疗卫生", "谢芳", "省卫生健康委员会", ["卫生健康"]],
  ["新质生产力与传统产业转型升级", "宋凯", "省工业和信息化研究院", ["产业发展"]],
  ["民生保障与社会救助制度", "唐静", "省民政厅", ["民生"]],
  ["网络意识形态与舆情应对", "韩磊", "省委网信办", ["舆情"]],
  ["干部担当作为与容错纠错机制", "冯建华", "省委组织部干部教育处", ["干部工作"]],
  ["安全生产责任体系与风险隐患排查", "邓军", "省安全生产研究院", ["安全生产"]],
  ["文旅融合发展的实践探索", "曹梅", "省文化和旅游研究院", ["文化旅游"]],
  ["统计数据质量与依法统计", "彭亮", "省统计局", ["统计"]],
  ["年度工作复盘与狠抓落实方法论", "曾晓东", "省委党校领导科学教研部", ["狠抓落实"]],
];

const AUDIENCE: AudienceRule = { minRank: "deputy_section", unitIds: [], cadreIds: [], excludeCadreIds: [] };
const LIVE_URL = "https://live.example.gov.cn/night-class";

const DAY = 86_400_000;

export async function seedDemoClasses(
  db: DbOrTx,
  city: { units: DemoUnit[]; cadres: DemoCadre[] },
  options: { now: Date; demoAccounts: boolean },
) {
  const { now } = options;
  const thisYear = shanghaiYear(now);

  const venues = await db
    .insert(classVenues)
    .values(DEMO_VENUES.map((v) => ({ ...v, ranks: [...v.ranks] })))
    .returning({ id: classVenues.id, capacity: classVenues.capacity, ranks: classVenues.ranks });

  const people = await db
    .select({ id: cadres.id, staffNo: cadres.staffNo, rank: cadres.rank })
    .from(cadres)
    .where(and(eq(cadres.status, "active"), sql`${cadres.rank} >= 'deputy_section'`));
  const idOf = new Map((await db.select({ id: cadres.id, staffNo: cadres.staffNo }).from(cadres)).map((c) => [c.staffNo, c.id]));

  // The same seating for every evening of the series: higher ranks first, then by staff number.
  const seats = SERIES_VENUES.map((i) => ({ venueId: venues[i]!.id, ranks: venues[i]!.ranks, free: venues[i]!.capacity }));
  const seating = [...people]
    .sort((a, b) => RANKS.indexOf(b.rank) - RANKS.indexOf(a.rank) || a.staffNo.localeCompare(b.staffNo))
    .map((c) => {
      const venueId = assignVenue(c.rank, seats);
      if (venueId !== null) seats.find((s) => s.venueId === venueId)!.free--;
      return { cadre_id: c.id, venue_id: venueId };
    });

  let sessionCount = 0;
  const upcomingCodes: string[] = [];
  for (const year of [thisYear, thisYear + 1]) {
    const dates = occurrences({ kind: "monthly", weekday: 3, weeks: [2, 4] }, `${year}-01-01`, `${year}-12-31`);
    const upcomingSoFar = upcomingCodes.length;
    // Next year's plan only when this year has hardly anything left to register for.
    if (year > thisYear && upcomingSoFar >= 2) break;
    const [series] = await db
      .insert(classSeries)
      .values({
        title: `${year}年夜课堂`,
        description: "每月第二、四个星期三晚上，线上直播授课、线下分层收看，副科级及以上干部必修。",
        recurrence: { kind: "monthly", weekday: 3, weeks: [2, 4] },
        startDate: `${year}-01-01`,
        endDate: `${year}-12-31`,
        startTime: "19:30",
        endTime: "21:00",
        trainingHours: 1.5,
        deadlineHoursBefore: 6,
        audience: AUDIENCE,
        liveUrl: LIVE_URL,
      })
      .returning({ id: classSeries.id });
    await db.insert(classSeriesVenues).values(SERIES_VENUES.map((i) => ({ seriesId: series!.id, venueId: venues[i]!.id })));
    const codes = nextSessionCodes(dates, []);
    const rows = dates.map((date, i) => {
      const startsAt = shanghaiInstant(date, "19:30");
      const endsAt = shanghaiInstant(date, "21:00");
      const [title, lecturer, affiliation, tags] = LECTURES[i % LECTURES.length]!;
      const past = endsAt <= now;
      return {
        code: codes[i]!,
        seriesId: series!.id,
        title,
        lecturer,
        lecturerAffiliation: affiliation,
        topicTags: tags,
        startsAt,
        endsAt,
        registrationDeadline: deadlineBefore(startsAt, 6),
        liveUrl: LIVE_URL,
        replayUrl: past ? `https://live.example.gov.cn/replay/${codes[i]}` : null,
        materials: past ? [{ label: "课件", url: `https://live.example.gov.cn/materials/${codes[i]}.pdf` }] : [],
        trainingHours: 1.5,
        status: past ? ("closed" as const) : ("published" as const),
        audience: AUDIENCE,
        publishedAt: new Date(startsAt.getTime() - 14 * DAY),
        closedAt: past ? new Date(endsAt.getTime() + 3_600_000) : null,
      };
    });
    const sessions = await db
      .insert(classSessions)
      .values(rows)
      .returning({ id: classSessions.id, code: classSessions.code, startsAt: classSessions.startsAt });
    sessionCount += sessions.length;
    upcomingCodes.push(...sessions.filter((s) => s.startsAt > now).map((s) => s.code));
    await db
      .insert(classSessionVenues)
      .values(
        sessions.flatMap((s) =>
          SERIES_VENUES.map((i) => ({ sessionId: s.id, venueId: venues[i]!.id, capacity: venues[i]!.capacity, ranks: venues[i]!.ranks })),
        ),
      );
    // Every evening's enrolment in one statement: tens of thousands of rows in well under a second.
    await db.execute(sql`
      insert into class_registrations (session_id, cadre_id, source, venue_id, registered_at)
      select s.id, x.cadre_id, 'mandatory', x.venue_id, s.published_at
      from class_sessions s cross join jsonb_to_recordset(${JSON.stringify(seating)}::jsonb) as x(cadre_id integer, venue_id integer)
      where s.series_id = ${series!.id}`);
  }

  const education = city.units.find((u) => u.name === "市教育和体育局")!;
  const eduStaff = city.cadres.filter((c) => c.unitCode === education.code && c.rank !== "staff");
  const head = eduStaff.find((c) => c.isHead)!;
  const demoCadre = eduStaff.find((c) => !c.isHead && c.rank === "deputy_section")!;
  const others = eduStaff.filter((c) => c !== head && c !== demoCadre);
  const cadreId = (c: DemoCadre) => idOf.get(c.staffNo)!;

  // The next evening: the education system's own small venue, full, two waiting, one leave to decide.
  const nextCode = upcomingCodes[0];
  if (nextCode) {
    const [next] = await db
      .select({ id: classSessions.id, startsAt: classSessions.startsAt })
      .from(classSessions)
      .where(eq(classSessions.code, nextCode));
    const small = venues[SMALL_VENUE]!;
    await db.insert(classSessionVenues).values({ sessionId: next!.id, venueId: small.id, capacity: small.capacity, ranks: small.ranks });
    const seated = [head, ...others.slice(0, small.capacity - 1)];
    await db
      .update(classRegistrations)
      .set({ venueId: small.id })
      .where(and(eq(classRegistrations.sessionId, next!.id), inArray(classRegistrations.cadreId, seated.map(cadreId))));
    const waiting = others.slice(small.capacity - 1, small.capacity + 1);
    for (const [i, c] of waiting.entries()) {
      await db
        .update(classRegistrations)
        .set({ waitlistVenueId: small.id, waitlistedAt: new Date(now.getTime() - (2 - i) * 3_600_000) })
        .where(and(eq(classRegistrations.sessionId, next!.id), eq(classRegistrations.cadreId, cadreId(c))));
    }
    const asking = others[1]!;
    await db.insert(classLeaveRequests).values({
      sessionId: next!.id,
      cadreId: cadreId(asking),
      reason: "当晚需带队参加省教育厅组织的校园安全专项督查，申请请假，课后观看回放补学。",
      createdAt: new Date(now.getTime() - 5 * 3_600_000),
    });
  }

  // A special lecture open to everyone, not mandatory, in a three-seat room that is already full.
  const specialDay = addDays(todayInShanghai(now), 12);
  const specialStart = shanghaiInstant(specialDay, "19:00");
  const [special] = await db
    .insert(classSessions)
    .values({
      code: `${thisYear}-S1`,
      title: "专题讲座：人工智能赋能政务服务",
      lecturer: "沈思远",
      lecturerAffiliation: "省大数据发展研究院",
      topicTags: ["人工智能", "政务服务"],
      description: "面向全体干部的专题讲座，自愿报名，可线上收看或到分会场。",
      startsAt: specialStart,
      endsAt: shanghaiInstant(specialDay, "20:30"),
      registrationDeadline: deadlineBefore(specialStart, 2),
      liveUrl: `${LIVE_URL}/special`,
      trainingHours: 1.5,
      status: "published",
      audience: { minRank: "staff", unitIds: [], cadreIds: [], excludeCadreIds: [] },
      audienceMandatory: false,
      openRegistration: true,
      publishedAt: new Date(now.getTime() - 2 * DAY),
    })
    .returning({ id: classSessions.id });
  await db.insert(classSessionVenues).values(
    SPECIAL_VENUES.map((i) => ({
      sessionId: special!.id,
      venueId: venues[i]!.id,
      capacity: venues[i]!.capacity,
      ranks: venues[i]!.ranks,
    })),
  );
  const room = venues[SPECIAL_VENUES[0]!]!;
  const roomTakers = [head, others[others.length - 1]!, others[others.length - 2]!];
  await db.insert(classRegistrations).values(
    roomTakers.map((c, i) => ({
      sessionId: special!.id,
      cadreId: cadreId(c),
      source: "self" as const,
      venueId: room.id,
      registeredAt: new Date(now.getTime() - (30 - i) * 3_600_000),
    })),
  );

  // Make-up study to show on the cadre's page: approved leave for a past evening.
  const [lastPast] = await db
    .select({ id: classSessions.id })
    .from(classSessions)
    .where(and(eq(classSessions.status, "closed"), sql`${classSessions.code} not like '%-S%'`))
    .orderBy(sql`${classSessions.startsAt} desc`)
    .limit(1);
  if (lastPast && options.demoAccounts) {
    await db.insert(classLeaveRequests).values({
      sessionId: lastPast.id,
      cadreId: cadreId(demoCadre),
      reason: "当晚在市职业教育中心新校区项目现场值守。",
      status: "approved",
      decidedAt: now,
      decisionComment: "同意，请观看回放补学。",
    });
  }

  await audit(
    db,
    { userId: null, label: "seed" },
    {
      action: "seed.demo_classes",
      entityType: "class_series",
      after: { venues: venues.length, sessions: sessionCount + 1, upcoming: upcomingCodes.length },
    },
  );
  return { venues: venues.length, sessions: sessionCount + 1 };
}

// ---------------------------------------------------------------------------------------------------
// Factories for the tests (the demo above builds the same rows in bulk).

let sequence = 0;
const nextId = () => `${Date.now().toString(36)}${(++sequence).toString(36)}`.toUpperCase();

export async function createClassVenue(
  db: DbOrTx,
  values: Partial<{ name: string; address: string; capacity: number; ranks: Rank[] }> = {},
) {
  const [venue] = await db
    .insert(classVenues)
    .values({
      name: values.name ?? `会场${nextId()}`,
      address: values.address ?? "",
      capacity: values.capacity ?? 50,
      ranks: values.ranks ?? [...RANKS],
    })
    .returning();
  return venue!;
}

/**
 * A session starting in a week (19:30 Shanghai) unless told otherwise, as a draft, with the venues
 * given (each with the venue's own capacity and ranks unless overridden).
 */
export async function createClassSession(
  db: DbOrTx,
  values: Partial<{
    code: string;
    title: string;
    startsAt: Date;
    endsAt: Date;
    registrationDeadline: Date;
    status: "draft" | "published" | "closed" | "cancelled";
    audience: Partial<AudienceRule>;
    audienceMandatory: boolean;
    openRegistration: boolean;
    trainingHours: number;
    replayUrl: string | null;
    venues: { id: number; capacity?: number; ranks?: Rank[] }[];
  }> = {},
) {
  const startsAt = values.startsAt ?? new Date(Date.now() + 7 * DAY);
  const [session] = await db
    .insert(classSessions)
    .values({
      code: values.code ?? `T${nextId()}1`,
      title: values.title ?? "测试课程",
      startsAt,
      endsAt: values.endsAt ?? new Date(startsAt.getTime() + 90 * 60_000),
      registrationDeadline: values.registrationDeadline ?? new Date(startsAt.getTime() - 6 * 3_600_000),
      status: values.status ?? "draft",
      audience: { minRank: null, unitIds: [], cadreIds: [], excludeCadreIds: [], ...values.audience },
      audienceMandatory: values.audienceMandatory ?? true,
      openRegistration: values.openRegistration ?? true,
      trainingHours: values.trainingHours ?? 1.5,
      replayUrl: values.replayUrl ?? null,
      publishedAt: values.status === "published" ? new Date() : null,
    })
    .returning();
  for (const v of values.venues ?? []) {
    const [venue] = await db.select().from(classVenues).where(eq(classVenues.id, v.id));
    await db
      .insert(classSessionVenues)
      .values({ sessionId: session!.id, venueId: v.id, capacity: v.capacity ?? venue!.capacity, ranks: v.ranks ?? venue!.ranks });
  }
  return session!;
}
