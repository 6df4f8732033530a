import { Heading, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";
import { CLASS_PREVIEW_SESSION, ClassDetails, type ClassSessionSummary } from "./class-details";

export interface ClassReminderEmailProps extends BaseEmailProps {
  name: string;
  session: ClassSessionSummary;
  sessionUrl: string;
}

/** The day before: when and where, the live link, and how to ask for leave. */
export default function ClassReminderEmail(props: ClassReminderEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("classes.email.reminder.preview", { title: props.session.title })}
      reason={t("classes.email.reminder.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("classes.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("classes.email.reminder.body")}</Text>
      <ClassDetails session={props.session} locale={props.locale} />
      <Text style={textStyle}>{props.session.venue ? t("classes.email.reminder.checkIn") : t("classes.email.reminder.online")}</Text>
      <ActionButton href={props.sessionUrl} label={t("classes.email.viewSession")} locale={props.locale} />
      <Text style={smallTextStyle}>{t("classes.email.reminder.leave")}</Text>
    </EmailLayout>
  );
}

export function subject(props: ClassReminderEmailProps): string {
  return translator(props.locale)("classes.email.reminder.subject", { title: props.session.title });
}

ClassReminderEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  session: CLASS_PREVIEW_SESSION,
  sessionUrl: "https://luoshi.example.gov.cn/classes/2026-23",
} satisfies ClassReminderEmailProps;
