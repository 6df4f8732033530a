import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { formatDateTime } from "~/utils/dates";
import type { FieldErrors } from "~/utils/errors";
import { SHORTLIST_DECISIONS } from "~db/schema/shortlists";
import type { ShortlistPublicationPreview } from "../publish-preview.server";
import type { nominationsTab } from "../views.server";
import { RuleBadges } from "./evidence";
import { NominationText } from "./nomination-text";
import { PublishPanel, type PublishRound } from "./publish-panel";

type Data = Awaited<ReturnType<typeof nominationsTab>>;
type Row = Data["rows"][number];

/** The department's decision on one nomination: the three outcomes and the reason, next to the case. */
export function DecisionForm({
  row,
  errors,
  busy,
}: {
  row: Pick<Row, "id" | "decision" | "decisionReason">;
  errors?: FieldErrors | null;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    // noValidate: the server's message shows beside the field, in the page's language, rather than the
    // browser's bubble in the browser's.
    <Form method="post" className="sl-decide" aria-label={t("shortlists.fields.decision")} noValidate>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="nominationId" value={row.id} />
      <fieldset>
        <legend>{t("shortlists.fields.decision")}</legend>
        {SHORTLIST_DECISIONS.map((d) => (
          <label key={d} className="check">
            <input type="radio" name="decision" value={d} defaultChecked={row.decision === d} required /> {t(`shortlists.decisions.${d}`)}
          </label>
        ))}
      </fieldset>
      <ErrorList errors={errors?.decision} />
      <label htmlFor={`reason-${row.id}`} className="field-label">
        {t("shortlists.fields.decisionReason")}
      </label>
      <textarea
        id={`reason-${row.id}`}
        name="reason"
        rows={2}
        defaultValue={row.decisionReason ?? ""}
        required
        maxLength={1000}
        aria-invalid={errors?.reason ? true : undefined}
      />
      <ErrorList errors={errors?.reason} />
      <FormErrors errors={errors} />
      <div className="actions">
        <button type="submit" className={row.decision ? "secondary" : "primary"} disabled={busy}>
          {row.decision ? t("shortlists.nominations.change") : t("shortlists.nominations.decide")}
        </button>
      </div>
    </Form>
  );
}

/** Takes a nomination back (its unit's head or liaison), until the list is published. */
export function WithdrawForm({ nominationId, errors, busy }: { nominationId: number; errors?: FieldErrors | null; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="intent" value="withdraw" />
      <input type="hidden" name="nominationId" value={nominationId} />
      <button type="submit" className="danger" disabled={busy}>
        {t("shortlists.candidate.withdraw")}
      </button>
      <FormErrors errors={errors} />
    </Form>
  );
}

/**
 * The nominations of the round: for the department every one with its recommendation, any override
 * (highlighted), eligibility now and the decision form; for a head or liaison their units' ones, with
 * the way to withdraw while undecided.
 */
export function NominationsTab({
  roundId,
  round,
  data,
  admin,
  result,
  busy,
  preview,
}: {
  roundId: number;
  round: PublishRound;
  data: Data;
  admin: boolean;
  result?: { ok: boolean; errors?: FieldErrors; nominationId?: number; intent?: string } | null;
  busy: boolean;
  preview: ShortlistPublicationPreview | null;
}) {
  const { t, i18n } = useTranslation();
  const errorsFor = (id: number) => (result && !result.ok && result.nominationId === id ? result.errors : undefined);
  const publishErrors =
    result && !result.ok && (result.intent === "publish" || result.intent === "closeNominations") ? result.errors : undefined;
  const shortlisted = data.counts.shortlisted ?? 0;
  return (
    <>
      {admin ? (
        <section className="card sl-quota" aria-label={t("shortlists.fields.quota")}>
          <strong>{t("shortlists.nominations.quota", { shortlisted, quota: round.quota })}</strong>
          <div className={`sl-meter ${shortlisted >= round.quota ? "full" : ""}`} aria-hidden>
            <span style={{ width: `${Math.min(100, (shortlisted / round.quota) * 100)}%` }} />
          </div>
          <span className="muted small">
            {t("shortlists.nominations.undecided", { count: data.counts.undecided ?? 0 })} ·{" "}
            {t("shortlists.nominations.overrides", { count: data.counts.overrides })}
          </span>
        </section>
      ) : null}
      {data.rows.length ? (
        <ul className="sl-nominations">
          {data.rows.map((row) => {
            const withdrawn = row.withdrawnAt !== null;
            const errors = errorsFor(row.id);
            return (
              <li key={row.id} className={`card sl-nomination ${withdrawn ? "withdrawn" : ""}`} id={`nomination-${row.id}`}>
                <div className="sl-nomination-head">
                  <h3>
                    <Link to={`/shortlists/${roundId}/cadres/${row.cadreId}`}>{row.name}</Link>
                  </h3>
                  <span className="muted small">
                    {row.staffNo} · {row.unitName} · {t(`ranks.${row.rank}`)}
                    {row.title ? ` · ${row.title}` : ""}
                  </span>
                </div>
                <div className="sl-badges">
                  {withdrawn ? <span className="badge">{t("shortlists.nominations.withdrawn")}</span> : null}
                  {!row.eligibleAtNomination ? <span className="badge warn">{t("shortlists.nominations.override")}</span> : null}
                  {row.currentUnitId !== row.unitId ? (
                    <span className="badge warn">{t("shortlists.nominations.transferred", { unit: row.currentUnitName })}</span>
                  ) : null}
                  {row.evaluation ? (
                    <span className={`badge ${row.evaluation.eligible ? "ok" : "danger"}`}>
                      {row.evaluation.eligible ? t("shortlists.nominations.nowEligible") : t("shortlists.nominations.nowIneligible")}
                    </span>
                  ) : null}
                  {admin && row.decision ? (
                    <span className={`badge ${row.decision === "shortlisted" ? "ok" : row.decision === "rejected" ? "danger" : "warn"}`}>
                      {t(`shortlists.decisions.${row.decision}`)}
                    </span>
                  ) : null}
                  {!admin && row.published ? (
                    <span className={`badge ${row.published === "shortlisted" ? "ok" : row.published === "rejected" ? "danger" : "warn"}`}>
                      {t("shortlists.candidate.outcomeShort", {
                        version: round.publishedVersion,
                        decision: t(`shortlists.decisions.${row.published}`),
                      })}
                    </span>
                  ) : !admin && !withdrawn ? (
                    <span className="badge">{t("shortlists.nominations.pendingHead")}</span>
                  ) : null}
                </div>
                <NominationText
                  recommendation={row.recommendation}
                  overrideReason={row.overrideReason}
                  nominatedBy={row.nominatedBy}
                  createdAt={row.createdAt}
                  withdrawnAt={withdrawn ? row.withdrawnAt : null}
                />
                {row.evaluation?.results.length ? <RuleBadges evaluation={row.evaluation} /> : null}
                {admin && row.decision ? (
                  <p className="small">
                    {t("shortlists.nominations.decided", {
                      decision: t(`shortlists.decisions.${row.decision}`),
                      by: row.decidedBy ?? "—",
                      at: formatDateTime(row.decidedAt, i18n.language),
                      reason: row.decisionReason,
                    })}
                  </p>
                ) : null}
                {admin && !withdrawn ? <DecisionForm row={row} errors={errors} busy={busy} /> : null}
                {!admin && !withdrawn && round.status === "open" ? (
                  <WithdrawForm nominationId={row.id} errors={errors} busy={busy} />
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="card muted">{admin ? t("shortlists.nominations.empty") : t("shortlists.nominations.emptyMine")}</p>
      )}
      {admin ? (
        <PublishPanel
          roundId={roundId}
          round={round}
          changes={data.changes}
          counts={data.counts}
          preview={preview}
          errors={publishErrors}
          busy={busy}
        />
      ) : null}
    </>
  );
}
