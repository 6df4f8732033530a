import { Heading, Section, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";

export interface RankingSummaryUnit {
  name: string;
  score: number;
  /** Shares its rank with another unit (并列). */
  tied?: boolean;
}

export interface RankingSummaryEmailProps extends BaseEmailProps {
  name: string;
  /** 2026Q3 and how the reader's language writes it. */
  quarter: string;
  quarterLabel: string;
  version: number;
  /** Why a correction replaced the earlier version; null for the first publication. */
  correctionReason: string | null;
  cadresRanked: number;
  unitsRanked: number;
  /** Per unit peer group (kind): the top and bottom units, as on the agenda. */
  groups: {
    group: "department" | "town" | "park" | "enterprise" | "other";
    size: number;
    top: RankingSummaryUnit[];
    bottom: RankingSummaryUnit[];
  }[];
  /** Units now in the bottom two quarters running (约谈). */
  flagged: string[];
  url: string;
}

const score = (value: number) => value.toFixed(2);

/** The quarterly summary for the organization department, sent when a quarter's ranking is published. */
export default function RankingSummaryEmail(props: RankingSummaryEmailProps) {
  const t = translator(props.locale);
  const list = (units: RankingSummaryUnit[]) =>
    units.map((u) => `${u.name}（${score(u.score)}${u.tied ? t("rankings.email.tiedMark") : ""}）`).join(t("rankings.email.separator"));
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("rankings.email.summary.preview", { quarter: props.quarterLabel, units: props.unitsRanked, cadres: props.cadresRanked })}
      reason={t("rankings.email.summary.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("rankings.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>
        {t("rankings.email.summary.body", {
          quarter: props.quarterLabel,
          version: props.version,
          units: props.unitsRanked,
          cadres: props.cadresRanked,
        })}
      </Text>
      {props.correctionReason ? (
        <Section style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "12px 0" }}>
          <Text style={{ ...textStyle, margin: "4px 0" }}>
            {t("rankings.email.summary.correction", { reason: props.correctionReason })}
          </Text>
        </Section>
      ) : null}
      {props.groups.map((g) => (
        <Section key={g.group} style={{ margin: "8px 0" }}>
          <Text style={{ ...textStyle, fontWeight: 600, margin: "12px 0 4px" }}>
            {t(`unitKinds.${g.group}`)} · {t("rankings.email.summary.groupSize", { count: g.size })}
          </Text>
          <Text style={{ ...smallTextStyle, margin: "2px 0" }}>
            {t("rankings.email.summary.top")}
            {list(g.top) || t("rankings.email.summary.none")}
          </Text>
          <Text style={{ ...smallTextStyle, margin: "2px 0" }}>
            {t("rankings.email.summary.bottom")}
            {list(g.bottom) || t("rankings.email.summary.none")}
          </Text>
        </Section>
      ))}
      {props.flagged.length ? (
        <Text style={textStyle}>
          {t("rankings.email.summary.flagged", { units: props.flagged.join(t("rankings.email.separator")), count: props.flagged.length })}
        </Text>
      ) : null}
      <ActionButton href={props.url} label={t("rankings.email.summary.action")} locale={props.locale} />
    </EmailLayout>
  );
}

export function subject(props: RankingSummaryEmailProps): string {
  const t = translator(props.locale);
  return props.correctionReason
    ? t("rankings.email.summary.subjectCorrected", { quarter: props.quarterLabel, version: props.version })
    : t("rankings.email.summary.subject", { quarter: props.quarterLabel });
}

RankingSummaryEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "张立",
  quarter: "2026Q3",
  quarterLabel: "2026年第三季度",
  version: 1,
  correctionReason: null,
  cadresRanked: 1371,
  unitsRanked: 118,
  groups: [
    {
      group: "department",
      size: 70,
      top: [
        { name: "市发展和改革局", score: 91.42 },
        { name: "市行政审批服务局", score: 90.87 },
        { name: "市商务局", score: 89.1 },
      ],
      bottom: [
        { name: "市档案馆", score: 61.05 },
        { name: "市供销合作社", score: 60.3 },
        { name: "市人民防空办公室", score: 58.77 },
      ],
    },
  ],
  flagged: ["市人民防空办公室"],
  url: "https://luoshi.example.gov.cn/rankings/2026Q3",
} satisfies RankingSummaryEmailProps;
