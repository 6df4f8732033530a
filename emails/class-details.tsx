import { Link, Section, Text } from "@react-email/components";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import type { Locale } from "~/utils/i18n";
import { translator } from "~/utils/i18n";
import { smallTextStyle, textStyle } from "./_components/layout";

/**
 * What every night-class email says about the session: when, who teaches, where the recipient watches.
 * Props are JSON in the outbox, so times are ISO strings and the place is spelled out.
 */
export interface ClassSessionSummary {
  code: string;
  title: string;
  lecturer: string;
  lecturerAffiliation: string;
  startsAt: string;
  endsAt: string;
  trainingHours: number;
  /** null: online. */
  venue: { name: string; address: string } | null;
  liveUrl: string | null;
}

const rowStyle = { ...textStyle, margin: "4px 0" };

export function ClassDetails({ session, locale, showPlace = true }: { session: ClassSessionSummary; locale: Locale; showPlace?: boolean }) {
  const t = translator(locale);
  const lecturer = [session.lecturer, session.lecturerAffiliation].filter(Boolean).join(locale === "en" ? ", " : "，");
  return (
    <Section style={{ backgroundColor: "#f5f6f8", borderRadius: "6px", padding: "8px 16px", margin: "12px 0" }}>
      <Text style={{ ...rowStyle, fontWeight: 600 }}>
        {session.title} <span style={{ color: "#5f6670", fontWeight: 400 }}>· {session.code}</span>
      </Text>
      <Text style={rowStyle}>
        {t("classes.email.when")}：{sessionWhen(session.startsAt, session.endsAt, locale)}
      </Text>
      {lecturer ? (
        <Text style={rowStyle}>
          {t("classes.email.lecturer")}：{lecturer}
        </Text>
      ) : null}
      {showPlace ? (
        <Text style={rowStyle}>
          {t("classes.email.place")}：
          {session.venue
            ? `${session.venue.name}${session.venue.address ? `（${session.venue.address}）` : ""}`
            : t("classes.email.online")}
        </Text>
      ) : null}
      <Text style={rowStyle}>
        {t("classes.email.hours")}：{formatHours(session.trainingHours)}
      </Text>
      {showPlace && !session.venue && session.liveUrl ? (
        <Text style={smallTextStyle}>
          {t("classes.email.liveLink")}：<Link href={session.liveUrl}>{session.liveUrl}</Link>
        </Text>
      ) : null}
    </Section>
  );
}

export const CLASS_PREVIEW_SESSION: ClassSessionSummary = {
  code: "2026-23",
  title: "数字政府建设与基层治理能力提升",
  lecturer: "陈立新",
  lecturerAffiliation: "省委党校公共管理教研部",
  startsAt: "2026-12-09T11:30:00.000Z",
  endsAt: "2026-12-09T13:00:00.000Z",
  trainingHours: 1.5,
  venue: { name: "市委党校报告厅", address: "示范市人民路 88 号" },
  liveUrl: "https://live.example.gov.cn/night-class/2026-23",
};
