import { Heading, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, textStyle } from "./_components/layout";
import { CLASS_PREVIEW_SESSION, ClassDetails, type ClassSessionSummary } from "./class-details";

export interface ClassCancelledEmailProps extends BaseEmailProps {
  name: string;
  session: ClassSessionSummary;
  reason: string;
  classesUrl: string;
}

/** Sent to everyone enrolled when the organization department cancels a session. */
export default function ClassCancelledEmail(props: ClassCancelledEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("classes.email.cancelled.preview", { reason: props.reason })}
      reason={t("classes.email.cancelled.footer")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("classes.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("classes.email.cancelled.body")}</Text>
      <ClassDetails session={props.session} locale={props.locale} showPlace={false} />
      <Text style={textStyle}>{t("classes.email.cancelled.reasonLine", { reason: props.reason })}</Text>
      <ActionButton href={props.classesUrl} label={t("classes.email.myClasses")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: ClassCancelledEmailProps): string {
  return translator(props.locale)("classes.email.cancelled.subject", { title: props.session.title });
}

ClassCancelledEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  session: CLASS_PREVIEW_SESSION,
  reason: "因授课专家临时公务冲突，本期课程取消，课程顺延至下期。",
  classesUrl: "https://luoshi.example.gov.cn/classes",
} satisfies ClassCancelledEmailProps;
