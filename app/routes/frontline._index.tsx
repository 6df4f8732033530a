import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAccess } from "~/modules/auth/guards.server";
import { mayOpenFrontline } from "~/modules/frontline/access";
import { CadreFrontlineView } from "~/modules/frontline/components/cadre-view";
import { frontlineHome } from "~/modules/frontline/home.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.index"));

/** A cadre's own records; heads, liaisons and the organization department also find their queues and reports here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayOpenFrontline);
  const db = getDb();
  return frontlineHome(db, user, { today: todayInShanghai(), rules: await getFrontlineRules(db) });
}

const DONE = { deleted: "frontline.done.deleted" } as const;

export default function FrontlineHome() {
  const { t } = useTranslation();
  const { own, manager } = useLoaderData<typeof loader>();
  const done = useSearchParams()[0].get("done");
  return (
    <>
      <div className="page-head">
        <h1>{t("frontline.title")}</h1>
        {own ? (
          <div className="actions">
            <Link className="button" to="/frontline/new">
              {t("frontline.actions.new")}
            </Link>
          </div>
        ) : null}
      </div>
      {done && done in DONE ? (
        <p className="notice" role="status">
          {t(DONE[done as keyof typeof DONE])}
        </p>
      ) : null}

      {manager ? (
        <section className="card frontline-manager" aria-labelledby="manage">
          <h2 id="manage">{t("frontline.home.manage")}</h2>
          <ul className="frontline-links">
            <li>
              <Link to="/frontline/verify">{t("frontline.home.verifyQueue")}</Link>{" "}
              <span className={`badge ${manager.pending ? "warn" : ""}`} data-testid="frontline-pending">
                {t("frontline.home.pending", { count: manager.pending })}
              </span>
            </li>
            {manager.units.map((u) => (
              <li key={u.id}>
                <Link to={`/frontline/units/${u.id}`}>{t("frontline.home.unitReport", { unit: u.name })}</Link>{" "}
                {u.shortLastMonth ? (
                  <span className="badge danger">
                    {t("frontline.home.shortLastMonth", { count: u.shortLastMonth, month: u.lastMonth })}
                  </span>
                ) : null}
              </li>
            ))}
            {manager.isOrgAdmin ? (
              <>
                <li>
                  <Link to="/frontline/overview">{t("frontline.overview.title")}</Link>
                </li>
                <li>
                  <Link to="/frontline/settings">{t("frontline.settings.title")}</Link>
                </li>
                <li>
                  <Link to="/admin/imports">{t("frontline.home.importLedger")}</Link>
                </li>
              </>
            ) : null}
            <li>
              <Link to="/frontline/new">{t("frontline.home.recordForOthers")}</Link>
            </li>
          </ul>
        </section>
      ) : null}

      {own ? <CadreFrontlineView data={own} /> : null}
    </>
  );
}
