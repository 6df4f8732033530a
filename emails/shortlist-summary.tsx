import { Heading, Section, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import type { Rank } from "~db/schema/enums";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";
import { type ShortlistVersionProps, VersionReason, versionedSubject } from "./_components/shortlist";

export interface ShortlistSummaryEmailProps extends BaseEmailProps, ShortlistVersionProps {
  name: string;
  quota: number;
  counts: { shortlisted: number; deferred: number; rejected: number };
  /** Entries nominated although a rule failed (with an override reason). */
  overrides: number;
  /** The shortlisted cadres, in the list's order (the first 50). */
  shortlisted: { name: string; unitName: string; rank: Rank }[];
  /** Shortlisted cadres beyond those listed. */
  more: number;
  url: string;
}

/** The published list for the organization department: what was decided, and who is on it. */
export default function ShortlistSummaryEmail(props: ShortlistSummaryEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("shortlists.email.summary.preview", { ...props.counts, quota: props.quota })}
      reason={t("shortlists.email.summary.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("shortlists.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>
        {t("shortlists.email.summary.body", { round: props.roundName, version: props.version, quota: props.quota, ...props.counts })}
      </Text>
      <VersionReason locale={props.locale} reason={props.reason} />
      {props.shortlisted.length ? (
        <Section style={{ margin: "8px 0" }}>
          <Text style={{ ...textStyle, fontWeight: 600, margin: "12px 0 4px" }}>{t("shortlists.email.summary.listTitle")}</Text>
          {props.shortlisted.map((c, i) => (
            <Text key={i} style={{ ...smallTextStyle, margin: "2px 0" }}>
              {t("shortlists.email.summary.line", { n: i + 1, name: c.name, unit: c.unitName, rank: t(`ranks.${c.rank}`) })}
            </Text>
          ))}
          {props.more > 0 ? (
            <Text style={{ ...smallTextStyle, margin: "2px 0" }}>{t("shortlists.email.summary.more", { count: props.more })}</Text>
          ) : null}
        </Section>
      ) : null}
      {props.overrides > 0 ? <Text style={textStyle}>{t("shortlists.email.summary.overrides", { count: props.overrides })}</Text> : null}
      <ActionButton href={props.url} label={t("shortlists.email.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: ShortlistSummaryEmailProps): string {
  return versionedSubject("summary", props);
}

ShortlistSummaryEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "张立",
  roundName: "2026 换届 敢担当善作为",
  version: 1,
  reason: null,
  quota: 12,
  counts: { shortlisted: 3, deferred: 1, rejected: 1 },
  overrides: 1,
  shortlisted: [
    { name: "王建华", unitName: "市发展和改革局", rank: "county" },
    { name: "李晓燕", unitName: "市教育和体育局", rank: "deputy_county" },
    { name: "陈志强", unitName: "东城街道", rank: "section" },
  ],
  more: 0,
  url: "https://luoshi.example.gov.cn/shortlists/1",
} satisfies ShortlistSummaryEmailProps;
