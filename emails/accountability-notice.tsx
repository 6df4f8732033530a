import { Heading, Section, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import type { AccountabilityKind } from "~db/schema/accountability";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface AccountabilityNoticeEmailProps extends BaseEmailProps {
  name: string;
  /** opened: the record was opened; before: the rectification is due in a few days; due: it is due (or past due) without a report. */
  stage: "opened" | "before" | "due";
  kind: AccountabilityKind;
  /** Whom the record concerns: the unit's name, or the cadre's name and unit. */
  concerns: string;
  heldOn: string;
  rectification: string | null;
  rectificationDue: string | null;
  /** Sent to the organization department official who opened it (the deadline passed), not to the subject. */
  forOrganization?: boolean;
  url: string;
}

/** Tells the unit head (or the cadre) of a record opened, and reminds them before and at the rectification deadline. */
export default function AccountabilityNoticeEmail(props: AccountabilityNoticeEmailProps) {
  const t = translator(props.locale);
  const params = {
    kind: t(`accountability.kinds.${props.kind}`),
    concerns: props.concerns,
    heldOn: props.heldOn,
    due: props.rectificationDue ?? "",
  };
  const body = props.forOrganization ? "dueOrganization" : props.stage;
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t(`accountability.email.${body}.preview`, params)}
      reason={t(props.forOrganization ? "accountability.email.reasonOrganization" : "accountability.email.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("accountability.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t(`accountability.email.${body}.body`, params)}</Text>
      {props.rectification ? (
        <Section style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "12px 0" }}>
          <Text style={{ ...textStyle, margin: "4px 0" }}>{t("accountability.email.rectification", { text: props.rectification })}</Text>
          {props.rectificationDue ? (
            <Text style={{ ...textStyle, margin: "4px 0" }}>{t("accountability.email.dueLine", { due: props.rectificationDue })}</Text>
          ) : null}
        </Section>
      ) : null}
      {props.stage !== "opened" && !props.forOrganization ? (
        <Text style={smallTextStyle}>{t("accountability.email.howToReport")}</Text>
      ) : null}
      <ActionButton href={props.url} label={t("accountability.email.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: AccountabilityNoticeEmailProps): string {
  const t = translator(props.locale);
  return t(`accountability.email.${props.forOrganization ? "dueOrganization" : props.stage}.subject`, {
    kind: t(`accountability.kinds.${props.kind}`),
    concerns: props.concerns,
    due: props.rectificationDue ?? "",
  });
}

AccountabilityNoticeEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王建华",
  stage: "before",
  kind: "admonishment_talk",
  concerns: "市人民防空办公室",
  heldOn: "2026-10-20",
  rectification: "针对连续两个季度排名靠后的问题，制定整改方案，班子成员带头参加夜课堂，每月报送进展。",
  rectificationDue: "2026-11-20",
  url: "https://luoshi.example.gov.cn/accountability/12",
} satisfies AccountabilityNoticeEmailProps;
