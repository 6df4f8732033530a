import { useTranslation } from "react-i18next";
import { formatValue } from "../format";
import { CADRE_INDICATORS, UNIT_INDICATORS } from "../model";

/**
 * When each indicator has no data and is left out (its weight shared out over the others), for
 * cadres and for units, and the weights a band without a frontline quota is scored with.
 */
export function LeftOutRules({ withoutFrontline, rescaled }: { withoutFrontline: string[]; rescaled: Record<string, number | null> }) {
  const { t } = useTranslation();
  const separator = t("rankings.email.separator");
  return (
    <section className="card" aria-labelledby="rk-left-out">
      <h2 id="rk-left-out">{t("rankings.model.leftOut.title")}</h2>
      <p className="muted small">{t("rankings.model.leftOut.intro")}</p>
      <div className="table-wrap">
        <table className="compact">
          <thead>
            <tr>
              <th>{t("rankings.breakdown.indicator")}</th>
              <th>{t("rankings.model.leftOut.cadres")}</th>
              <th>{t("rankings.model.leftOut.units")}</th>
            </tr>
          </thead>
          <tbody>
            {[...new Set([...CADRE_INDICATORS, ...UNIT_INDICATORS])].map((k) => (
              <tr key={k}>
                <th scope="row">{t(`rankings.indicators.${k}`)}</th>
                <td className="small">
                  {(CADRE_INDICATORS as readonly string[]).includes(k) ? t(`rankings.model.leftOut.when.cadres.${k}`) : "—"}
                </td>
                <td className="small">
                  {(UNIT_INDICATORS as readonly string[]).includes(k) ? t(`rankings.model.leftOut.when.units.${k}`) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {withoutFrontline.length ? (
        <p className="small">
          {t("rankings.model.leftOut.bands", {
            bands: withoutFrontline.map((b) => t(`rankings.bands.${b}`)).join(separator),
            weights: CADRE_INDICATORS.filter((k) => rescaled[k] !== null)
              .map((k) => `${t(`rankings.indicators.${k}`)} ${formatValue(rescaled[k])}`)
              .join(separator),
          })}
        </p>
      ) : null}
    </section>
  );
}
