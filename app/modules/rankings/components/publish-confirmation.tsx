import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import type { PublicationPreview } from "../publish-preview.server";
import { quarterLabel } from "../quarter";

/**
 * The second step of publishing a ranking: what publishing does, in plain words, then the button that
 * does it. A correction also states the version it supersedes and how many rows move, and asks again
 * for the reason (prefilled with the one given when it was computed).
 */
export function PublishConfirmation({
  preview,
  errors,
  busy,
  cancelHref,
}: {
  preview: PublicationPreview;
  errors?: FieldErrors | null;
  busy: boolean;
  cancelHref: string;
}) {
  const { t, i18n } = useTranslation();
  const c = preview.correction;
  const sep = t("rankings.email.separator");
  return (
    <section className="card rk-confirm" aria-labelledby="rk-confirm" data-testid="publish-confirmation">
      <h2 id="rk-confirm">
        {t("rankings.confirm.title", { quarter: quarterLabel(preview.quarter, i18n.language), version: preview.version })}
      </h2>
      <p>{t("rankings.confirm.intro")}</p>
      <ul className="rk-confirm-list">
        <li>{t("rankings.confirm.freeze")}</li>
        <li>
          {t(preview.sharing.unitTables === "heads" ? "rankings.confirm.unitsToHeads" : "rankings.confirm.unitsToAdmins")}
          {t(preview.sharing.cadreTables === "heads" ? "rankings.confirm.cadresToHeads" : "rankings.confirm.cadresToAdmins")}
        </li>
        <li>{t("rankings.confirm.summary", { count: preview.summaryRecipients })}</li>
        <li>
          {preview.previousQuarterPublished
            ? preview.wouldFlag.length
              ? t("rankings.confirm.flags", { count: preview.wouldFlag.length, units: preview.wouldFlag.join(sep) })
              : t("rankings.confirm.noFlags")
            : t("rankings.confirm.noPreviousQuarter")}
        </li>
        <li>{t("rankings.confirm.shortlists")}</li>
        {c ? (
          <li className="rk-confirm-correction">
            {t("rankings.confirm.supersedes", {
              version: c.published.version,
              units: c.counts.units.moved,
              cadres: c.counts.cadres.moved,
            })}
          </li>
        ) : null}
      </ul>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="publish" />
        <input type="hidden" name="rankingId" value={preview.rankingId} />
        <input type="hidden" name="confirm" value="yes" />
        {c ? (
          <Field
            label={t("rankings.fields.correctionReason")}
            name="reason"
            required
            defaultValue={preview.correctionReason ?? ""}
            errors={errors}
            hint={t("rankings.confirm.reasonHint")}
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t(c ? "rankings.confirm.publishCorrection" : "rankings.confirm.publish", { version: preview.version })}
          </button>
          <Link to={cancelHref}>{t("actions.cancel")}</Link>
        </div>
      </Form>
    </section>
  );
}
