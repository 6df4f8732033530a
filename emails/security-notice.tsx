import { Heading, Text } from "@react-email/components";
import { formatDateTime } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

/** What happened to the account; each has a subject, a body and advice in both languages. */
export const SECURITY_NOTICES = ["account_locked", "second_factor_reset", "sessions_ended"] as const;
export type SecurityNotice = (typeof SECURITY_NOTICES)[number];

export interface SecurityNoticeEmailProps extends BaseEmailProps {
  notice: SecurityNotice;
  name: string;
  /** ISO timestamps: props are stored as JSON in the outbox. */
  at: string;
  /** account_locked: until when, after how many failures, from where. */
  until?: string;
  failures?: number;
  address?: string;
  /** second_factor_reset, sessions_ended: who did it and why. */
  byName?: string;
  reason?: string;
}

export default function SecurityNoticeEmail(props: SecurityNoticeEmailProps) {
  const t = translator(props.locale);
  const params = {
    name: props.name,
    at: formatDateTime(props.at, props.locale),
    until: props.until ? formatDateTime(props.until, props.locale) : "",
    failures: props.failures ?? 0,
    address: props.address ?? "",
    by: props.byName ?? "",
    reason: props.reason ?? "",
  };
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t(`email.securityNotice.${props.notice}.preview`, params)}
      reason={t("email.securityNotice.why")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("email.securityNotice.greeting", params)}</Text>
      <Text style={textStyle}>{t(`email.securityNotice.${props.notice}.body`, params)}</Text>
      {props.reason ? <Text style={textStyle}>{t("email.securityNotice.reasonLine", params)}</Text> : null}
      <Text style={smallTextStyle}>{t(`email.securityNotice.${props.notice}.advice`, params)}</Text>
    </EmailLayout>
  );
}

export function subject(props: SecurityNoticeEmailProps): string {
  return translator(props.locale)(`email.securityNotice.${props.notice}.subject`);
}

SecurityNoticeEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  notice: "account_locked",
  name: "王晓明",
  at: "2026-05-01T02:10:00.000Z",
  until: "2026-05-01T02:25:00.000Z",
  failures: 5,
  address: "203.0.113.7",
} satisfies SecurityNoticeEmailProps;
