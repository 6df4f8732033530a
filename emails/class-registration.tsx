import { Heading, Link, Text } from "@react-email/components";
import { formatDateTime } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import { ActionButton, type BaseEmailProps, EmailLayout, smallTextStyle, textStyle } from "./_components/layout";
import { CLASS_PREVIEW_SESSION, ClassDetails, type ClassSessionSummary } from "./class-details";

export interface ClassRegistrationEmailProps extends BaseEmailProps {
  name: string;
  session: ClassSessionSummary;
  /** Set while the cadre waits for a full venue (and watches at `session.venue`, or online, meanwhile). */
  waitlist: { venueName: string; position: number } | null;
  /** ISO: changes and cancellation are possible until then. */
  deadline: string;
  sessionUrl: string;
  icsUrl: string;
}

/** Confirms a registration or a change of place, with the calendar file. */
export default function ClassRegistrationEmail(props: ClassRegistrationEmailProps) {
  const t = translator(props.locale);
  return (
    <EmailLayout
      locale={props.locale}
      organizationName={props.organizationName}
      preview={t("classes.email.registration.preview", { title: props.session.title })}
      reason={t("classes.email.registration.reason")}
    >
      <Heading as="h1" style={{ fontSize: "20px", margin: "16px 0 8px" }}>
        {subject(props)}
      </Heading>
      <Text style={textStyle}>{t("classes.email.greeting", { name: props.name })}</Text>
      <Text style={textStyle}>{t("classes.email.registration.body")}</Text>
      <ClassDetails session={props.session} locale={props.locale} />
      {props.waitlist ? (
        <Text style={textStyle}>
          {t("classes.email.registration.waitlist", { venue: props.waitlist.venueName, position: props.waitlist.position })}
        </Text>
      ) : null}
      <ActionButton href={props.sessionUrl} label={t("classes.email.viewSession")} locale={props.locale} />
      <Text style={smallTextStyle}>
        {t("classes.email.registration.deadline", { deadline: formatDateTime(props.deadline, props.locale) })}
      </Text>
      <Text style={smallTextStyle}>
        {t("classes.email.calendarHint")} <Link href={props.icsUrl}>{t("classes.email.addToCalendar")}</Link>
      </Text>
    </EmailLayout>
  );
}

export function subject(props: ClassRegistrationEmailProps): string {
  const t = translator(props.locale);
  return props.waitlist
    ? t("classes.email.registration.subjectWaitlisted", { title: props.session.title })
    : t("classes.email.registration.subject", { title: props.session.title });
}

ClassRegistrationEmail.PreviewProps = {
  locale: "zh-CN",
  organizationName: "示范市委组织部",
  name: "王晓明",
  session: { ...CLASS_PREVIEW_SESSION, venue: null },
  waitlist: { venueName: "市委党校报告厅", position: 2 },
  deadline: "2026-12-09T05:30:00.000Z",
  sessionUrl: "https://luoshi.example.gov.cn/classes/2026-23",
  icsUrl: "https://luoshi.example.gov.cn/classes/ics/2026-23.ics",
} satisfies ClassRegistrationEmailProps;
