import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors, TextareaField } from "~/components/forms";
import { MAX_ATTACHMENT_BYTES } from "~/modules/frontline/attachment-types";
import { formatDateTime } from "~/utils/dates";
import type { FieldErrors } from "~/utils/errors";
import type { RecordDetail } from "../views.server";
import { RecordBadges } from "./record-list";

/** What the record is: whom it concerns, what was held, found and asked, and its effect period. */
export function RecordFacts({ record }: { record: RecordDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card" aria-labelledby="ac-facts">
      <div className="page-head">
        <h2 id="ac-facts">{t("accountability.detail.facts")}</h2>
        <RecordBadges row={record} />
      </div>
      <dl className="facts">
        <dt>{t("accountability.fields.subject")}</dt>
        <dd>
          {record.subject === "unit" ? (
            <>
              {t("accountability.subjects.unit")} · <Link to={`/units/${record.unitId}`}>{record.unitName}</Link>
              {record.cadreName ? (
                <div className="muted small">{t("accountability.detail.principal", { name: record.cadreName })}</div>
              ) : null}
            </>
          ) : (
            <>
              {t("accountability.subjects.cadre")} · <Link to={`/cadres/${record.cadreId}`}>{record.cadreName}</Link>{" "}
              <span className="muted small">
                {record.cadreStaffNo} · {record.unitName}
              </span>
            </>
          )}
        </dd>
        <dt>{t("accountability.fields.kind")}</dt>
        <dd>{t(`accountability.kinds.${record.kind}`)}</dd>
        <dt>{t("accountability.fields.source")}</dt>
        <dd>
          {t(`accountability.sources.${record.source}`)}
          {record.flagId ? (
            <>
              {" · "}
              <Link to="/rankings/flags?status=all">{t("accountability.detail.flag", { id: record.flagId })}</Link>
            </>
          ) : null}
          {record.sourceRef ? ` · ${record.sourceRef}` : ""}
        </dd>
        <dt>{t("accountability.fields.heldOn")}</dt>
        <dd>{record.heldOn}</dd>
        <dt>{t("accountability.fields.interviewers")}</dt>
        <dd>{record.interviewers}</dd>
        <dt>{t("accountability.fields.findings")}</dt>
        <dd className="leave-reason">{record.findings}</dd>
        <dt>{t("accountability.fields.rectification")}</dt>
        <dd className="leave-reason">
          {record.rectification ?? t("accountability.detail.noRectification")}
          {record.rectificationDue ? (
            <div className={record.overdue ? "rk-danger small" : "muted small"}>
              {t("accountability.detail.dueLine", { date: record.rectificationDue })}
            </div>
          ) : null}
        </dd>
        <dt>{t("accountability.fields.effect")}</dt>
        <dd>
          {record.effectUntil
            ? t("accountability.detail.effect", { months: record.effectMonths, from: record.heldOn, until: record.effectUntil })
            : t("accountability.detail.noEffect")}
        </dd>
        <dt>{t("accountability.detail.openedBy")}</dt>
        <dd>
          {t("accountability.detail.byAt", {
            by: record.createdByName ?? t("accountability.detail.unrecorded"),
            at: formatDateTime(record.createdAt, i18n.language),
          })}
        </dd>
      </dl>
    </section>
  );
}

/**
 * The rectification report: what was reported (with its files), and the form to report or revise it
 * for whoever may (the unit, the cadre, or the department on their behalf).
 */
export function ReportSection({ record, errors, busy }: { record: RecordDetail; errors?: FieldErrors | null; busy: boolean }) {
  const { t, i18n } = useTranslation();
  if (!record.rectification) return null;
  const maxMb = MAX_ATTACHMENT_BYTES / 1024 / 1024;
  return (
    <section className="card" aria-labelledby="ac-report">
      <h2 id="ac-report">{t("accountability.detail.report")}</h2>
      {record.reportSubmittedAt ? (
        <>
          <p className="leave-reason">{record.reportText}</p>
          <p className="muted small">
            {t("accountability.detail.byAt", {
              by: record.reportSubmittedByName ?? t("accountability.detail.unrecorded"),
              at: formatDateTime(record.reportSubmittedAt, i18n.language),
            })}
          </p>
        </>
      ) : (
        <p className={record.overdue ? "notice warn" : "muted"}>
          {record.overdue
            ? t("accountability.detail.reportOverdue", { date: record.rectificationDue })
            : t("accountability.detail.noReport")}
        </p>
      )}
      {record.attachments.length ? (
        <ul className="ac-files">
          {record.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/accountability/${record.id}/attachments/${a.id}`}>{a.fileName}</a>{" "}
              <span className="muted small">{Math.max(1, Math.round(a.byteSize / 1024))} KB</span>
              {record.may.report ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="detach" />
                  <input type="hidden" name="attachmentId" value={a.id} />
                  <button type="submit" className="link-button" disabled={busy}>
                    {t("accountability.actions.detach")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {record.may.report ? (
        <>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="report" />
            <TextareaField
              label={t("accountability.fields.reportText")}
              name="reportText"
              rows={5}
              defaultValue={record.reportText ?? ""}
              errors={errors}
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {record.reportSubmittedAt ? t("accountability.actions.reviseReport") : t("accountability.actions.submitReport")}
              </button>
            </div>
          </Form>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <input type="hidden" name="intent" value="attach" />
            <div className="field">
              <label htmlFor="ac-file">{t("accountability.fields.file")}</label>
              <input id="ac-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png,image/webp" />
              <p className="field-hint">{t("accountability.detail.fileHint", { mb: maxMb })}</p>
              <ErrorList errors={errors?.file} />
            </div>
            <div className="actions">
              <button type="submit" className="secondary" disabled={busy}>
                {t("accountability.actions.attach")}
              </button>
            </div>
          </Form>
        </>
      ) : null}
    </section>
  );
}

/** The department's follow-up and closing, and what they said. */
export function FollowUpSection({ record, errors, busy }: { record: RecordDetail; errors?: FieldErrors | null; busy: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card" aria-labelledby="ac-follow">
      <h2 id="ac-follow">{t("accountability.detail.followUp")}</h2>
      {record.followedUpAt ? (
        <>
          <p className="leave-reason">{record.followUp}</p>
          <p className="muted small">
            {t("accountability.detail.byAt", {
              by: record.followedUpByName ?? t("accountability.detail.unrecorded"),
              at: formatDateTime(record.followedUpAt, i18n.language),
            })}
          </p>
        </>
      ) : (
        <p className="muted">{t("accountability.detail.noFollowUp")}</p>
      )}
      {record.status === "closed" ? (
        <p className="notice">
          {t("accountability.detail.closed", {
            by: record.closedByName ?? t("accountability.detail.unrecorded"),
            at: formatDateTime(record.closedAt, i18n.language),
            note: record.closingNote ?? "",
          })}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      {record.may.followUp ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="followUp" />
          <TextareaField
            label={t("accountability.fields.followUp")}
            name="followUp"
            rows={3}
            defaultValue={record.followUp ?? ""}
            errors={errors}
          />
          <div className="actions">
            <button type="submit" className="secondary" disabled={busy}>
              {t("accountability.actions.followUp")}
            </button>
          </div>
        </Form>
      ) : null}
      {record.may.close ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="close" />
          <TextareaField label={t("accountability.fields.closingNote")} name="closingNote" rows={2} errors={errors} />
          {record.effectUntil ? (
            <p className="field-hint">{t("accountability.detail.closeKeepsEffect", { until: record.effectUntil })}</p>
          ) : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("accountability.actions.close")}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
