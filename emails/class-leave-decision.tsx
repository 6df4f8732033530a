import { Heading, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, textStyle } from "./_components/layout";
import { CLASS_PREVIEW_SESSION, ClassDetails, type ClassSessionSummary } from "./class-details";

export interface ClassLeaveDecisionEmailProps extends BaseEmailProps {
  name: string;
  session: ClassSessionSummary;
  approved: boolean;
  deciderName: string;
  comment: string | null;
  sessionUrl: string;
}

/** The unit head's answer to a leave request. Approved leave comes with the make-up study note. */
export default function ClassLeaveDecisionEmail(props: ClassLeaveDecisionEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={subject(props)}
      reason={t("classes.email.leave.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("classes.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>
        {props.approved
          ? t("classes.email.leave.approvedBody", { decider: props.deciderName })
          : t("classes.email.leave.refusedBody", { decider: props.deciderName })}
      </Text>
      {props.comment ? <Text style={textStyle}>{t("classes.email.leave.comment", { comment: props.comment })}</Text> : null}
      <ClassDetails session={props.session} locale={props.locale} showPlace={!props.approved} />
      <Text style={textStyle}>{props.approved ? t("classes.email.leave.makeUp") : t("classes.email.leave.attend")}</Text>
      <ActionButton href={props.sessionUrl} label={t("classes.email.viewSession")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: ClassLeaveDecisionEmailProps): string {
  const t = translator(props.locale);
  return props.approved
    ? t("classes.email.leave.subjectApproved", { title: props.session.title })
    : t("classes.email.leave.subjectRefused", { title: props.session.title });
}

ClassLeaveDecisionEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  session: CLASS_PREVIEW_SESSION,
  approved: true,
  deciderName: "李建国",
  comment: "同意，请按时补学。",
  sessionUrl: "https://luoshi.example.gov.cn/classes/2026-23",
} satisfies ClassLeaveDecisionEmailProps;
