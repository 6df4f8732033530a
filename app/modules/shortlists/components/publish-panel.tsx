import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { formatDateTime } from "~/utils/dates";
import type { FieldErrors } from "~/utils/errors";
import type { ShortlistPublicationPreview } from "../publish-preview.server";
import type { NominationWindow } from "../rules";

export interface PublishRound {
  id: number;
  publishedVersion: number;
  quota: number;
  status: "open" | "published";
  deadline: Date | string;
  window: NominationWindow;
}

function ReasonField({ name, label, errors }: { name: string; label: string; errors?: FieldErrors | null }) {
  return (
    <div className="field">
      <label htmlFor={`sl-${name}`}>{label}</label>
      <textarea id={`sl-${name}`} name={name} rows={2} required maxLength={1000} aria-invalid={errors?.[name] ? true : undefined} />
      <ErrorList errors={errors?.[name]} />
    </div>
  );
}

/**
 * Publishing the list, in the department's order of steps: while nominations are open it cannot be
 * published — they close at the deadline, or earlier when the department closes them with a reason;
 * then a confirmation says what publishing does (and who moved unit since being nominated) before the
 * button that does it. After a publication, a new version needs a changed decision and a reason.
 */
export function PublishPanel({
  roundId,
  round,
  changes,
  counts,
  preview,
  errors,
  busy,
}: {
  roundId: number;
  round: PublishRound;
  changes: { cadreId: number; name: string; before: string | null; after: string | null }[];
  counts: { active: number; undecided: number | null };
  preview: ShortlistPublicationPreview | null;
  errors?: FieldErrors | null;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation();
  const published = round.publishedVersion > 0;
  const undecided = counts.undecided ?? 0;
  const label = (d: string | null) => (d ? t(`shortlists.decisions.${d}`) : t("shortlists.publish.none"));
  const title = published ? t("shortlists.publish.newVersion") : t("shortlists.publish.title");

  if (!published && round.window === "open") {
    return (
      <section className="card" aria-labelledby="sl-publish">
        <h2 id="sl-publish">{title}</h2>
        <p className="notice warn">{t("shortlists.publish.nominationsOpen", { at: formatDateTime(round.deadline, i18n.language) })}</p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="closeNominations" />
          <FormErrors errors={errors} />
          <ReasonField name="reason" label={t("shortlists.fields.closeReason")} errors={errors} />
          <p className="field-hint">{t("shortlists.publish.closeHint")}</p>
          <div className="actions">
            <button type="submit" className="secondary" disabled={busy}>
              {t("shortlists.publish.closeEarly")}
            </button>
          </div>
        </Form>
      </section>
    );
  }

  if (preview) {
    return (
      <section className="card sl-confirm" aria-labelledby="sl-publish" data-testid="shortlist-publish-confirmation">
        <h2 id="sl-publish">{t("shortlists.confirm.title", { version: preview.version })}</h2>
        <p>{t("shortlists.confirm.intro")}</p>
        <ul className="sl-confirm-list">
          <li>{t("shortlists.confirm.freeze", { version: preview.version })}</li>
          <li>{t("shortlists.confirm.counts", { ...preview.counts, quota: preview.quota })}</li>
          <li>{t("shortlists.confirm.emails", { admins: preview.adminRecipients, heads: preview.headRecipients })}</li>
          <li>{published ? t("shortlists.confirm.newVersion", { count: preview.changes }) : t("shortlists.confirm.closed")}</li>
        </ul>
        {preview.transfers.length ? (
          <div className="notice warn">
            <p>{t("shortlists.confirm.transfers", { count: preview.transfers.length })}</p>
            <ul>
              {preview.transfers.map((x) => (
                <li key={x.cadreId}>{t("shortlists.confirm.transfer", x)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="publish" />
          <input type="hidden" name="expectedVersion" value={round.publishedVersion} />
          <input type="hidden" name="confirm" value="yes" />
          <FormErrors errors={errors} />
          {published ? <ReasonField name="reason" label={t("shortlists.fields.versionReason")} errors={errors} /> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !preview.mayPublish || preview.counts.undecided > 0}>
              {t("shortlists.confirm.button", { version: preview.version })}
            </button>
            <Link to={`/shortlists/${roundId}?tab=nominations`}>{t("actions.cancel")}</Link>
          </div>
        </Form>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="sl-publish">
      <h2 id="sl-publish">{title}</h2>
      <p className="muted small">{t("shortlists.publish.hint")}</p>
      {published ? (
        changes.length ? (
          <>
            <p>{t("shortlists.publish.changes", { count: changes.length, version: round.publishedVersion })}</p>
            <ul className="sl-changes">
              {changes.map((c) => (
                <li key={c.cadreId}>
                  {c.before === c.after
                    ? t("shortlists.publish.reasonChanged", { name: c.name, decision: label(c.after) })
                    : t("shortlists.publish.change", { name: c.name, before: label(c.before), after: label(c.after) })}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t("shortlists.publish.noChanges", { version: round.publishedVersion })}</p>
        )
      ) : undecided ? (
        <p className="notice warn">{t("shortlists.publish.undecided", { count: undecided })}</p>
      ) : null}
      {!published || changes.length ? (
        <Form method="get" className="stack">
          <input type="hidden" name="tab" value="nominations" />
          <input type="hidden" name="confirm" value="publish" />
          <FormErrors errors={errors} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || (!published && (undecided > 0 || counts.active === 0))}>
              {published ? t("shortlists.publish.newVersion") : t("shortlists.publish.button")}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
