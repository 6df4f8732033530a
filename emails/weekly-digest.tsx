import { Heading, Text } from "@react-email/components";
import { dayLabel, digestTranslator } from "~/modules/digest/format";
import type { Locale } from "~/utils/i18n";
import type { UnitKind } from "~db/schema/enums";
import type { FrontlineCategory } from "~db/schema/frontline";
import {
  AttendanceSection,
  digestStyles,
  FrontlineSection,
  RankingSection,
  RatingCasesSection,
  ShortlistSection,
  UpcomingSection,
} from "./_components/digest-sections";
import { type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

/** A list cut short for the email: the first names, and how many more the linked page shows. */
export interface DigestList<T> {
  items: T[];
  more: number;
}

export interface DigestAttendanceSession {
  title: string;
  startsAt: string;
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  absent: number;
  absentees: DigestList<{ name: string }>;
  latecomers: DigestList<{ name: string; checkedInAt: string | null }>;
}

export interface DigestUpcomingSession {
  title: string;
  startsAt: string;
  registrationDeadline: string;
  /** The unit's cadres in the session's mandatory audience. */
  audience: number;
  notRegistered: DigestList<{ name: string }>;
  leavePending: DigestList<{ name: string }>;
  /** The registrations of the unit for this session. */
  url: string;
  /** Where leave is decided, when some waits. */
  leaveUrl: string | null;
}

export interface DigestUnit {
  name: string;
  /** Each section is null when it has nothing to say; a unit with every section null is all clear. */
  attendance: { sessions: DigestAttendanceSession[]; url: string } | null;
  upcoming: { sessions: DigestUpcomingSession[] } | null;
  frontline: {
    pending: {
      total: number;
      records: { name: string; category: FrontlineCategory; place: string; startDate: string; endDate: string; days: number }[];
      url: string;
    } | null;
    quota: { month: string; shortfalls: DigestList<{ name: string; days: number; quota: number }>; url: string } | null;
  } | null;
  ranking: {
    published: { quarter: string; group: UnitKind; rank: number | null; size: number; change: number | null; url: string } | null;
    draft: { quarter: string; rank: number; size: number } | null;
  } | null;
  shortlists: { rounds: { name: string; deadline: string; nominees: DigestList<{ name: string }>; url: string }[] } | null;
  /** Public-rating follow-ups (回访): new 不满意 cases of last week and overdue ones. */
  ratings?: { newCases: number; overdue: number; url: string } | null;
}

export interface WeeklyDigestEmailProps extends BaseEmailProps {
  /** Who reads it: the head, or a liaison getting a copy. */
  name: string;
  /** The head's name when this is a liaison's copy. */
  copyOf: string | null;
  /** The ISO week the digest is sent in, and its Monday and Sunday. */
  week: { year: number; week: number; firstDay: string; lastDay: string };
  /** The week it reports on. */
  lastWeek: { firstDay: string; lastDay: string };
  units: DigestUnit[];
}

export function unitIsAllClear(unit: DigestUnit): boolean {
  return !unit.attendance && !unit.upcoming && !unit.frontline && !unit.ranking && !unit.shortlists && !unit.ratings;
}

/**
 * The weekly digest to a unit head (DESIGN.md "Email"): last week's night-class attendance of the unit,
 * the coming sessions with whoever has not registered or waits for a leave decision, frontline records
 * to verify and quota shortfalls, the unit's standing, and open shortlist nominations. Every item links
 * to the page that acts on it; sections with nothing to say are left out.
 */
export default function WeeklyDigestEmail(props: WeeklyDigestEmailProps) {
  const t = digestTranslator(props.locale);
  const many = props.units.length > 1;
  const allClear = props.units.every(unitIsAllClear);
  const lastWeek = { from: dayLabel(props.lastWeek.firstDay, props.locale), to: dayLabel(props.lastWeek.lastDay, props.locale) };
  const unitNames = props.units.map((u) => u.name).join(t("digest.email.separator"));
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={allClear ? t("digest.email.previewAllClear") : t("digest.email.preview")}
      reason={props.copyOf ? t("digest.email.reasonCopy", { units: unitNames }) : t("digest.email.reason", { units: unitNames })}
    >
      <Heading as="h1" style={{ fontSize: "20px", lineHeight: "28px", margin: "16px 0 8px" }}>
        {heading(props)}
      </Heading>
      <Text style={textStyle}>{t("digest.email.greeting", { name: props.name })}</Text>
      {props.copyOf ? <Text style={smallTextStyle}>{t("digest.email.copyNote", { head: props.copyOf })}</Text> : null}
      {allClear ? (
        <Text style={textStyle}>{t("digest.email.allClear")}</Text>
      ) : (
        <>
          <Text style={textStyle}>
            {many ? t("digest.email.introMany", { count: props.units.length, ...lastWeek }) : t("digest.email.intro", lastWeek)}
          </Text>
          {props.units.map((unit) => (
            <UnitDigest key={unit.name} unit={unit} many={many} locale={props.locale} year={props.week.year} />
          ))}
        </>
      )}
    </EmailLayout>
  );
}

function UnitDigest({ unit, many, locale, year }: { unit: DigestUnit; many: boolean; locale: Locale; year: number }) {
  const t = digestTranslator(locale);
  return (
    <>
      {many ? (
        <Heading as="h2" style={digestStyles.unit}>
          {unit.name}
        </Heading>
      ) : null}
      {unitIsAllClear(unit) ? <Text style={textStyle}>{t("digest.email.allClear")}</Text> : null}
      {unit.attendance ? <AttendanceSection section={unit.attendance} locale={locale} /> : null}
      {unit.upcoming ? <UpcomingSection section={unit.upcoming} locale={locale} /> : null}
      {unit.frontline ? <FrontlineSection section={unit.frontline} locale={locale} year={year} /> : null}
      {unit.ranking ? <RankingSection section={unit.ranking} locale={locale} /> : null}
      {unit.shortlists ? <ShortlistSection section={unit.shortlists} locale={locale} year={year} /> : null}
      {unit.ratings ? <RatingCasesSection section={unit.ratings} locale={locale} /> : null}
    </>
  );
}

function heading(props: WeeklyDigestEmailProps): string {
  const t = digestTranslator(props.locale);
  const values = {
    year: props.week.year,
    week: props.week.week,
    from: dayLabel(props.week.firstDay, props.locale),
    to: dayLabel(props.week.lastDay, props.locale),
  };
  return props.units.length === 1
    ? t("digest.email.heading", { unit: props.units[0]!.name, ...values })
    : t("digest.email.headingMany", values);
}

export function subject(props: WeeklyDigestEmailProps): string {
  const t = digestTranslator(props.locale);
  const first = props.units[0]?.name ?? "";
  const base =
    props.units.length > 1
      ? t("digest.email.subjectMany", { unit: first, count: props.units.length, year: props.week.year, week: props.week.week })
      : t("digest.email.subject", { unit: first, year: props.week.year, week: props.week.week });
  return props.copyOf ? t("digest.email.subjectCopy", { subject: base }) : base;
}

const ORIGIN = "https://luoshi.example.gov.cn";

WeeklyDigestEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "陈国栋",
  copyOf: null,
  week: { year: 2026, week: 47, firstDay: "2026-11-16", lastDay: "2026-11-22" },
  lastWeek: { firstDay: "2026-11-09", lastDay: "2026-11-15" },
  units: [
    {
      name: "市教育和体育局",
      attendance: {
        sessions: [
          {
            title: "乡村振兴战略与村级集体经济",
            startsAt: "2026-11-11T11:30:00.000Z",
            enrolled: 42,
            present: 35,
            late: 3,
            excused: 2,
            absent: 2,
            absentees: { items: [{ name: "刘建华" }, { name: "孙丽萍" }], more: 0 },
            latecomers: {
              items: [
                { name: "王志远", checkedInAt: "2026-11-11T11:43:00.000Z" },
                { name: "赵雪梅", checkedInAt: "2026-11-11T11:48:00.000Z" },
                { name: "周海涛", checkedInAt: "2026-11-11T11:52:00.000Z" },
              ],
              more: 0,
            },
          },
        ],
        url: `${ORIGIN}/attendance/units/10?from=2026-11-09&to=2026-11-15`,
      },
      upcoming: {
        sessions: [
          {
            title: "信访工作法治化与矛盾纠纷化解",
            startsAt: "2026-11-25T11:30:00.000Z",
            registrationDeadline: "2026-11-25T05:30:00.000Z",
            audience: 40,
            notRegistered: { items: [{ name: "马晓东" }], more: 0 },
            leavePending: { items: [{ name: "林秀英" }, { name: "何建军" }], more: 0 },
            url: `${ORIGIN}/classes/unit?session=2026-22`,
            leaveUrl: `${ORIGIN}/classes/leave`,
          },
        ],
      },
      frontline: {
        pending: {
          total: 3,
          records: [
            {
              name: "王志远",
              category: "petition",
              place: "城关街道信访接待中心",
              startDate: "2026-11-02",
              endDate: "2026-11-06",
              days: 5,
            },
            { name: "林秀英", category: "pairing", place: "南山镇李家村", startDate: "2026-11-09", endDate: "2026-11-11", days: 3 },
            {
              name: "何建军",
              category: "major_project",
              place: "市第二中学新校区项目",
              startDate: "2026-11-12",
              endDate: "2026-11-13",
              days: 2,
            },
          ],
          url: `${ORIGIN}/frontline/verify`,
        },
        quota: {
          month: "2026-10",
          shortfalls: { items: [{ name: "陈国栋", days: 3, quota: 5 }], more: 0 },
          url: `${ORIGIN}/frontline/units/10?from=2026-10&to=2026-10`,
        },
      },
      ranking: {
        published: { quarter: "2026Q3", group: "department", rank: 12, size: 70, change: 3, url: `${ORIGIN}/rankings/2026Q3/units/10` },
        draft: { quarter: "2026Q4", rank: 9, size: 70 },
      },
      shortlists: {
        rounds: [
          {
            name: "2026 换届 敢担当善作为",
            deadline: "2026-11-30T10:00:00.000Z",
            nominees: { items: [{ name: "王志远" }, { name: "赵雪梅" }], more: 0 },
            url: `${ORIGIN}/shortlists/1?tab=nominations`,
          },
        ],
      },
    },
  ],
} satisfies WeeklyDigestEmailProps;
