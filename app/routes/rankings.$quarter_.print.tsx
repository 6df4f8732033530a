import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { maySeeTables, mayUseRankings } from "~/modules/rankings/access";
import { readableRows } from "~/modules/rankings/export.server";
import { modelWeights, peerGroupsOf } from "~/modules/rankings/model";
import { getSharing } from "~/modules/rankings/model.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { TableQuerySchema } from "~/modules/rankings/schema";
import { rankingTable } from "~/modules/rankings/tables";
import { rankingFor } from "~/modules/rankings/views.server";
import { hashForPrint } from "~/modules/security/hash-label";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.title ?? t("rankings.titles.quarter"));

/**
 * The ranking on A4: every peer group of the units (or the chosen band of the cadres), with the model,
 * the version and the hash, so a printed copy can be checked against the system.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const query = TableQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const sharing = await getSharing(db);
  if (!maySeeTables(user, sharing, query.tab)) throw forbiddenResponse();
  try {
    const ranking = await rankingFor(db, user, params.quarter ?? "", query.version);
    const locale = getLocale(request, user);
    const t = translator(locale);
    const groups = query.tab === "units" ? peerGroupsOf("units") : [query.group ?? "leading"];
    const sections = [];
    for (const group of groups) {
      const { view, rows } = await readableRows(db, user, sharing, ranking, query.tab, { group, sort: "rank", dir: "asc", page: 0 });
      if (view.group !== group || !rows.length) continue;
      sections.push({ group, table: rankingTable(query.tab, ranking.quarter, rows, t, () => "") });
    }
    return {
      title: `${quarterLabel(ranking.quarter, locale)}${t(`rankings.kinds.${query.tab}`)}`,
      quarter: ranking.quarter,
      tab: query.tab,
      version: ranking.version,
      status: ranking.status,
      publishedAt: ranking.publishedAt,
      inputsHash: ranking.inputsHash,
      weights: modelWeights(ranking.model.spec, query.tab),
      model: `${ranking.model.year} v${ranking.model.version}`,
      sections,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function RankingPrint() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <article className="rk-print">
      <div className="no-print actions rk-print-tools">
        <Link to={`/rankings/${data.quarter}?tab=${data.tab}`}>{t("actions.back")}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("actions.print")}
        </button>
      </div>
      <header>
        <h1>{data.title}</h1>
        <p className="small">
          {t(`rankings.statuses.${data.status}`)} · v{data.version} · {t("rankings.print.model", { model: data.model })} ·{" "}
          {data.weights.map(([k, w]) => `${t(`rankings.indicators.${k}`)} ${w}`).join(" / ")}
        </p>
        <p className="small">
          {data.publishedAt
            ? t("rankings.quarter.publishedAt", { at: formatDateTime(data.publishedAt, i18n.language) })
            : t("rankings.print.draft")}
          {data.inputsHash ? ` · ${hashForPrint(data.inputsHash)}` : ""}
        </p>
      </header>
      {data.sections.map((s) => (
        <section key={s.group} className="rk-print-group">
          <h2>{t(data.tab === "units" ? `unitKinds.${s.group}` : `rankings.bands.${s.group}`)}</h2>
          <table className="rk-data compact">
            <thead>
              <tr>
                {s.table.columns.map((c) => (
                  <th key={c.key} className={c.numeric ? "num" : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {s.table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td
                      key={i}
                      className={
                        [s.table.columns[i]?.numeric ? "num" : "", cell.tone ? `rk-${cell.tone}` : ""].join(" ").trim() || undefined
                      }
                    >
                      {cell.value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <footer className="small muted">{t("rankings.print.footer")}</footer>
    </article>
  );
}
