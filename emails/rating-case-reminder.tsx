import { Heading, Section, Text } from "@react-email/components";
import { formatDate } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface RatingCaseReminderEmailProps extends BaseEmailProps {
  name: string;
  /** due: follow-ups due today (to the unit's handlers); overdue: past due (to the handlers); escalation: past due (to the organization department). */
  kind: "due" | "overdue" | "escalation";
  cases: { id: number; unitName: string; pointName: string; dueOn: string; reasons: string[]; url: string }[];
  listUrl: string;
}

/** Reminds a unit's head and liaisons of 不满意 follow-ups due or overdue, and tells the organization department of overdue ones. */
export default function RatingCaseReminderEmail(props: RatingCaseReminderEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={subject(props)}
      reason={t(`ratings.email.reason.${props.kind === "escalation" ? "org" : "unit"}`)}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("ratings.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t(`ratings.email.${props.kind}.body`, { count: props.cases.length })}</Text>
      {props.cases.map((c) => (
        <Section key={c.id} style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "8px 0" }}>
          <Text style={{ ...textStyle, margin: "2px 0", fontWeight: 600 }}>
            {t("ratings.email.caseLine", { id: c.id, unit: c.unitName, point: c.pointName || t("ratings.points.unitPoint") })}
          </Text>
          <Text style={{ ...smallTextStyle, margin: "2px 0" }}>
            {t("ratings.email.caseDue", {
              due: formatDate(c.dueOn, props.locale),
              reasons: c.reasons.map((r) => t(`ratings.reasons.${r}`)).join(t("ratings.email.separator")),
            })}
          </Text>
        </Section>
      ))}
      <ActionButton href={props.listUrl} label={t("ratings.email.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: RatingCaseReminderEmailProps): string {
  return translator(props.locale)(`ratings.email.${props.kind}.subject`, { count: props.cases.length });
}

RatingCaseReminderEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  kind: "overdue",
  cases: [
    {
      id: 17,
      unitName: "市行政审批服务局",
      pointName: "政务服务大厅3号窗口",
      dueOn: "2026-12-09",
      reasons: ["efficiency", "buck_passing"],
      url: "https://luoshi.example.gov.cn/ratings/cases/17",
    },
  ],
  listUrl: "https://luoshi.example.gov.cn/ratings/cases?state=overdue",
} satisfies RatingCaseReminderEmailProps;
