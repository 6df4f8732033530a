import { Link, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { dayLabel, digestTranslator, monthLabel, timeLabel, whenLabel } from "~/modules/digest/format";
import { quarterLabel } from "~/modules/rankings/quarter";
import type { Locale } from "~/utils/i18n";
import type { DigestList, DigestUnit } from "../weekly-digest";

/** The weekly digest's sections, one per kind of news, each left out by the template when empty. */

export const digestStyles = {
  unit: { fontSize: "18px", margin: "28px 0 4px", paddingBottom: "4px", borderBottom: "2px solid #b3261e" },
  section: { margin: "18px 0 6px", fontSize: "16px", fontWeight: 600, color: "#8c1d18" },
  item: { margin: "10px 0 2px", fontSize: "15px", lineHeight: "22px", fontWeight: 600 },
  line: { margin: "2px 0", fontSize: "14px", lineHeight: "22px" },
  block: { borderLeft: "3px solid #e3c7c5", paddingLeft: "12px", margin: "8px 0" },
  link: {
    display: "inline-block",
    border: "1px solid #b3261e",
    borderRadius: "6px",
    color: "#b3261e",
    fontSize: "14px",
    padding: "5px 14px",
    margin: "6px 8px 4px 0",
    textDecoration: "none",
  },
} satisfies Record<string, CSSProperties>;

function ActionLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} style={digestStyles.link}>
      {children}
    </Link>
  );
}

function names<T>(list: DigestList<T>, show: (item: T) => string, locale: Locale): string {
  const t = digestTranslator(locale);
  const text = list.items.map(show).join(t("digest.email.separator"));
  return list.more > 0 ? `${text}${t("digest.email.more", { count: list.more })}` : text;
}

export function AttendanceSection({ section, locale }: { section: NonNullable<DigestUnit["attendance"]>; locale: Locale }) {
  const t = digestTranslator(locale);
  return (
    <Section>
      <Text style={digestStyles.section}>{t("digest.email.attendance.title")}</Text>
      {section.sessions.map((s) => (
        <Section key={`${s.startsAt}-${s.title}`} style={digestStyles.block}>
          <Text style={digestStyles.item}>
            {whenLabel(s.startsAt, locale)} · {s.title}
          </Text>
          <Text style={{ ...digestStyles.line, color: "#5f6670" }}>
            {t("digest.email.attendance.counts", {
              enrolled: s.enrolled,
              present: s.present,
              late: s.late,
              excused: s.excused,
              absent: s.absent,
            })}
          </Text>
          {s.absentees.items.length ? (
            <Text style={digestStyles.line}>
              <strong>{t("digest.email.attendance.absent")}</strong>
              {names(s.absentees, (p) => p.name, locale)}
            </Text>
          ) : null}
          {s.latecomers.items.length ? (
            <Text style={digestStyles.line}>
              <strong>{t("digest.email.attendance.late")}</strong>
              {names(
                s.latecomers,
                (p) =>
                  p.checkedInAt ? t("digest.email.attendance.lateAt", { name: p.name, time: timeLabel(p.checkedInAt, locale) }) : p.name,
                locale,
              )}
            </Text>
          ) : null}
        </Section>
      ))}
      <ActionLink href={section.url}>{t("digest.email.attendance.action")}</ActionLink>
    </Section>
  );
}

export function UpcomingSection({ section, locale }: { section: NonNullable<DigestUnit["upcoming"]>; locale: Locale }) {
  const t = digestTranslator(locale);
  return (
    <Section>
      <Text style={digestStyles.section}>{t("digest.email.upcoming.title")}</Text>
      {section.sessions.map((s) => (
        <Section key={`${s.startsAt}-${s.title}`} style={digestStyles.block}>
          <Text style={digestStyles.item}>
            {whenLabel(s.startsAt, locale)} · {s.title}
          </Text>
          <Text style={{ ...digestStyles.line, color: "#5f6670" }}>
            {t("digest.email.upcoming.deadline", { when: whenLabel(s.registrationDeadline, locale) })}
          </Text>
          {s.notRegistered.items.length ? (
            <Text style={digestStyles.line}>
              <strong>
                {t("digest.email.upcoming.notRegistered", {
                  audience: s.audience,
                  count: s.notRegistered.items.length + s.notRegistered.more,
                })}
              </strong>
              {names(s.notRegistered, (p) => p.name, locale)}
            </Text>
          ) : s.audience > 0 ? (
            <Text style={digestStyles.line}>{t("digest.email.upcoming.allRegistered", { audience: s.audience })}</Text>
          ) : null}
          {s.leavePending.items.length ? (
            <Text style={digestStyles.line}>
              <strong>{t("digest.email.upcoming.leavePending", { count: s.leavePending.items.length + s.leavePending.more })}</strong>
              {names(s.leavePending, (p) => p.name, locale)}
            </Text>
          ) : null}
          <ActionLink href={s.url}>{t("digest.email.upcoming.roster")}</ActionLink>
          {s.leaveUrl ? (
            <>
              {" "}
              <ActionLink href={s.leaveUrl}>{t("digest.email.upcoming.leave")}</ActionLink>
            </>
          ) : null}
        </Section>
      ))}
    </Section>
  );
}

export function FrontlineSection({
  section,
  locale,
  year,
}: {
  section: NonNullable<DigestUnit["frontline"]>;
  locale: Locale;
  year: number;
}) {
  const t = digestTranslator(locale);
  const { pending, quota } = section;
  return (
    <Section>
      <Text style={digestStyles.section}>{t("digest.email.frontline.title")}</Text>
      {pending ? (
        <Section style={digestStyles.block}>
          <Text style={digestStyles.item}>{t("digest.email.frontline.pending", { count: pending.total })}</Text>
          {pending.records.map((r, i) => (
            <Text key={i} style={digestStyles.line}>
              {t("digest.email.frontline.record", {
                name: r.name,
                category: t(`frontline.categories.${r.category}`),
                place: r.place,
                from: dayLabel(r.startDate, locale, year),
                to: dayLabel(r.endDate, locale, year),
                days: r.days,
              })}
            </Text>
          ))}
          {pending.total > pending.records.length ? (
            <Text style={{ ...digestStyles.line, color: "#5f6670" }}>
              {t("digest.email.moreRecords", { count: pending.total - pending.records.length })}
            </Text>
          ) : null}
          <ActionLink href={pending.url}>{t("digest.email.frontline.verify")}</ActionLink>
        </Section>
      ) : null}
      {quota ? (
        <Section style={digestStyles.block}>
          <Text style={digestStyles.line}>
            <strong>
              {t("digest.email.frontline.quota", {
                month: monthLabel(quota.month, locale),
                count: quota.shortfalls.items.length + quota.shortfalls.more,
              })}
            </strong>
            {names(quota.shortfalls, (s) => t("digest.email.frontline.shortfall", { name: s.name, days: s.days, quota: s.quota }), locale)}
          </Text>
          <ActionLink href={quota.url}>{t("digest.email.frontline.quotaAction")}</ActionLink>
        </Section>
      ) : null}
    </Section>
  );
}

export function RankingSection({ section, locale }: { section: NonNullable<DigestUnit["ranking"]>; locale: Locale }) {
  const t = digestTranslator(locale);
  const { published, draft } = section;
  const movement = (change: number | null) =>
    change === null
      ? ""
      : change > 0
        ? t("digest.email.ranking.up", { count: change })
        : change < 0
          ? t("digest.email.ranking.down", { count: -change })
          : t("digest.email.ranking.same");
  return (
    <Section>
      <Text style={digestStyles.section}>{t("digest.email.ranking.title")}</Text>
      <Section style={digestStyles.block}>
        {published ? (
          <Text style={digestStyles.line}>
            {published.rank === null
              ? t("digest.email.ranking.unranked", { quarter: quarterLabel(published.quarter, locale) })
              : [
                  t("digest.email.ranking.published", {
                    quarter: quarterLabel(published.quarter, locale),
                    group: t(`unitKinds.${published.group}`),
                    size: published.size,
                    rank: published.rank,
                  }),
                  movement(published.change),
                ].join(t("digest.email.sentenceGap"))}
          </Text>
        ) : null}
        {draft ? (
          <Text style={digestStyles.line}>
            {t("digest.email.ranking.draft", { quarter: quarterLabel(draft.quarter, locale), rank: draft.rank, size: draft.size })}
          </Text>
        ) : null}
        {published ? <ActionLink href={published.url}>{t("digest.email.ranking.action")}</ActionLink> : null}
      </Section>
    </Section>
  );
}

export function ShortlistSection({
  section,
  locale,
  year,
}: {
  section: NonNullable<DigestUnit["shortlists"]>;
  locale: Locale;
  year: number;
}) {
  const t = digestTranslator(locale);
  return (
    <Section>
      <Text style={digestStyles.section}>{t("digest.email.shortlists.title")}</Text>
      {section.rounds.map((r) => (
        <Section key={r.url} style={digestStyles.block}>
          <Text style={digestStyles.line}>
            <strong>
              {t("digest.email.shortlists.round", {
                round: r.name,
                deadline: whenLabel(r.deadline, locale, year),
                count: r.nominees.items.length + r.nominees.more,
              })}
            </strong>
            {names(r.nominees, (p) => p.name, locale)}
          </Text>
          <ActionLink href={r.url}>{t("digest.email.shortlists.action")}</ActionLink>
        </Section>
      ))}
    </Section>
  );
}

export function RatingCasesSection({ section, locale }: { section: NonNullable<DigestUnit["ratings"]>; locale: Locale }) {
  const t = digestTranslator(locale);
  return (
    <Section>
      <Text style={digestStyles.section}>{t("ratings.digest.title")}</Text>
      {section.newCases ? <Text style={digestStyles.line}>{t("ratings.digest.newCases", { count: section.newCases })}</Text> : null}
      {section.overdue ? (
        <Text style={{ ...digestStyles.line, color: "#b3261e", fontWeight: 600 }}>
          {t("ratings.digest.overdue", { count: section.overdue })}
        </Text>
      ) : null}
      <ActionLink href={section.url}>{t("ratings.digest.action")}</ActionLink>
    </Section>
  );
}
