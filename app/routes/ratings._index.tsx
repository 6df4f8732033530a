import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { formatRate } from "~/modules/attendance/format";
import { requireAccess, requireUnitScope } from "~/modules/auth/guards.server";
import { unitOptions } from "~/modules/organization/units.server";
import { mayOpenRatings } from "~/modules/ratings/access";
import { caseCounts, isOrgDepartment } from "~/modules/ratings/cases.server";
import { ShareChart } from "~/modules/ratings/components/charts";
import { ratingResults } from "~/modules/ratings/results.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.overview"));

const FilterSchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .catch(() => Number(todayInShanghai().slice(0, 4))),
  unit: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Results of public rating for the caller's units (all, for the organization department). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayOpenRatings);
  const filter = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (filter.unit) requireUnitScope(user, filter.unit);
  const db = getDb();
  const [results, cases, units] = await Promise.all([
    ratingResults(db, user.scope, { year: filter.year, unitIds: filter.unit ? [filter.unit] : undefined }),
    caseCounts(db, user, filter.unit),
    unitOptions(db, user.scope),
  ]);
  return { filter, results, cases, units, org: isOrgDepartment(user) };
}

export default function RatingsOverview() {
  const { t } = useTranslation();
  const { filter, results, cases, units, org } = useLoaderData<typeof loader>();
  const total = results.quarters.reduce((acc, q) => ({ counted: acc.counted + q.counted, satisfied: acc.satisfied + q.satisfied }), {
    counted: 0,
    satisfied: 0,
  });
  const unitQuery = filter.unit ? `&unit=${filter.unit}` : "";
  return (
    <>
      <div className="page-head">
        <h1>{t("ratings.overview.title")}</h1>
      </div>
      <p className="muted">{t("ratings.overview.intro")}</p>
      <nav className="rk-tabs" aria-label={t("ratings.overview.title")}>
        <Link to={`/ratings/cases?state=open${unitQuery}`}>{t("ratings.overview.links.cases")}</Link>
        <Link to="/ratings/points">{t("ratings.overview.links.points")}</Link>
        {org ? <Link to="/ratings/bursts">{t("ratings.overview.links.bursts")}</Link> : null}
        <Link to="/ratings/ten-worst">{t("ratings.overview.links.tenWorst")}</Link>
      </nav>
      <Form method="get" className="filters card">
        <div className="field">
          <label htmlFor="rt-year">{t("ratings.overview.year")}</label>
          <input id="rt-year" name="year" type="number" min={2000} max={2100} defaultValue={filter.year} />
        </div>
        <div className="field">
          <label htmlFor="rt-unit">{t("ratings.overview.unit")}</label>
          <select id="rt-unit" name="unit" defaultValue={filter.unit ?? ""}>
            <option value="">{t("ratings.overview.allUnits")}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("ratings.overview.show")}
        </button>
      </Form>
      <div className="stats">
        <div className="stat">
          <div className="stat-label">{t("ratings.overview.share")}</div>
          <div className="stat-value" data-testid="year-share">
            {formatRate(total.counted ? total.satisfied / total.counted : null)}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">{t("ratings.overview.counted")}</div>
          <div className="stat-value">{total.counted}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t("ratings.overview.cases")}</div>
          <div className="stat-value">
            <Link to={`/ratings/cases?state=open${unitQuery}`}>{cases.open}</Link>
          </div>
        </div>
      </div>
      <p className="card">
        {t("ratings.overview.casesLine", cases)}{" "}
        {cases.overdue ? (
          <Link to={`/ratings/cases?state=overdue${unitQuery}`} className="badge danger">
            {t("ratings.cases.states.overdue")} {cases.overdue}
          </Link>
        ) : null}
      </p>
      {results.months.some((m) => m.counted > 0) ? (
        <>
          <section className="card">
            <h2>{t("ratings.overview.byMonth")}</h2>
            <ShareChart periods={results.months} label={t("ratings.overview.byMonth")} />
            <PeriodTable periods={[...results.months, ...results.quarters]} />
          </section>
          <section className="card">
            <h2>{t("ratings.overview.reasons")}</h2>
            <ul className="rt-reasons">
              {results.reasons.map((r) => (
                <li key={r.reason}>
                  <span>{t(`ratings.reasons.${r.reason}`)}</span> <strong>{r.count}</strong>
                </li>
              ))}
            </ul>
            <p className="muted small">{t("ratings.overview.notCounted", results.notCounted)}</p>
          </section>
          <section className="card">
            <h2>{t("ratings.overview.points")}</h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t("ratings.overview.unit")}</th>
                    <th>{t("ratings.overview.point")}</th>
                    <th className="num">{t("ratings.overview.counted")}</th>
                    <th className="num">{t("ratings.overview.satisfied")}</th>
                    <th className="num">{t("ratings.overview.share")}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.points.map((p) => (
                    <tr key={p.pointId}>
                      <td>{p.unitName}</td>
                      <td>
                        {p.name || t("ratings.points.unitPoint")} <span className="muted small">{p.code}</span>
                      </td>
                      <td className="num">{p.counted}</td>
                      <td className="num">{p.satisfied}</td>
                      <td className="num">{formatRate(p.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : (
        <p className="card muted">{t("ratings.overview.noData")}</p>
      )}
    </>
  );
}

function PeriodTable({ periods }: { periods: { period: string; counted: number; satisfied: number; share: number | null }[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="compact" data-testid="share-table">
        <thead>
          <tr>
            <th>{t("ratings.overview.period")}</th>
            <th className="num">{t("ratings.overview.counted")}</th>
            <th className="num">{t("ratings.overview.satisfied")}</th>
            <th className="num">{t("ratings.overview.share")}</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr key={p.period}>
              <td>{p.period}</td>
              <td className="num">{p.counted}</td>
              <td className="num">{p.satisfied}</td>
              <td className="num">{formatRate(p.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
