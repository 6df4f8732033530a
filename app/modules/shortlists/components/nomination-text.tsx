import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/dates";

/** A nomination as its unit wrote it: the recommendation, any override reason, who nominated and when. */
export function NominationText({
  recommendation,
  overrideReason,
  nominatedBy,
  createdAt,
  withdrawnAt = null,
}: {
  recommendation: string;
  overrideReason: string | null;
  nominatedBy: string | null;
  createdAt: string | Date;
  withdrawnAt?: string | Date | null;
}) {
  const { t, i18n } = useTranslation();
  const at = formatDateTime(createdAt, i18n.language);
  return (
    <>
      <p className="sl-quote">
        <strong>{t("shortlists.nominations.recommendation")}</strong>
        {recommendation}
      </p>
      {overrideReason ? (
        <p className="sl-override">
          <strong>{t("shortlists.nominations.overrideReason")}</strong>
          {overrideReason}
        </p>
      ) : null}
      <p className="muted small">
        {nominatedBy ? t("shortlists.candidate.nominatedBy", { name: nominatedBy, at }) : t("shortlists.candidate.nominatedAt", { at })}
        {withdrawnAt ? ` · ${t("shortlists.candidate.withdrawnAt", { at: formatDateTime(withdrawnAt, i18n.language) })}` : ""}
      </p>
    </>
  );
}
