import { Heading, Link, Text } from "@react-email/components";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";
import { CLASS_PREVIEW_SESSION, ClassDetails, type ClassSessionSummary } from "./class-details";

export interface ClassWaitlistPromotionEmailProps extends BaseEmailProps {
  name: string;
  /** `venue` is the seat the cadre now has. */
  session: ClassSessionSummary;
  sessionUrl: string;
  icsUrl: string;
}

/** A seat came free at the venue the cadre was waiting for, and is now theirs. */
export default function ClassWaitlistPromotionEmail(props: ClassWaitlistPromotionEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("classes.email.promotion.preview", { venue: props.session.venue?.name ?? "" })}
      reason={t("classes.email.promotion.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("classes.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("classes.email.promotion.body", { venue: props.session.venue?.name ?? "" })}</Text>
      <ClassDetails session={props.session} locale={props.locale} />
      <ActionButton href={props.sessionUrl} label={t("classes.email.viewSession")} locale={props.locale} />
      <Text style={smallTextStyle}>
        {t("classes.email.calendarHint")} <Link href={props.icsUrl}>{t("classes.email.addToCalendar")}</Link>
      </Text>
    </EmailLayout>
  );
}

export function subject(props: ClassWaitlistPromotionEmailProps): string {
  return translator(props.locale)("classes.email.promotion.subject", { title: props.session.title });
}

ClassWaitlistPromotionEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  session: CLASS_PREVIEW_SESSION,
  sessionUrl: "https://luoshi.example.gov.cn/classes/2026-23",
  icsUrl: "https://luoshi.example.gov.cn/classes/ics/2026-23.ics",
} satisfies ClassWaitlistPromotionEmailProps;
