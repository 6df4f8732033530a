/**
 * The code lists of the cadre roster (干部花名册), as the national standards number them, with the
 * Chinese and English names the pages and the spreadsheets use. Codes are what the database keeps.
 */

export const GENDERS = ["male", "female"] as const;
export type Gender = (typeof GENDERS)[number];

/** 民族, GB/T 3304: the 56 nationalities, then 97 其他 and 98 外国血统中国籍人士. */
export const ETHNICITIES = [
  ["01", "汉族", "Han"],
  ["02", "蒙古族", "Mongol"],
  ["03", "回族", "Hui"],
  ["04", "藏族", "Tibetan"],
  ["05", "维吾尔族", "Uyghur"],
  ["06", "苗族", "Miao"],
  ["07", "彝族", "Yi"],
  ["08", "壮族", "Zhuang"],
  ["09", "布依族", "Buyei"],
  ["10", "朝鲜族", "Korean"],
  ["11", "满族", "Manchu"],
  ["12", "侗族", "Dong"],
  ["13", "瑶族", "Yao"],
  ["14", "白族", "Bai"],
  ["15", "土家族", "Tujia"],
  ["16", "哈尼族", "Hani"],
  ["17", "哈萨克族", "Kazakh"],
  ["18", "傣族", "Dai"],
  ["19", "黎族", "Li"],
  ["20", "傈僳族", "Lisu"],
  ["21", "佤族", "Va"],
  ["22", "畲族", "She"],
  ["23", "高山族", "Gaoshan"],
  ["24", "拉祜族", "Lahu"],
  ["25", "水族", "Shui"],
  ["26", "东乡族", "Dongxiang"],
  ["27", "纳西族", "Naxi"],
  ["28", "景颇族", "Jingpo"],
  ["29", "柯尔克孜族", "Kyrgyz"],
  ["30", "土族", "Tu"],
  ["31", "达斡尔族", "Daur"],
  ["32", "仫佬族", "Mulao"],
  ["33", "羌族", "Qiang"],
  ["34", "布朗族", "Blang"],
  ["35", "撒拉族", "Salar"],
  ["36", "毛南族", "Maonan"],
  ["37", "仡佬族", "Gelao"],
  ["38", "锡伯族", "Xibe"],
  ["39", "阿昌族", "Achang"],
  ["40", "普米族", "Pumi"],
  ["41", "塔吉克族", "Tajik"],
  ["42", "怒族", "Nu"],
  ["43", "乌孜别克族", "Uzbek"],
  ["44", "俄罗斯族", "Russian"],
  ["45", "鄂温克族", "Ewenki"],
  ["46", "德昂族", "De'ang"],
  ["47", "保安族", "Bonan"],
  ["48", "裕固族", "Yugur"],
  ["49", "京族", "Gin"],
  ["50", "塔塔尔族", "Tatar"],
  ["51", "独龙族", "Derung"],
  ["52", "鄂伦春族", "Oroqen"],
  ["53", "赫哲族", "Hezhen"],
  ["54", "门巴族", "Monba"],
  ["55", "珞巴族", "Lhoba"],
  ["56", "基诺族", "Jino"],
  ["97", "其他", "Other"],
  ["98", "外国血统中国籍人士", "Chinese citizen of foreign origin"],
] as const;
export type EthnicityCode = (typeof ETHNICITIES)[number][0];
export const ETHNICITY_CODES = ETHNICITIES.map((e) => e[0]) as EthnicityCode[];

/** 政治面貌, GB/T 4762: code, the name a roster writes, the full name, English. */
export const POLITICAL_STATUSES = [
  ["01", "中共党员", "中国共产党党员", "CPC member"],
  ["02", "中共预备党员", "中国共产党预备党员", "CPC probationary member"],
  ["03", "共青团员", "中国共产主义青年团团员", "Communist Youth League member"],
  ["04", "民革会员", "中国国民党革命委员会会员", "RCCK member"],
  ["05", "民盟盟员", "中国民主同盟盟员", "China Democratic League member"],
  ["06", "民建会员", "中国民主建国会会员", "CNDCA member"],
  ["07", "民进会员", "中国民主促进会会员", "CAPD member"],
  ["08", "农工党党员", "中国农工民主党党员", "Peasants and Workers Democratic Party member"],
  ["09", "致公党党员", "中国致公党党员", "China Zhi Gong Party member"],
  ["10", "九三学社社员", "九三学社社员", "Jiusan Society member"],
  ["11", "台盟盟员", "台湾民主自治同盟盟员", "Taiwan Democratic Self-Government League member"],
  ["12", "无党派人士", "无党派民主人士", "Non-partisan"],
  ["13", "群众", "群众", "No party affiliation"],
] as const;
export type PoliticalStatusCode = (typeof POLITICAL_STATUSES)[number][0];
export const POLITICAL_STATUS_CODES = POLITICAL_STATUSES.map((p) => p[0]) as PoliticalStatusCode[];
/** Members and probationary members of the Party: the "中共党员" of a filter. */
export const CPC_CODES: readonly PoliticalStatusCode[] = ["01", "02"];

/** 学历, GB/T 4658 (first level): code, name, English. Ordered highest first. */
export const EDUCATIONS = [
  ["10", "研究生", "Postgraduate"],
  ["20", "大学本科", "Undergraduate"],
  ["30", "大学专科", "Junior college"],
  ["40", "中等专科", "Secondary vocational"],
  ["60", "高中", "Senior high school"],
  ["70", "初中", "Junior high school"],
  ["80", "小学", "Primary school"],
  ["90", "其他", "Other"],
] as const;
export type EducationCode = (typeof EDUCATIONS)[number][0];
export const EDUCATION_CODES = EDUCATIONS.map((e) => e[0]) as EducationCode[];

/** 学位, GB/T 6864 (first level). */
export const DEGREES = ["doctor", "master", "bachelor"] as const;
export type Degree = (typeof DEGREES)[number];
