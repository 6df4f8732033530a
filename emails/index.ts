import type { ComponentType } from "react";
import AttendanceLowWarningEmail, {
  type AttendanceLowWarningEmailProps,
  subject as attendanceLowWarningSubject,
} from "./attendance-low-warning";
import ClassCancelledEmail, { type ClassCancelledEmailProps, subject as classCancelledSubject } from "./class-cancelled";
import ClassLeaveDecisionEmail, { type ClassLeaveDecisionEmailProps, subject as classLeaveDecisionSubject } from "./class-leave-decision";
import ClassRegistrationEmail, { type ClassRegistrationEmailProps, subject as classRegistrationSubject } from "./class-registration";
import ClassReminderEmail, { type ClassReminderEmailProps, subject as classReminderSubject } from "./class-reminder";
import ClassWaitlistPromotionEmail, {
  type ClassWaitlistPromotionEmailProps,
  subject as classWaitlistPromotionSubject,
} from "./class-waitlist-promotion";
import FrontlineOutcomeEmail, { type FrontlineOutcomeEmailProps, subject as frontlineOutcomeSubject } from "./frontline-outcome";
import InvitationEmail, { type InvitationEmailProps, subject as invitationSubject } from "./invitation";
import MeetingInvitationEmail, { type MeetingInvitationEmailProps, subject as meetingInvitationSubject } from "./meeting-invitation";
import PasswordResetEmail, { type PasswordResetEmailProps, subject as passwordResetSubject } from "./password-reset";
import RankingSummaryEmail, { type RankingSummaryEmailProps, subject as rankingSummarySubject } from "./ranking-summary";
import RatingCaseReminderEmail, { type RatingCaseReminderEmailProps, subject as ratingCaseReminderSubject } from "./rating-case-reminder";
import SecurityNoticeEmail, { type SecurityNoticeEmailProps, subject as securityNoticeSubject } from "./security-notice";
import ShortlistOutcomeEmail, { type ShortlistOutcomeEmailProps, subject as shortlistOutcomeSubject } from "./shortlist-outcome";
import ShortlistSummaryEmail, { type ShortlistSummaryEmailProps, subject as shortlistSummarySubject } from "./shortlist-summary";
import WeeklyDigestEmail, { type WeeklyDigestEmailProps, subject as weeklyDigestSubject } from "./weekly-digest";

export interface EmailTemplate<P> {
  component: ComponentType<P>;
  subject: (props: P) => string;
  previewProps: P;
}

function template<P>(component: ComponentType<P> & { PreviewProps: P }, subject: (props: P) => string): EmailTemplate<P> {
  return { component, subject, previewProps: component.PreviewProps };
}

/**
 * Every email the product sends, by the name stored in the outbox. Templates are pure components: the
 * outbox renders them, the preview script renders them with their PreviewProps, the tests read them.
 */
export const EMAIL_TEMPLATES = {
  invitation: template<InvitationEmailProps>(InvitationEmail, invitationSubject),
  "password-reset": template<PasswordResetEmailProps>(PasswordResetEmail, passwordResetSubject),
  "class-registration": template<ClassRegistrationEmailProps>(ClassRegistrationEmail, classRegistrationSubject),
  "class-waitlist-promotion": template<ClassWaitlistPromotionEmailProps>(ClassWaitlistPromotionEmail, classWaitlistPromotionSubject),
  "class-reminder": template<ClassReminderEmailProps>(ClassReminderEmail, classReminderSubject),
  "class-leave-decision": template<ClassLeaveDecisionEmailProps>(ClassLeaveDecisionEmail, classLeaveDecisionSubject),
  "class-cancelled": template<ClassCancelledEmailProps>(ClassCancelledEmail, classCancelledSubject),
  "frontline-outcome": template<FrontlineOutcomeEmailProps>(FrontlineOutcomeEmail, frontlineOutcomeSubject),
  "ranking-summary": template<RankingSummaryEmailProps>(RankingSummaryEmail, rankingSummarySubject),
  "meeting-invitation": template<MeetingInvitationEmailProps>(MeetingInvitationEmail, meetingInvitationSubject),
  "attendance-low-warning": template<AttendanceLowWarningEmailProps>(AttendanceLowWarningEmail, attendanceLowWarningSubject),
  "shortlist-summary": template<ShortlistSummaryEmailProps>(ShortlistSummaryEmail, shortlistSummarySubject),
  "shortlist-outcome": template<ShortlistOutcomeEmailProps>(ShortlistOutcomeEmail, shortlistOutcomeSubject),
  "weekly-digest": template<WeeklyDigestEmailProps>(WeeklyDigestEmail, weeklyDigestSubject),
  "security-notice": template<SecurityNoticeEmailProps>(SecurityNoticeEmail, securityNoticeSubject),
  "rating-case-reminder": template<RatingCaseReminderEmailProps>(RatingCaseReminderEmail, ratingCaseReminderSubject),
};

export type EmailTemplateName = keyof typeof EMAIL_TEMPLATES;
export type EmailTemplateProps<N extends EmailTemplateName> = (typeof EMAIL_TEMPLATES)[N] extends EmailTemplate<infer P> ? P : never;

export const EMAIL_TEMPLATE_NAMES = Object.keys(EMAIL_TEMPLATES) as EmailTemplateName[];

export type { FrontlineOutcomeEmailProps, InvitationEmailProps, PasswordResetEmailProps };
