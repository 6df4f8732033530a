import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { CadreFrontlineView } from "~/modules/frontline/components/cadre-view";
import { parseIdParam } from "~/modules/frontline/schema";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { cadreFrontline } from "~/modules/frontline/timeline.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("frontline.titles.cadre", { name: data?.cadre.name ?? t("organization.titles.cadre") }));

/** One cadre's frontline page as a head, liaison or the organization department sees it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = parseIdParam(params.cadreId);
  if (cadreId === null) throw notFoundResponse();
  if (cadreId === user.cadreId) throw redirect("/frontline");
  const db = getDb();
  try {
    return await cadreFrontline(db, user, cadreId, { today: todayInShanghai(), rules: await getFrontlineRules(db) });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function CadreFrontline() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / <Link to={`/cadres/${data.cadre.id}`}>{data.cadre.name}</Link>
      </nav>
      <div className="page-head">
        <h1>
          {t("frontline.cadre.title", { name: data.cadre.name })} <span className="muted small">{data.cadre.staffNo}</span>
        </h1>
        {data.canRecord ? (
          <div className="actions">
            <Link className="button secondary" to={`/frontline/new?staffNo=${encodeURIComponent(data.cadre.staffNo)}`}>
              {t("frontline.cadre.recordFor")}
            </Link>
          </div>
        ) : null}
      </div>
      <p className="muted small">
        {data.cadre.unitName} · {t(`ranks.${data.cadre.rank}`)}
      </p>
      <CadreFrontlineView data={data} />
    </>
  );
}
