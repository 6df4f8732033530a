import { Heading, Text } from "@react-email/components";
import { formatDateTime } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface PasswordResetEmailProps extends BaseEmailProps {
  name: string;
  url: string;
  /** ISO timestamp: props are stored as JSON in the outbox. */
  expiresAt: string;
  validMinutes: number;
}

export default function PasswordResetEmail(props: PasswordResetEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("email.passwordReset.preview", { minutes: props.validMinutes })}
      reason={t("email.passwordReset.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("email.passwordReset.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("email.passwordReset.body")}</Text>
      <ActionButton href={props.url} label={t("email.passwordReset.action")} locale={props.locale} />
      <Text style={smallTextStyle}>
        {t("email.passwordReset.expiry", {
          minutes: props.validMinutes,
          until: formatDateTime(props.expiresAt, props.locale),
        })}
      </Text>
      <Text style={smallTextStyle}>{t("email.passwordReset.ignore")}</Text>
    </EmailLayout>
  );
}

export function subject(props: PasswordResetEmailProps): string {
  return translator(props.locale)("email.passwordReset.subject");
}

PasswordResetEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  url: "https://luoshi.example.gov.cn/reset-password/abcdefghijklmnopqrstuvwxyz234567",
  expiresAt: "2026-05-01T11:00:00.000Z",
  validMinutes: 60,
} satisfies PasswordResetEmailProps;
