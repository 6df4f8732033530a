import { useTranslation } from "react-i18next";

/** Ten recovery codes, shown once: to print, or to copy into a password manager. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="notice warn">{t("auth.secondFactor.recoveryOnce")}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p className="muted small">{t("auth.secondFactor.recoveryHint")}</p>
      <p className="actions no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("actions.print")}
        </button>
      </p>
    </>
  );
}
