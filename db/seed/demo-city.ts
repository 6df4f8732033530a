import type { Rank, UnitKind } from "../schema/enums";
import type { Degree, EducationCode, EthnicityCode, Gender, PoliticalStatusCode } from "../schema/roster-codes";

/**
 * A deterministic demo city (示范市): the same units, people and names on every machine, so that
 * screenshots, tests and the README agree. Names are invented.
 */
export interface DemoUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  /** 参与排名 when not the default (directly under the city: yes; a sub-unit: no). */
  ranked?: boolean;
}

export interface DemoCadre {
  staffNo: string;
  name: string;
  unitCode: string;
  rank: Rank;
  title: string;
  email: string;
  phone: string;
  isHead: boolean;
  roster: DemoRoster;
}

export interface DemoRoster {
  gender: Gender;
  ethnicity: EthnicityCode;
  birthDate: string;
  nativePlace: string;
  politicalStatus: PoliticalStatusCode;
  education: EducationCode;
  degree: Degree | null;
  workStartDate: string;
  rankSince: string;
  postSince: string;
}

/** mulberry32: small, fast and the same everywhere. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPARTMENTS: [string, string[]][] = [
  ["市委办公室", []],
  ["市政府办公室", ["市政府研究室"]],
  ["市委组织部", ["市委老干部局"]],
  ["市委宣传部", ["市融媒体中心"]],
  ["市委统战部", []],
  ["市委政法委员会", []],
  ["市纪委监委", ["第一派驻纪检监察组", "第二派驻纪检监察组"]],
  ["市委编办", []],
  ["市发展和改革局", ["市重点项目服务中心"]],
  ["市教育和体育局", ["市第一中学", "市实验小学", "市职业教育中心"]],
  ["市科学技术局", []],
  ["市工业和信息化局", ["市中小企业服务中心"]],
  ["市公安局", ["城区分局", "交通警察大队", "开发区分局"]],
  ["市民政局", []],
  ["市司法局", []],
  ["市财政局", ["市国库集中支付中心"]],
  ["市人力资源和社会保障局", ["市社会保险事业中心"]],
  ["市自然资源局", []],
  ["市生态环境局", []],
  ["市住房和城乡建设局", ["市建设工程质量安全中心"]],
  ["市交通运输局", []],
  ["市水务局", ["市水利工程管理站"]],
  ["市农业农村局", ["市农业技术推广中心"]],
  ["市商务局", ["市投资促进中心"]],
  ["市文化和旅游局", []],
  ["市卫生健康局", ["市人民医院", "市中医医院", "市疾病预防控制中心"]],
  ["市退役军人事务局", []],
  ["市应急管理局", []],
  ["市审计局", []],
  ["市市场监督管理局", ["城区市场监管所"]],
  ["市统计局", []],
  ["市医疗保障局", []],
  ["市行政审批服务局", ["市政务服务中心"]],
  ["市信访局", []],
  ["市综合行政执法局", []],
  ["市大数据发展局", []],
  ["市国有资产服务中心", []],
  ["市乡村振兴局", []],
  ["市委党校", []],
  ["市档案馆", []],
  ["市机关事务服务中心", []],
  ["市人民防空办公室", []],
  ["市供销合作社", []],
];

const TOWNS = [
  "东城街道",
  "西城街道",
  "南湖街道",
  "北山街道",
  "龙泉街道",
  "望河街道",
  "青石镇",
  "白杨镇",
  "柳河镇",
  "桃源镇",
  "梨园镇",
  "清泉镇",
  "石桥镇",
  "金沙镇",
  "双河镇",
  "长乐镇",
  "太平镇",
  "新华镇",
];

const PARKS = ["经济技术开发区", "高新技术产业园区", "现代农业示范园", "临港物流园", "文化创意产业园"];

const ENTERPRISES = [
  "城市建设投资集团",
  "交通发展集团",
  "水务集团",
  "文化旅游发展集团",
  "国有资本投资运营公司",
  "农业发展集团",
  "城市燃气公司",
  "公共交通公司",
];

const OTHERS = ["市总工会", "团市委", "市妇联", "市科协", "市残联", "市工商联", "市红十字会", "市文联", "市侨联", "市社科联"];

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞建国志红文斌宇浩凯俊峰晨阳海鹏辉林波宁鑫瑞雪婷琳晓东亮成新春梅云丹";

export function demoCity(): { units: DemoUnit[]; cadres: DemoCadre[] } {
  const random = prng(20261121);
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  // The city's leaders belong to a pseudo-unit that is not ranked against the bureaus and towns.
  const units: DemoUnit[] = [{ code: "SF000", name: "示范市市级领导", kind: "other", parentCode: null, ranked: false }];
  let seq = 1;
  const add = (name: string, kind: UnitKind, parentCode: string | null) => {
    const code = `SF${String(seq++).padStart(3, "0")}`;
    units.push({ code, name, kind, parentCode });
    return code;
  };
  for (const [name, subs] of DEPARTMENTS) {
    const code = add(name, "department", null);
    for (const sub of subs) add(sub, "department", code);
  }
  for (const name of TOWNS) {
    const code = add(name, "town", null);
    if (random() < 0.35) add(`${name}便民服务中心`, "town", code);
  }
  for (const name of PARKS) {
    const code = add(name, "park", null);
    add(`${name}招商服务中心`, "park", code);
  }
  for (const name of ENTERPRISES) add(name, "enterprise", null);
  for (const name of OTHERS) add(name, "other", null);

  const cadres: DemoCadre[] = [];
  let staff = 1;
  const person = (unitCode: string, rank: Rank, title: string, isHead: boolean) => {
    const staffNo = `SF${String(staff++).padStart(5, "0")}`;
    const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.7 ? pick(GIVEN) : "");
    cadres.push({
      staffNo,
      name,
      unitCode,
      rank,
      title,
      email: `${staffNo.toLowerCase()}@demo.luoshi.local`,
      phone: `139${String(Math.floor(random() * 1e8)).padStart(8, "0")}`,
      isHead,
      roster: demoRoster(staffNo, rank),
    });
  };

  // City leadership: county-level posts.
  person("SF000", "county", "市委书记", true);
  person("SF000", "county", "市长", false);
  for (let i = 0; i < 18; i++) person("SF000", "deputy_county", i < 9 ? "市委常委" : "副市长", false);

  for (const unit of units.slice(1)) {
    const topLevel = unit.parentCode === null;
    const big = unit.kind === "town" || unit.name.includes("公安") || unit.name.includes("教育") || unit.name.includes("卫生");
    const headTitle =
      unit.kind === "town"
        ? unit.name.endsWith("镇")
          ? "镇党委书记"
          : "街道党工委书记"
        : unit.kind === "enterprise"
          ? "董事长"
          : unit.kind === "park"
            ? "党工委书记"
            : topLevel
              ? "局长"
              : "主任";
    person(unit.code, topLevel ? "section" : "deputy_section", headTitle, true);
    const deputies = topLevel ? (big ? 13 : 8) + Math.floor(random() * 5) : 5 + Math.floor(random() * 4);
    for (let i = 0; i < deputies; i++) {
      const r = random();
      const rank: Rank = topLevel && r < 0.35 ? "section" : "deputy_section";
      person(unit.code, rank, rank === "section" ? (topLevel ? "副局长" : "主任") : i % 2 ? "科长" : "副主任", false);
    }
    if (random() < 0.55) person(unit.code, "staff", "科员", false);
  }
  return { units, cadres };
}

const NATIVE_PLACES = [
  "山东青岛",
  "山东潍坊",
  "山东烟台",
  "河北保定",
  "河南南阳",
  "江苏徐州",
  "安徽阜阳",
  "山西大同",
  "辽宁大连",
  "四川绵阳",
  "湖北襄阳",
  "甘肃天水",
];
const AGES: Record<Rank, [number, number]> = {
  staff: [24, 36],
  deputy_section: [29, 46],
  section: [34, 52],
  deputy_county: [40, 56],
  county: [45, 58],
  deputy_bureau: [48, 59],
  bureau: [50, 59],
};

/**
 * A cadre's roster fields (性别, 民族, 出生年月 …), made up from the staff number alone so that adding
 * them changed nobody's name or unit. Dates count back from 2026, so they are in the past for years.
 */
export function demoRoster(staffNo: string, rank: Rank): DemoRoster {
  let seed = 0;
  for (const ch of staffNo) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const random = prng(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const month = () => String(1 + Math.floor(random() * 12)).padStart(2, "0");
  const [youngest, oldest] = AGES[rank];
  const birthYear = 2026 - youngest - Math.floor(random() * (oldest - youngest + 1));
  const r = random();
  const education: EducationCode = r < 0.22 ? "10" : r < 0.86 ? "20" : r < 0.97 ? "30" : "40";
  const p = random();
  const politicalStatus: PoliticalStatusCode =
    p < 0.86 ? "01" : p < 0.89 ? "02" : p < 0.91 ? "03" : p < 0.95 ? "13" : pick(["05", "06", "07", "10"] as const);
  const workYear = Math.min(2024, birthYear + 22 + Math.floor(random() * 3));
  const workStartDate = `${workYear}-07-01`;
  // Rank and post came after starting work.
  const after = (date: string) => (date > workStartDate ? date : `${workYear + 1}-${date.slice(5)}`);
  return {
    gender: random() < 0.68 ? "male" : "female",
    ethnicity: random() < 0.93 ? "01" : pick(["02", "03", "06", "08", "11"] as const),
    birthDate: `${birthYear}-${month()}-01`,
    nativePlace: pick(NATIVE_PLACES),
    politicalStatus,
    education,
    degree: education === "10" ? (random() < 0.12 ? "doctor" : "master") : education === "20" && random() < 0.9 ? "bachelor" : null,
    workStartDate,
    rankSince: after(`${2025 - Math.floor(random() * 8)}-${month()}-01`),
    postSince: after(`${2025 - Math.floor(random() * 5)}-${month()}-01`),
  };
}
