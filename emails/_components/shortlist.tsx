import { Section, Text } from "@react-email/components";
import { type Locale, translator } from "~/utils/i18n";
import { textStyle } from "./layout";

/** What both shortlist emails share: a published version of a round, and why it replaced the last. */
export interface ShortlistVersionProps {
  locale: Locale;
  roundName: string;
  version: number;
  /** Why this version replaces the previous one; null for the first publication. */
  reason: string | null;
}

/** The subject: "<round> list published", or "... version N" from the second version on. */
export function versionedSubject(kind: "summary" | "outcome", props: ShortlistVersionProps): string {
  const t = translator(props.locale);
  return props.version > 1
    ? t(`shortlists.email.${kind}.subjectVersion`, { round: props.roundName, version: props.version })
    : t(`shortlists.email.${kind}.subject`, { round: props.roundName });
}

/** A later version's reason, set apart. */
export function VersionReason({ locale, reason }: Pick<ShortlistVersionProps, "locale" | "reason">) {
  if (!reason) return null;
  return (
    <Section style={{ borderLeft: "3px solid #b3261e", paddingLeft: "12px", margin: "12px 0" }}>
      <Text style={{ ...textStyle, margin: "4px 0" }}>{translator(locale)("shortlists.email.versionReason", { reason })}</Text>
    </Section>
  );
}
