/**
 * Every kind of change the audit log records. An action that is not listed here does not type-check
 * (AuditEntry.action), and tests/unit/audit-labels.test.ts fails when one listed here has no plain
 * description in Chinese and English (app/locales/*\/audit.ts, `audit.actions.<action>`).
 */
export const AUDIT_ACTIONS = [
  "account.created",
  "account.disabled",
  "account.enabled",
  "account.invitation_accepted",
  "account.invited",
  "account.one_time_password_issued",
  "account.password_changed",
  "account.password_reset",
  "account.password_reset_requested",
  "account.roles_changed",
  "account.second_factor_reset",
  "account.sessions_ended",
  "account.unlocked",
  "accountability.attachment_added",
  "accountability.attachment_removed",
  "accountability.closed",
  "accountability.followed_up",
  "accountability.opened",
  "accountability.periods_changed",
  "accountability.report_submitted",
  "attendance.corrected",
  "attendance.flag_reviewed",
  "attendance.imported",
  "attendance.makeup_confirmed",
  "attendance.makeup_rejected",
  "attendance.makeup_submitted",
  "attendance.marked",
  "attendance.rules_changed",
  "attendance.session_closed",
  "attendance.walk_in",
  "cadre.created",
  "cadre.transferred",
  "cadre.updated",
  "class.calendar.created",
  "class.calendar.reset",
  "class.enrolment.synced",
  "class.leave.approved",
  "class.leave.refused",
  "class.leave.requested",
  "class.leave.withdrawn",
  "class.registration.cancelled",
  "class.registration.changed",
  "class.registration.promoted",
  "class.registration.registered",
  "class.registration.waitlist_left",
  "class.registration.waitlisted",
  "class.series.created",
  "class.session.added",
  "class.session.cancelled",
  "class.session.closed",
  "class.session.imported",
  "class.session.published",
  "class.session.updated",
  "class.venue.added",
  "class.venue.created",
  "class.venue.removed",
  "class.venue.staff_added",
  "class.venue.staff_removed",
  "class.venue.updated",
  "email.retry",
  "email.suppressed",
  "email.suppression_lifted",
  "frontline.attachment_added",
  "frontline.attachment_removed",
  "frontline.corrected",
  "frontline.created",
  "frontline.deleted",
  "frontline.imported",
  "frontline.reopened",
  "frontline.returned",
  "frontline.rules_changed",
  "frontline.submitted",
  "frontline.updated",
  "frontline.verified",
  "frontline.withdrawn",
  "import.applied",
  "import.discarded",
  "person.exported",
  "ranking.agenda_added",
  "ranking.agenda_removed",
  "ranking.assessment_graded",
  "ranking.assessment_imported",
  "ranking.commitment_done",
  "ranking.commitment_progress",
  "ranking.commitment_recorded",
  "ranking.commitment_reopened",
  "ranking.computed",
  "ranking.discarded",
  "ranking.flag_raised",
  "ranking.flag_resolved",
  "ranking.flag_withdrawn",
  "ranking.invitations_sent",
  "ranking.meeting_changed",
  "ranking.meeting_created",
  "ranking.minutes_recorded",
  "ranking.model_changed",
  "ranking.model_created",
  "ranking.published",
  "ranking.ranks_shared",
  "ranking.ratings_imported",
  "ranking.sharing_changed",
  "ranking.superseded",
  "rating_burst.discounted",
  "rating_burst.kept",
  "rating_case.accountability_requested",
  "rating_case.called",
  "rating_case.closed",
  "rating_case.phones_erased",
  "rating_case.returned",
  "rating_case.submitted",
  "rating_point.created",
  "rating_point.retired",
  "rating_ten_worst.accountability_raised",
  "rating_ten_worst.published",
  "security.policy_changed",
  "seed.demo_attendance",
  "seed.demo_city",
  "seed.demo_classes",
  "seed.demo_frontline",
  "seed.demo_rankings",
  "seed.demo_ratings",
  "seed.demo_shortlists",
  "shortlist.decided",
  "shortlist.nominated",
  "shortlist.nominations_closed",
  "shortlist.published",
  "shortlist.round_created",
  "shortlist.round_updated",
  "shortlist.withdrawn",
  "unit.created",
  "unit.head_changed",
  "unit.head_cleared",
  "unit.liaison_added",
  "unit.liaison_removed",
  "unit.ranking_changed",
  "unit.updated",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The first word of an action: the page's category filter ("account", "class", "ranking", …). */
export function actionCategory(action: string): string {
  return action.slice(0, action.indexOf(".") > 0 ? action.indexOf(".") : undefined);
}

export const AUDIT_CATEGORIES = [...new Set(AUDIT_ACTIONS.map(actionCategory))];

/**
 * Where the changed object can be opened, for the kinds of object that have a page of their own. The
 * page shows the link only to readers who may open that kind of page; the page itself checks again.
 */
export function entityHref(entityType: string, entityId: string | null, after: unknown): string | null {
  if (!entityId || !/^\d+$/.test(entityId)) return null;
  const code =
    after && typeof after === "object" && typeof (after as { code?: unknown }).code === "string" ? (after as { code: string }).code : null;
  switch (entityType) {
    case "user":
      return `/admin/accounts/${entityId}`;
    case "unit":
      return `/units/${entityId}`;
    case "cadre":
      return `/cadres/${entityId}`;
    case "frontline_record":
      return `/frontline/${entityId}`;
    case "class_series":
      return `/classes/admin/series/${entityId}`;
    case "class_session":
      return code ? `/classes/admin/sessions/${encodeURIComponent(code)}` : null;
    case "shortlist_round":
      return `/shortlists/${entityId}`;
    case "ranking_meeting":
      return `/rankings/meetings/${entityId}`;
    case "ranking_commitment":
      return `/rankings/commitments/${entityId}`;
    case "accountability_record":
      return `/accountability/${entityId}`;
    case "rating_case":
      return `/ratings/cases/${entityId}`;
    case "import_batch":
      return `/admin/imports/${entityId}`;
    case "email_outbox":
      return `/admin/outbox/${entityId}`;
    default:
      return null;
  }
}
