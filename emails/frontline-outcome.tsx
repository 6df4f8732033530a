import { Heading, Section, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import type { FrontlineCategory } from "~db/schema/frontline";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface FrontlineOutcomeEmailProps extends BaseEmailProps {
  name: string;
  outcome: "verified" | "returned";
  category: FrontlineCategory;
  place: string;
  /** Calendar dates, YYYY-MM-DD, both included. */
  startDate: string;
  endDate: string;
  days: number;
  /** Why it was returned (or reopened); null for a verification. */
  comment: string | null;
  deciderName: string;
  url: string;
}

/** Tells a cadre that a frontline record was verified, or returned with what to fix. */
export default function FrontlineOutcomeEmail(props: FrontlineOutcomeEmailProps) {
  const t = translator(props.locale);
  const record = {
    category: t(`frontline.categories.${props.category}`),
    place: props.place,
    start: props.startDate,
    end: props.endDate,
    days: props.days,
  };
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t(`frontline.email.${props.outcome}.preview`, record)}
      reason={t("frontline.email.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("frontline.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t(`frontline.email.${props.outcome}.body`, { ...record, decider: props.deciderName })}</Text>
      <Text style={smallTextStyle}>{t("frontline.email.record", record)}</Text>
      {props.comment ? (
        <Section style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "12px 0" }}>
          <Text style={{ ...textStyle, margin: "4px 0" }}>
            {t("frontline.email.comment")}
            {props.comment}
          </Text>
        </Section>
      ) : null}
      <ActionButton href={props.url} label={t(`frontline.email.${props.outcome}.action`)} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: FrontlineOutcomeEmailProps): string {
  return translator(props.locale)(`frontline.email.${props.outcome}.subject`, { place: props.place });
}

FrontlineOutcomeEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  outcome: "returned",
  category: "petition",
  place: "市信访局接待大厅",
  startDate: "2026-04-13",
  endDate: "2026-04-17",
  days: 5,
  comment: "与 4 月 15 日至 16 日的督查记录日期重叠，请核对后重新提交。",
  deciderName: "李建国",
  url: "https://luoshi.example.gov.cn/frontline/1024",
} satisfies FrontlineOutcomeEmailProps;
