import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatScore } from "../format";
import { quarterLabel } from "../quarter";

/** A subject's rank in every published quarter, each linking to that quarter's breakdown. */
export function HistoryTable({
  history,
  kind,
  id,
}: {
  history: { quarter: string; rank: number | null; groupSize: number; score: number | null; group: string }[];
  kind: "units" | "cadres";
  id: number;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="compact">
        <thead>
          <tr>
            <th>{t("rankings.fields.quarter")}</th>
            <th>{t("rankings.table.group")}</th>
            <th className="num">{t("rankings.table.rank")}</th>
            <th className="num">{t("rankings.table.score")}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.quarter}>
              <td>
                <Link to={`/rankings/${h.quarter}/${kind}/${id}`}>{quarterLabel(h.quarter, i18n.language)}</Link>
              </td>
              <td>{t(kind === "units" ? `unitKinds.${h.group}` : `rankings.bands.${h.group}`)}</td>
              <td className="num">{h.rank ? `${h.rank} / ${h.groupSize}` : t("rankings.table.notRanked")}</td>
              <td className="num">{formatScore(h.score)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
