import { Heading, Section, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import type { ShortlistDecision } from "~db/schema/shortlists";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";
import { type ShortlistVersionProps, VersionReason, versionedSubject } from "./_components/shortlist";

export interface ShortlistOutcomeEmailProps extends BaseEmailProps, ShortlistVersionProps {
  name: string;
  /** The head's own cadres on the list, as published; `changed` since the previous version. */
  entries: {
    name: string;
    /** The unit at publication. */
    unitName: string;
    /** The unit at nomination, when the cadre moved in between. */
    nominatedUnitName?: string | null;
    decision: ShortlistDecision;
    reason: string;
    changed: boolean;
  }[];
  url: string;
}

/** Tells a unit head the outcome for the cadres of their unit, and nobody else's. */
export default function ShortlistOutcomeEmail(props: ShortlistOutcomeEmailProps) {
  const t = translator(props.locale);
  const shortlisted = props.entries.filter((e) => e.decision === "shortlisted").length;
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("shortlists.email.outcome.preview", { count: props.entries.length, shortlisted })}
      reason={t("shortlists.email.outcome.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("shortlists.email.greeting", { name: props.name })}</Text>
      {/* "0 人列入名单" reads badly: when none is on the list, say so in words. */}
      <Text style={textStyle}>
        {t(shortlisted ? "shortlists.email.outcome.body" : "shortlists.email.outcome.bodyNone", {
          round: props.roundName,
          version: props.version,
          count: props.entries.length,
          shortlisted,
        })}
      </Text>
      <VersionReason locale={props.locale} reason={props.reason} />
      <Section style={{ margin: "8px 0" }}>
        {props.entries.map((e, i) => (
          <Text key={i} style={{ ...smallTextStyle, margin: "6px 0" }}>
            <strong>
              {t("shortlists.email.outcome.line", { name: e.name, unit: e.unitName, decision: t(`shortlists.decisions.${e.decision}`) })}
            </strong>
            {e.changed && props.version > 1 ? ` ${t("shortlists.email.outcome.changed")}` : ""}
            {e.nominatedUnitName ? (
              <>
                <br />
                {t("shortlists.email.outcome.transferred", { from: e.nominatedUnitName, to: e.unitName })}
              </>
            ) : null}
            <br />
            {t("shortlists.email.outcome.why", { reason: e.reason })}
          </Text>
        ))}
      </Section>
      <ActionButton href={props.url} label={t("shortlists.email.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: ShortlistOutcomeEmailProps): string {
  return versionedSubject("outcome", props);
}

ShortlistOutcomeEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "刘国庆",
  roundName: "2026 换届 敢担当善作为",
  version: 1,
  reason: null,
  entries: [
    {
      name: "李晓燕",
      unitName: "市教育和体育局",
      decision: "shortlisted",
      reason: "一线经历扎实，连续两个季度排名位于前列。",
      changed: false,
    },
    { name: "赵文博", unitName: "市第一中学", decision: "deferred", reason: "一线经历天数尚差 12 天，待补足后再议。", changed: false },
  ],
  url: "https://luoshi.example.gov.cn/shortlists/1",
} satisfies ShortlistOutcomeEmailProps;
