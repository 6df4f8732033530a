import { Heading, Text } from "@react-email/components";
import { formatRate } from "~/modules/attendance/format";
import { formatDate } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, textStyle } from "./_components/layout";

export interface AttendanceLowWarningEmailProps extends BaseEmailProps {
  name: string;
  /** The rate over the last `sessions` sessions, 0–1. */
  rate: number;
  sessions: number;
  threshold: number;
  /** The sessions of the window the cadre missed or came late to (ISO start, title, status). */
  missed: { startsAt: string; title: string; status: "absent" | "late" }[];
  attendanceUrl: string;
}

/** Sent once when a cadre's attendance over their last N sessions falls below the threshold. */
export default function AttendanceLowWarningEmail(props: AttendanceLowWarningEmailProps) {
  const t = translator(props.locale);
  const figures = { rate: formatRate(props.rate), sessions: props.sessions, threshold: formatRate(props.threshold) };
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("attendance.warning.email.preview")}
      reason={t("attendance.warning.email.reason", { organization: props.organizationName })}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("attendance.warning.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("attendance.warning.email.body", figures)}</Text>
      {props.missed.length ? (
        <>
          <Text style={textStyle}>{t("attendance.warning.email.missed")}</Text>
          {props.missed.map((m) => (
            <Text key={`${m.startsAt}-${m.title}`} style={{ ...textStyle, margin: "4px 0 4px 12px" }}>
              {formatDate(m.startsAt, props.locale)} {m.title} · {t(`attendance.statuses.${m.status}`)}
            </Text>
          ))}
        </>
      ) : null}
      <ActionButton href={props.attendanceUrl} label={t("attendance.warning.email.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: AttendanceLowWarningEmailProps): string {
  return translator(props.locale)("attendance.warning.email.subject", { rate: formatRate(props.rate), sessions: props.sessions });
}

AttendanceLowWarningEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  rate: 0.5,
  sessions: 5,
  threshold: 0.7,
  missed: [
    { startsAt: "2026-10-14T11:30:00.000Z", title: "数字政府建设的实践与思考", status: "absent" },
    { startsAt: "2026-10-28T11:30:00.000Z", title: "基层治理现代化", status: "late" },
    { startsAt: "2026-11-11T11:30:00.000Z", title: "优化营商环境的路径", status: "absent" },
  ],
  attendanceUrl: "https://luoshi.example.gov.cn/attendance",
} satisfies AttendanceLowWarningEmailProps;
