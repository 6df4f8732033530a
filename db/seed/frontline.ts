import { eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { addMonths, monthInterval, monthOf } from "~/modules/frontline/days";
import { addDays, dateOfDayNumber, dayNumber, shanghaiMidnight } from "~/utils/dates";
import type { DbOrTx } from "../client";
import { cadres, type FrontlineCategory, type FrontlineStatus, frontlineRecords, userRoles, users } from "../schema";
import { RANKS } from "../schema/enums";
import { type DemoCadre, type DemoUnit, prng } from "./demo-city";

/**
 * A year of frontline work in the demo city, the same on every machine for a given day: the city's
 * leaders out most months (a few short of the quota), a third of the other cadres with a posting or
 * two, some long pairing and project postings that make cadres eligible, overlaps, records waiting in
 * every unit's queue (the education bureau's included, one with an overlap), some returned.
 */
export interface DemoFrontlineRecord {
  staffNo: string;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  summary: string;
  outcome: string;
  status: FrontlineStatus;
  returnComment?: string;
}

/** The demo cadre account's own records; the e2e test records a week that overlaps the first one. */
export function demoCadreRecords(today: string): Omit<DemoFrontlineRecord, "staffNo">[] {
  const month = (back: number) => addMonths(monthOf(today), -back);
  return [
    {
      category: "petition",
      place: "市信访局接待大厅",
      startDate: `${month(1)}-10`,
      endDate: `${month(1)}-12`,
      summary: "参加领导接访日，接待来访群众 23 批次，登记诉求并转办相关部门。",
      outcome: "现场化解教育领域诉求 6 件，其余 17 件转办跟踪。",
      status: "verified",
    },
    {
      category: "pairing",
      place: "青石镇柳湾村联扶",
      startDate: `${month(3)}-01`,
      endDate: `${month(3)}-20`,
      summary: "驻村联扶，走访脱贫户 48 户，帮助申报助学项目。",
      outcome: "落实 12 名学生资助，协调修复村小学校舍。",
      status: "verified",
    },
    {
      category: "major_project",
      place: "市职业教育中心新校区建设项目",
      startDate: `${month(5)}-05`,
      endDate: `${month(5)}-25`,
      summary: "驻项目现场协调施工进度、征迁和安全管理。",
      outcome: "解决施工用电和周边交通组织问题，主体工程提前 10 天封顶。",
      status: "verified",
    },
    {
      category: "field_research",
      place: "白杨镇中心小学蹲点调研",
      startDate: `${month(7)}-08`,
      endDate: `${month(7)}-12`,
      summary: "蹲点调研乡村学校寄宿制管理。",
      outcome: "形成调研报告一份，提出 5 条改进建议。",
      status: "verified",
    },
    {
      category: "supervision",
      place: "校园安全专项督查（东城街道）",
      startDate: `${month(1)}-20`,
      endDate: `${month(1)}-21`,
      summary: "随市委督查室检查校园周边安全。",
      outcome: "",
      status: "draft",
    },
  ];
}

const PLACES: Record<FrontlineCategory, string[]> = {
  supervision: ["市委督查室专项督查（{town}）", "安全生产大检查（{town}）", "营商环境专项督查", "河长制落实情况督查（{town}）"],
  stability: ["{town}矛盾纠纷排查化解", "重点时段维稳值守（{town}）", "{town}平安建设巡查"],
  petition: ["市信访局接待大厅", "{town}信访接待室", "领导接访日（市信访局）", "{town}信访积案化解"],
  pairing: ["{town}联扶村驻村帮扶", "{town}对口帮扶", "{town}产业帮扶"],
  investment: ["长三角招商推介会", "粤港澳大湾区招商对接", "{park}项目洽谈", "京津冀产业转移对接会"],
  major_project: ["城东污水处理厂项目", "高铁站综合枢纽项目", "{park}标准厂房建设项目", "滨河生态修复工程", "城市快速路二期工程"],
  sinking_service: ["{town}社区下沉服务", "{town}便民服务中心窗口服务", "{town}网格下沉"],
  field_research: ["{town}蹲点调研", "{park}企业蹲点调研", "{town}农业产业蹲点调研"],
};

const SUMMARIES: Record<FrontlineCategory, [string, string][]> = {
  supervision: [
    ["对照督查清单逐项检查，实地查看整改现场，约谈责任单位。", "督促整改问题 {n} 个，形成督查通报一期。"],
    ["随督查组暗访检查，核查台账和现场落实情况。", "发现问题 {n} 个，全部交办并限期整改。"],
  ],
  stability: [
    ["排查矛盾纠纷，参与调解，落实重点人员稳控责任。", "化解矛盾纠纷 {n} 件，未发生越级上访。"],
    ["重点时段在镇街值守，开展巡查和应急处置。", "处置突发情况 {n} 起，确保平稳。"],
  ],
  petition: [
    ["接待来访群众，登记诉求，现场答复或转办。", "化解信访事项 {n} 件。"],
    ["包案化解信访积案，上门走访当事人。", "办结积案 {n} 件，息诉罢访。"],
  ],
  pairing: [
    ["驻村走访帮扶户，协调产业和就业帮扶。", "落实帮扶项目 {n} 个，帮助 {n} 户增收。"],
    ["对口帮扶，协调资金和技术支持。", "解决群众急难愁盼问题 {n} 件。"],
  ],
  investment: [
    ["带队外出招商，走访意向企业，洽谈合作。", "签约意向项目 {n} 个。"],
    ["参加招商推介会，介绍投资环境和政策。", "对接企业 {n} 家，收集有效线索。"],
  ],
  major_project: [
    ["驻项目现场协调征迁、施工和要素保障。", "协调解决项目推进难题 {n} 个。"],
    ["推进项目前期手续和建设进度。", "打通堵点 {n} 个，项目按节点推进。"],
  ],
  sinking_service: [
    ["下沉社区参与网格管理和便民服务。", "帮助群众办理事项 {n} 件。"],
    ["在便民服务中心窗口值守，现场帮办代办。", "办结群众事项 {n} 件。"],
  ],
  field_research: [
    ["蹲点调研，走访企业和群众，召开座谈会。", "形成调研报告一份，提出建议 {n} 条。"],
    ["围绕重点工作蹲点，了解基层实际。", "梳理问题 {n} 个，提出对策建议。"],
  ],
};

const RETURN_COMMENTS = [
  "请补充接待登记表编号等佐证材料后重新提交。",
  "日期与您的另一条记录重叠，请核对后修改。",
  "工作内容过于简单，请写明解决了哪些具体问题。",
];

const QUALIFYING: FrontlineCategory[] = ["supervision", "stability", "petition", "pairing", "investment", "major_project"];
const ALL: FrontlineCategory[] = [...QUALIFYING, "sinking_service", "field_research"];

export function demoFrontline(city: { units: DemoUnit[]; cadres: DemoCadre[] }, today: string): DemoFrontlineRecord[] {
  const random = prng(20261122);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const towns = city.units.filter((u) => u.kind === "town" && u.parentCode === null).map((u) => u.name);
  const parks = city.units.filter((u) => u.kind === "park" && u.parentCode === null).map((u) => u.name);
  const firstDay = dayNumber(`${addMonths(monthOf(today), -11)}-01`);
  const lastDay = dayNumber(today);
  const out: DemoFrontlineRecord[] = [];
  const keys = new Set<string>();
  // The demo accounts' unit; the demo cadre gets only the fixed records the e2e test relies on.
  const education = city.units.find((u) => u.name === "市教育和体育局")!;
  const educationUnits = new Set([education.code, ...city.units.filter((u) => u.parentCode === education.code).map((u) => u.code)]);
  const demoCadre = city.cadres.find((c) => c.unitCode === education.code && !c.isHead && c.rank === "deputy_section")!;

  const place = (category: FrontlineCategory) => pick(PLACES[category]).replace("{town}", pick(towns)).replace("{park}", pick(parks));
  const add = (r: DemoFrontlineRecord) => {
    const key = [r.staffNo, r.category, r.startDate, r.endDate, r.place].join("|");
    if (keys.has(key) || r.startDate > r.endDate) return;
    keys.add(key);
    out.push(r);
  };
  const text = (category: FrontlineCategory) => {
    const [summary, outcome] = pick(SUMMARIES[category]);
    return { summary, outcome: outcome.replaceAll("{n}", String(int(2, 15))) };
  };
  /** Past work is mostly verified; the latest weeks wait for verification. */
  const statusFor = (endDay: number): FrontlineStatus => {
    if (endDay > lastDay - 10) return random() < 0.7 ? "submitted" : "verified";
    const r = random();
    return r < 0.88 ? "verified" : r < 0.94 ? "returned" : r < 0.97 ? "submitted" : "draft";
  };
  const record = (staffNo: string, category: FrontlineCategory, start: number, length: number, status?: FrontlineStatus) => {
    const end = Math.min(start + length - 1, lastDay);
    if (start > end) return;
    const s = status ?? statusFor(end);
    add({
      staffNo,
      category,
      place: place(category),
      startDate: dateOfDayNumber(start),
      endDate: dateOfDayNumber(end),
      ...text(category),
      status: s,
      ...(s === "returned" ? { returnComment: pick(RETURN_COMMENTS) } : {}),
    });
  };

  // The city's leaders: out most months, five or more days; a few fall short now and then.
  const leaders = city.cadres.filter((c) => RANKS.indexOf(c.rank) >= RANKS.indexOf("deputy_county"));
  leaders.forEach((leader, index) => {
    const slacker = index % 6 === 5;
    for (let m = 0; m < 12; m++) {
      const month = monthInterval(addMonths(monthOf(today), -m));
      const monthStart = dayNumber(month.start);
      if (monthStart > lastDay) continue;
      const target = slacker && random() < 0.5 ? int(1, 3) : int(5, 9);
      let used = 0;
      let day = monthStart + int(0, 4);
      while (used < target) {
        const length = Math.min(target - used, int(1, 4));
        // Leaders' past months are verified, so that the shortfalls shown are the slackers' own.
        record(leader.staffNo, pick(ALL), day, length, day + length - 1 > lastDay - 10 ? undefined : "verified");
        used += length;
        day += length + int(1, 5);
        if (day > dayNumber(month.end) - 1) break;
      }
      // Now and then two records on the same days: counted once.
      if (random() < 0.15) record(leader.staffNo, pick(QUALIFYING), monthStart + int(0, 5), int(1, 2));
    }
  });

  // Everyone else: about a third have a posting or two; some a long one that makes them eligible.
  const others = city.cadres.filter((c) => RANKS.indexOf(c.rank) < RANKS.indexOf("deputy_county"));
  for (const cadre of others) {
    if (random() > 0.35 || cadre.staffNo === demoCadre.staffNo) continue;
    const count = int(1, 4);
    for (let i = 0; i < count; i++) {
      const start = int(firstDay, lastDay - 3);
      const long = random() < 0.12;
      const category = long ? pick(["pairing", "major_project", "sinking_service"] as const) : pick(ALL);
      record(cadre.staffNo, category, start, long ? int(30, 100) : int(1, 8));
    }
    if (random() < 0.12) {
      const mine = out.filter((r) => r.staffNo === cadre.staffNo);
      const last = mine[mine.length - 1];
      if (last) record(cadre.staffNo, pick(QUALIFYING), dayNumber(last.startDate) + 1, int(2, 4));
    }
  }

  // The education bureau (the demo head's unit): a queue to work through, one with an overlap.
  const colleagues = city.cadres.filter((c) => educationUnits.has(c.unitCode) && !c.isHead && c.staffNo !== demoCadre.staffNo).slice(0, 5);
  const previous = monthInterval(addMonths(monthOf(today), -1));
  colleagues.forEach((c, i) => {
    const start = dayNumber(previous.start) + 2 + i * 4;
    record(c.staffNo, QUALIFYING[i % QUALIFYING.length]!, start, int(2, 5), "submitted");
  });
  const overlapping = colleagues[0]!;
  record(overlapping.staffNo, "supervision", dayNumber(previous.start) + 1, 3, "verified");
  record(colleagues[1]!.staffNo, "petition", dayNumber(previous.start) - 20, 3, "returned");
  for (const r of demoCadreRecords(today)) add({ ...r, staffNo: demoCadre.staffNo });
  return out;
}

/** A record as the tests need it, written directly (as an import would): any status, no audit. */
export async function createFrontlineRecord(
  db: DbOrTx,
  values: { cadreId: number } & Partial<{
    category: FrontlineCategory;
    place: string;
    startDate: string;
    endDate: string;
    summary: string;
    status: FrontlineStatus;
    submittedByUserId: number | null;
    verifiedByUserId: number | null;
  }>,
) {
  const status = values.status ?? "draft";
  const startDate = values.startDate ?? "2026-03-02";
  const [row] = await db
    .insert(frontlineRecords)
    .values({
      cadreId: values.cadreId,
      category: values.category ?? "petition",
      place: values.place ?? `测试地点${++factorySequence}`,
      startDate,
      endDate: values.endDate ?? startDate,
      summary: values.summary ?? "测试记录",
      status,
      submittedAt: status === "draft" ? null : new Date(),
      submittedByUserId: values.submittedByUserId ?? null,
      verifiedAt: status === "verified" ? new Date() : null,
      verifiedByUserId: values.verifiedByUserId ?? null,
    })
    .returning();
  return row!;
}
let factorySequence = 0;

/** Writes the demo records with the people who would have submitted and verified them. */
export async function seedDemoFrontline(tx: DbOrTx, city: { units: DemoUnit[]; cadres: DemoCadre[] }, options: { today: string }) {
  const records = demoFrontline(city, options.today);
  const staffNos = [...new Set(records.map((r) => r.staffNo))];
  const people = await tx
    .select({ id: cadres.id, staffNo: cadres.staffNo, userId: users.id })
    .from(cadres)
    .leftJoin(users, eq(users.cadreId, cadres.id))
    .where(inArray(cadres.staffNo, [...staffNos, ...city.cadres.filter((c) => c.isHead).map((c) => c.staffNo)]));
  const byStaffNo = new Map(people.map((p) => [p.staffNo, p]));
  const [admin] = await tx.select({ id: userRoles.userId }).from(userRoles).where(eq(userRoles.role, "org_admin")).limit(1);
  const headOf = new Map(city.cadres.filter((c) => c.isHead).map((c) => [c.unitCode, c.staffNo]));
  const unitOf = new Map(city.cadres.map((c) => [c.staffNo, c.unitCode]));
  // A head's own records go to the organization department (or the city's first leader without one).
  const fallback = admin?.id ?? byStaffNo.get(headOf.get("SF000")!)?.userId ?? null;
  const verifierFor = (staffNo: string) => {
    const head = headOf.get(unitOf.get(staffNo)!);
    return head && head !== staffNo ? (byStaffNo.get(head)?.userId ?? fallback) : fallback;
  };
  const at = (date: string, days: number, hour: number) => new Date(shanghaiMidnight(addDays(date, days)).getTime() + hour * 3_600_000);

  const rows = records.map((r) => {
    const cadre = byStaffNo.get(r.staffNo)!;
    const submitted = r.status !== "draft";
    const decided = r.status === "verified" || r.status === "returned";
    return {
      cadreId: cadre.id,
      category: r.category,
      place: r.place,
      startDate: r.startDate,
      endDate: r.endDate,
      summary: r.summary,
      outcome: r.outcome,
      status: r.status,
      createdByUserId: cadre.userId,
      createdAt: at(r.endDate, 0, 18),
      submittedAt: submitted ? at(r.endDate, 0, 19) : null,
      submittedByUserId: submitted ? cadre.userId : null,
      verifiedAt: r.status === "verified" ? at(r.endDate, 2, 10) : null,
      verifiedByUserId: r.status === "verified" ? verifierFor(r.staffNo) : null,
      returnedAt: r.status === "returned" ? at(r.endDate, 2, 10) : null,
      returnedByUserId: r.status === "returned" ? verifierFor(r.staffNo) : null,
      returnComment: r.returnComment ?? null,
      revision: decided ? 3 : submitted ? 2 : 1,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await tx.insert(frontlineRecords).values(rows.slice(i, i + 500));
  const counts = await tx.execute<{ status: string; n: number }>(
    sql`select status, count(*)::int as n from frontline_records group by status`,
  );
  await audit(
    tx,
    { userId: null, label: "seed" },
    {
      action: "seed.demo_frontline",
      entityType: "frontline_record",
      after: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    },
  );
  return rows.length;
}
