import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RecordsSection } from "~/modules/accountability/components/record-list";
import { recordsAbout } from "~/modules/accountability/views.server";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { unitRankingText } from "~/modules/organization/components/unit-ranking-form";
import { parseIdParam } from "~/modules/organization/schema";
import { getUnit } from "~/modules/organization/units.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.unit.name ?? t("organization.titles.unit"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const unitId = parseIdParam(params.unitId);
  if (unitId === null) throw notFoundResponse();
  try {
    const detail = await getUnit(getDb(), user.scope, unitId);
    return { ...detail, canEdit: hasRole(user, "org_admin"), accountability: await recordsAbout(getDb(), user, { unitId }) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function UnitDetail() {
  const { t } = useTranslation();
  const { unit, breadcrumbs, head, liaisons, children, cadres, subtreeCadres, canEdit, accountability } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/units">{t("organization.units.pageTitle")}</Link>
        {breadcrumbs.map((b) => (
          <span key={b.id}>
            {" / "}
            <Link to={`/units/${b.id}`}>{b.name}</Link>
          </span>
        ))}
        {" / "}
        <span aria-current="page">{unit.name}</span>
      </nav>
      <div className="page-head">
        <h1>{unit.name}</h1>
        <div className="actions">
          <Link className="button secondary" to={`/cadres?unitId=${unit.id}`}>
            {t("organization.units.viewAllCadres")}
          </Link>
          {canEdit ? (
            <Link className="button" to={`/units/${unit.id}/edit`}>
              {t("actions.edit")}
            </Link>
          ) : null}
        </div>
      </div>

      <div className="grid two">
        <section className="card" aria-labelledby="details">
          <h2 id="details">{t("organization.units.details")}</h2>
          <dl>
            <dt className="muted small">{t("organization.units.code")}</dt>
            <dd>{unit.code}</dd>
            <dt className="muted small">{t("organization.units.kind")}</dt>
            <dd>{t(`unitKinds.${unit.kind}`)}</dd>
            <dt className="muted small">{t("organization.units.ranking.ranked")}</dt>
            <dd>{unitRankingText(unit, t)}</dd>
            <dt className="muted small">{t("organization.units.head")}</dt>
            <dd>
              {head ? (
                <>
                  <Link to={`/cadres/${head.id}`}>{head.name}</Link>
                  {head.title ? <span className="muted"> · {head.title}</span> : null}
                </>
              ) : (
                <span className="badge warn">{t("organization.units.headMissing")}</span>
              )}
            </dd>
            <dt className="muted small">{t("organization.units.activeCadres")}</dt>
            <dd>
              {t("organization.units.people", { count: cadres.length })}
              {children.length ? <span className="muted"> · {t("organization.units.subtreeCadres", { count: subtreeCadres })}</span> : null}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="liaisons">
          <h2 id="liaisons">{t("organization.units.liaisons")}</h2>
          {liaisons.length ? (
            <ul>
              {liaisons.map((l) => (
                <li key={l.cadreId}>
                  <Link to={`/cadres/${l.cadreId}`}>{l.name}</Link>{" "}
                  <span className="muted small">
                    {l.staffNo} · {l.unitName}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("organization.units.noLiaisons")}</p>
          )}
        </section>
      </div>

      <section aria-labelledby="children">
        <h2 id="children">{t("organization.units.children")}</h2>
        {children.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("organization.units.name")}</th>
                  <th>{t("organization.units.code")}</th>
                  <th>{t("organization.units.kind")}</th>
                  <th className="num">{t("organization.units.activeCadres")}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/units/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>{c.code}</td>
                    <td>{t(`unitKinds.${c.kind}`)}</td>
                    <td className="num">{c.activeCadres}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("organization.units.noChildren")}</p>
        )}
      </section>

      {accountability.length || canEdit ? (
        <RecordsSection
          rows={accountability}
          title={t("accountability.title")}
          newHref={canEdit ? `/accountability/new?unit=${unit.id}` : null}
        />
      ) : null}

      <section aria-labelledby="cadres">
        <h2 id="cadres">{t("organization.units.cadres")}</h2>
        {cadres.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("organization.cadres.staffNo")}</th>
                  <th>{t("organization.cadres.name")}</th>
                  <th>{t("organization.cadres.rank")}</th>
                  <th>{t("organization.cadres.post")}</th>
                </tr>
              </thead>
              <tbody>
                {cadres.map((c) => (
                  <tr key={c.id}>
                    <td>{c.staffNo}</td>
                    <td>
                      <Link to={`/cadres/${c.id}`}>{c.name}</Link>
                      {head?.id === c.id ? <span className="badge ok"> {t("organization.units.head")}</span> : null}
                    </td>
                    <td>{t(`ranks.${c.rank}`)}</td>
                    <td>{c.title}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("organization.units.noCadres")}</p>
        )}
      </section>
    </>
  );
}
