import { Heading, Text } from "@react-email/components";
import { formatDateTime } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface InvitationEmailProps extends BaseEmailProps {
  name: string;
  unitName: string;
  staffNo: string | null;
  url: string;
  /** ISO timestamp: props are stored as JSON in the outbox. */
  expiresAt: string;
  validDays: number;
}

/** Invitation to set a password: the default way into a new account. */
export default function InvitationEmail(props: InvitationEmailProps) {
  const t = translator(props.locale);
  const organization = props.organizationName;
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={organization}
      preview={t("email.invitation.preview", { days: props.validDays })}
      reason={t("email.invitation.reason", { organization })}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("email.invitation.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("email.invitation.body", { organization, unit: props.unitName })}</Text>
      <ActionButton href={props.url} label={t("email.invitation.action")} locale={props.locale} />
      <Text style={smallTextStyle}>
        {t("email.invitation.expiry", { days: props.validDays, until: formatDateTime(props.expiresAt, props.locale) })}
      </Text>
      {props.staffNo ? <Text style={smallTextStyle}>{t("email.invitation.identifier", { staffNo: props.staffNo })}</Text> : null}
    </EmailLayout>
  );
}

export function subject(props: InvitationEmailProps): string {
  return translator(props.locale)("email.invitation.subject", { organization: props.organizationName });
}

InvitationEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  unitName: "市教育和体育局",
  staffNo: "SF01234",
  url: "https://luoshi.example.gov.cn/invite/abcdefghijklmnopqrstuvwxyz234567",
  expiresAt: "2026-05-08T10:00:00.000Z",
  validDays: 7,
} satisfies InvitationEmailProps;
