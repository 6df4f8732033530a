import { useTranslation } from "react-i18next";
import type { IndicatorLine } from "../breakdown.server";
import { formatNumber, formatScore, formatValue } from "../format";

/**
 * The explanation of a score: per indicator the raw numerator and denominator, the value, the model's
 * weight, the weight used after leaving out the indicators without data, and the points it adds.
 */
export function BreakdownTable({
  lines,
  score,
  kind,
  params,
}: {
  lines: IndicatorLine[];
  score: number | null;
  kind: "units" | "cadres";
  params: Record<string, string | number>;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="rk-breakdown compact">
        <thead>
          <tr>
            <th>{t("rankings.breakdown.indicator")}</th>
            <th>{t("rankings.breakdown.rule")}</th>
            <th className="num">{t("rankings.breakdown.inputs")}</th>
            <th className="num">{t("rankings.breakdown.value")}</th>
            <th className="num">{t("rankings.breakdown.modelWeight")}</th>
            <th className="num">{t("rankings.breakdown.weightUsed")}</th>
            <th className="num">{t("rankings.breakdown.contribution")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.indicator} className={l.value === null ? "rk-unranked" : undefined}>
              <th scope="row">{t(`rankings.indicators.${l.indicator}`)}</th>
              <td className="small">{t(`rankings.rules.${kind}.${l.indicator}`, params)}</td>
              <td className="num">
                {l.den === null || (l.den === 0 && l.value === null)
                  ? t("rankings.breakdown.noData")
                  : `${formatNumber(l.num, 4)} / ${formatNumber(l.den, 4)}`}
              </td>
              <td className="num">{l.value === null ? t("rankings.breakdown.notApplicable") : formatValue(l.value)}</td>
              <td className="num">{formatNumber(l.modelWeight, 4)}</td>
              <td className="num">{l.weight === null ? "—" : formatValue(l.weight)}</td>
              <td className="num">{l.contribution === null ? "—" : formatScore(l.contribution)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={6}>
              {t("rankings.breakdown.score")}
            </th>
            <td className="num">
              <strong>{formatScore(score)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The place of a subject, with the tie when it shares the rank: "12 / 名次（共 40 个）· 与其他 2 个并列". */
export function RankStat({ rank, tieSize, groupSize }: { rank: number | null; tieSize: number | null; groupSize: number }) {
  const { t } = useTranslation();
  return (
    <div className="stat">
      <div className="stat-value">
        {rank ?? "—"}
        {tieSize && tieSize > 1 ? <span className="badge warn rk-tie">{t("rankings.table.tie")}</span> : null}
      </div>
      <div className="stat-label">
        {rank ? t("rankings.breakdown.rankOf", { count: groupSize }) : t("rankings.table.notRanked")}
        {tieSize && tieSize > 1 ? ` · ${t("rankings.breakdown.tied", { others: tieSize - 1 })}` : ""}
      </div>
    </div>
  );
}

/** Which indicators this row was scored without (no data), said in words under the breakdown. */
export function LeftOutNote({ lines }: { lines: IndicatorLine[] }) {
  const { t } = useTranslation();
  const left = lines.filter((l) => l.value === null && l.modelWeight > 0);
  if (!left.length) return null;
  return (
    <li>
      {t("rankings.breakdown.leftOut", {
        indicators: left.map((l) => t(`rankings.indicators.${l.indicator}`)).join(t("rankings.email.separator")),
      })}
    </li>
  );
}
