import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, TextareaField } from "~/components/forms";
import { formatDateTime } from "~/utils/dates";
import type { FieldErrors } from "~/utils/errors";
import type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from "../attachment-types";
import type { FrontlineAction } from "../rules";
import { CategoryBadge, DateSpan, StatusBadge } from "./status-badge";

/** The parts of the record page; the route keeps only loading and acting. */

interface RecordView {
  id: number;
  cadreId: number;
  cadreName: string;
  staffNo: string;
  unitName: string;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  days: number;
  qualifying: boolean;
  summary: string;
  outcome: string;
  evidence: string;
  links: string[];
  status: FrontlineStatus;
  source: "app" | "import";
  createdAt: Date | string;
  createdBy: string | null;
  submittedAt: Date | string | null;
  submittedBy: string | null;
  verifiedAt: Date | string | null;
  verifiedBy: string | null;
  returnedAt: Date | string | null;
  returnedBy: string | null;
}

export function RecordDetails({ record }: { record: RecordView }) {
  const { t, i18n } = useTranslation();
  const when = (v: Date | string | null) => formatDateTime(v, i18n.language);
  return (
    <section className="card" aria-labelledby="record-details">
      <h2 id="record-details">{t("frontline.record.details")}</h2>
      <dl className="frontline-dl">
        <dt>{t("frontline.fields.cadre")}</dt>
        <dd>
          {record.cadreName}{" "}
          <span className="muted small">
            {record.staffNo} · {record.unitName}
          </span>
        </dd>
        <dt>{t("frontline.fields.dates")}</dt>
        <dd>
          <DateSpan start={record.startDate} end={record.endDate} days={record.days} />
        </dd>
        <dt>{t("frontline.fields.category")}</dt>
        <dd>
          <CategoryBadge category={record.category} />{" "}
          <span className="muted small">{t(record.qualifying ? "frontline.record.qualifying" : "frontline.record.notQualifying")}</span>
        </dd>
        <dt>{t("frontline.fields.summary")}</dt>
        <dd className="frontline-text">{record.summary}</dd>
        {record.outcome ? (
          <>
            <dt>{t("frontline.fields.outcome")}</dt>
            <dd className="frontline-text">{record.outcome}</dd>
          </>
        ) : null}
        {record.evidence ? (
          <>
            <dt>{t("frontline.fields.evidence")}</dt>
            <dd className="frontline-text">{record.evidence}</dd>
          </>
        ) : null}
        {record.links.length ? (
          <>
            <dt>{t("frontline.fields.links")}</dt>
            <dd>
              <ul className="frontline-plain">
                {record.links.map((l) => (
                  <li key={l}>
                    <a href={l} target="_blank" rel="noopener noreferrer nofollow">
                      {l}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>{t("frontline.record.recorded")}</dt>
        <dd className="small">
          {t(record.source === "import" ? "frontline.record.importedBy" : "frontline.record.createdBy", {
            name: record.createdBy ?? "—",
            at: when(record.createdAt),
          })}
        </dd>
        {record.submittedAt ? (
          <>
            <dt>{t("frontline.record.submitted")}</dt>
            <dd className="small">{t("frontline.record.by", { name: record.submittedBy ?? "—", at: when(record.submittedAt) })}</dd>
          </>
        ) : null}
        {record.status === "verified" && record.verifiedAt ? (
          <>
            <dt>{t("frontline.record.verified")}</dt>
            <dd className="small">{t("frontline.record.by", { name: record.verifiedBy ?? "—", at: when(record.verifiedAt) })}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** The buttons the caller may press now; the server checks each again. */
export function RecordActions({
  record,
  actions,
  errors,
}: {
  record: Pick<RecordView, "id" | "status">;
  actions: FrontlineAction[];
  errors?: FieldErrors;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  if (!actions.length) return null;
  const has = (a: FrontlineAction) => actions.includes(a);
  return (
    <section className="card frontline-actions" aria-labelledby="record-actions">
      <h2 id="record-actions">{t(has("verify") ? "frontline.verify.decide" : "frontline.record.whatNext")}</h2>
      {has("verify") ? (
        <>
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="verify" className="primary" disabled={busy}>
              {t("frontline.actions.verify")}
            </button>
          </Form>
          <Form method="post" className="stack frontline-return-form">
            <input type="hidden" name="intent" value="return" />
            <TextareaField
              label={t("frontline.fields.comment")}
              name="comment"
              rows={3}
              placeholder={t("frontline.hints.comment")}
              errors={errors}
            />
            <div className="actions">
              <button type="submit" className="danger" disabled={busy}>
                {t("frontline.actions.return")}
              </button>
            </div>
          </Form>
        </>
      ) : null}
      <div className="actions">
        {has("edit") || has("correct") ? (
          <Link className="button secondary" to={`/frontline/${record.id}/edit`}>
            {t(has("correct") ? "frontline.actions.correct" : "frontline.actions.edit")}
          </Link>
        ) : null}
        {has("submit") ? (
          <Form method="post">
            <button type="submit" name="intent" value="submit" className="primary" disabled={busy}>
              {t(record.status === "returned" ? "frontline.actions.resubmit" : "frontline.actions.submit")}
            </button>
          </Form>
        ) : null}
        {has("withdraw") ? (
          <Form method="post">
            <button type="submit" name="intent" value="withdraw" className="secondary" disabled={busy}>
              {t("frontline.actions.withdraw")}
            </button>
          </Form>
        ) : null}
      </div>
      {has("delete") ? (
        <details className="frontline-danger">
          <summary>{t("frontline.actions.delete")}</summary>
          <Form method="post" className="actions">
            <span className="small">{t("frontline.record.deleteConfirm")}</span>
            <button type="submit" name="intent" value="delete" className="danger" disabled={busy}>
              {t("frontline.actions.confirmDelete")}
            </button>
          </Form>
        </details>
      ) : null}
      {has("reopen") ? (
        <details className="frontline-danger">
          <summary>{t("frontline.actions.reopen")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="reopen" />
            <TextareaField label={t("frontline.fields.reason")} name="comment" rows={2} errors={errors} />
            <button type="submit" className="danger" disabled={busy}>
              {t("frontline.actions.confirmReopen")}
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

export function RecordOverlaps({
  overlaps,
}: {
  overlaps: {
    id: number;
    category: FrontlineCategory;
    place: string;
    startDate: string;
    endDate: string;
    status: FrontlineStatus;
    days: number;
  }[];
}) {
  const { t } = useTranslation();
  if (!overlaps.length) return null;
  return (
    <div className="notice warn frontline-overlaps" role="note" data-testid="frontline-overlaps">
      <strong>{t("frontline.overlap.title", { count: overlaps.reduce((n, o) => Math.max(n, o.days), 0) })}</strong>
      <ul>
        {overlaps.map((o) => (
          <li key={o.id}>
            <Link to={`/frontline/${o.id}`}>{o.place}</Link> · {t(`frontline.categories.${o.category}`)} · {o.startDate} – {o.endDate}{" "}
            <StatusBadge status={o.status} /> <span className="small">{t("frontline.overlap.shared", { count: o.days })}</span>
          </li>
        ))}
      </ul>
      <p className="small">{t("frontline.overlap.explain")}</p>
    </div>
  );
}

/** The cadre's other recent records, for whoever weighs this one. */
export function OtherRecords({
  others,
  overlapIds,
}: {
  others: { id: number; category: FrontlineCategory; place: string; startDate: string; endDate: string; status: FrontlineStatus }[];
  overlapIds: number[];
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="other-records">
      <h2 id="other-records">{t("frontline.record.others")}</h2>
      {others.length ? (
        <div className="table-wrap">
          <table className="compact">
            <tbody>
              {others.map((o) => (
                <tr key={o.id} className={overlapIds.includes(o.id) ? "frontline-overlap-row" : undefined}>
                  <td className="frontline-nowrap small">
                    {o.startDate}
                    <br />– {o.endDate}
                  </td>
                  <td>
                    <Link to={`/frontline/${o.id}`}>{o.place}</Link>{" "}
                    <span className="muted small">{t(`frontline.categories.${o.category}`)}</span>
                  </td>
                  <td>
                    <StatusBadge status={o.status} />
                    {overlapIds.includes(o.id) ? <span className="badge warn">{t("frontline.overlap.short")}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("frontline.record.noOthers")}</p>
      )}
    </section>
  );
}

export function RecordAttachments({
  recordId,
  attachments,
  canChange,
  errors,
}: {
  recordId: number;
  attachments: { id: number; fileName: string; contentType: string; byteSize: number }[];
  canChange: boolean;
  errors?: FieldErrors;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  if (!attachments.length && !canChange) return null;
  return (
    <section className="card" aria-labelledby="attachments">
      <h2 id="attachments">{t("frontline.attachments.title")}</h2>
      {attachments.length ? (
        <ul className="frontline-plain">
          {attachments.map((a) => (
            <li key={a.id} className="actions">
              <a href={`/frontline/${recordId}/attachments/${a.id}`} target="_blank" rel="noopener noreferrer">
                {a.fileName}
              </a>
              <span className="muted small">{Math.max(1, Math.round(a.byteSize / 1024))} KB</span>
              {canChange ? (
                <Form method="post">
                  <input type="hidden" name="attachmentId" value={a.id} />
                  <button type="submit" name="intent" value="detach" className="link-button" disabled={busy}>
                    {t("frontline.attachments.remove")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t("frontline.attachments.none")}</p>
      )}
      {canChange ? (
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="attach" />
          <div className="field">
            <label htmlFor="frontline-file">{t("frontline.attachments.add")}</label>
            <input id="frontline-file" name="file" type="file" accept={Object.keys(ATTACHMENT_TYPES).join(",")} />
            <p className="field-hint">{t("frontline.attachments.hint", { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}</p>
            <ErrorList errors={errors?.file} />
          </div>
          <button type="submit" className="secondary" disabled={busy}>
            {t("frontline.attachments.upload")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export function RecordHistory({
  history,
}: {
  history: { id: number; at: Date | string; action: string; reason: string | null; actorName: string | null; actorLabel: string | null }[];
}) {
  const { t, i18n } = useTranslation();
  if (!history.length) return null;
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t("frontline.record.history")}</h2>
      <ol className="frontline-history small">
        {history.map((h) => (
          <li key={h.id}>
            <span className="muted">{formatDateTime(h.at, i18n.language)}</span> {h.actorName ?? h.actorLabel ?? "—"}{" "}
            {t(`frontline.history.${h.action.replace(/^frontline\./, "")}`, { defaultValue: h.action })}
            {h.reason ? <span className="frontline-quote"> — {h.reason}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
