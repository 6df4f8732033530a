import { Heading, Section, Text } from "@react-email/components";
import { formatDateTime } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface MeetingInvitationEmailProps extends BaseEmailProps {
  name: string;
  quarter: string;
  quarterLabel: string;
  unitName: string;
  /** Experience presentation (top of the group) or commitment statement (bottom). */
  role: "experience" | "commitment";
  rank: number | null;
  /** How many share the rank (并列 when more than 1). */
  tieSize?: number | null;
  groupSize: number | null;
  group: "department" | "town" | "park" | "enterprise" | "other";
  startsAt: string;
  endsAt: string;
  place: string;
  /** 1 for the first invitation; higher when the time or place changed. */
  revision: number;
  url: string;
}

/** Invites a unit head to speak at the quarter's ranking meeting; the calendar file is attached. */
export default function MeetingInvitationEmail(props: MeetingInvitationEmailProps) {
  const t = translator(props.locale);
  const when = `${formatDateTime(props.startsAt, props.locale)}–${formatDateTime(props.endsAt, props.locale).slice(-5)}`;
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("rankings.email.invitation.preview", { quarter: props.quarterLabel, when, place: props.place })}
      reason={t("rankings.email.invitation.reason", { unit: props.unitName })}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("rankings.email.greeting", { name: props.name })}</Text>
      {props.revision > 1 ? <Text style={{ ...textStyle, color: "#b3261e" }}>{t("rankings.email.invitation.changed")}</Text> : null}
      <Text style={textStyle}>
        {t(`rankings.email.invitation.${props.role}`, {
          quarter: props.quarterLabel,
          unit: props.unitName,
          group: t(`unitKinds.${props.group}`),
          place:
            props.rank === null
              ? "—"
              : t(`rankings.email.invitation.${props.tieSize && props.tieSize > 1 ? "placeTied" : "place"}`, { rank: props.rank }),
          size: props.groupSize ?? "—",
        })}
      </Text>
      <Section style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "12px 0" }}>
        <Text style={{ ...textStyle, margin: "4px 0" }}>{t("rankings.email.invitation.when", { when })}</Text>
        <Text style={{ ...textStyle, margin: "4px 0" }}>{t("rankings.email.invitation.where", { place: props.place })}</Text>
      </Section>
      <Text style={smallTextStyle}>{t("rankings.email.invitation.calendar")}</Text>
      <ActionButton href={props.url} label={t("rankings.email.invitation.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: MeetingInvitationEmailProps): string {
  const t = translator(props.locale);
  return t(props.revision > 1 ? "rankings.email.invitation.subjectChanged" : "rankings.email.invitation.subject", {
    quarter: props.quarterLabel,
  });
}

MeetingInvitationEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "陈卫东",
  quarter: "2026Q3",
  quarterLabel: "2026年第三季度",
  unitName: "市发展和改革局",
  role: "experience",
  rank: 1,
  groupSize: 70,
  group: "department",
  startsAt: "2026-10-16T01:30:00.000Z",
  endsAt: "2026-10-16T04:00:00.000Z",
  place: "市委党校报告厅",
  revision: 1,
  url: "https://luoshi.example.gov.cn/rankings/meetings/3",
} satisfies MeetingInvitationEmailProps;
