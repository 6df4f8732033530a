import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { homeOverview } from "~/modules/organization/overview.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("nav.home"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const overview = await homeOverview(getDb(), user);
  return {
    user: { displayName: user.displayName, roles: user.roles, cadreId: user.cadreId },
    isOrgAdmin: hasRole(user, "org_admin"),
    isAccountAdmin: hasRole(user, "org_admin", "system_admin"),
    ...overview,
  };
}

export default function Home() {
  const { t } = useTranslation();
  const { user, city, ledUnits, me, isOrgAdmin, isAccountAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("home.greeting", { name: user.displayName })}</h1>
        <div className="actions">
          {user.roles.map((r) => (
            <span key={r} className="badge">
              {t(`roles.${r}`)}
            </span>
          ))}
        </div>
      </div>

      {city ? (
        <section aria-labelledby="city">
          <h2 id="city">{t("home.orgOverview")}</h2>
          <div className="stats">
            <Stat label={t("home.unitsCount")} value={city.units} to="/units" />
            <Stat label={t("home.cadresCount")} value={city.cadres} to="/cadres" />
            <Stat label={t("home.leadingCount")} value={city.leading} to="/cadres?minRank=deputy_section" />
            <Stat label={t("home.accountsDisabled")} value={city.unopened} to="/admin/accounts?status=disabled" />
          </div>
        </section>
      ) : null}

      {ledUnits.length ? (
        <section aria-labelledby="led">
          <h2 id="led">{t("home.myUnits")}</h2>
          <div className="grid two">
            {ledUnits.map((u) => (
              <Link key={u.id} to={`/units/${u.id}`} className="card" style={{ textDecoration: "none", color: "inherit" }}>
                <strong>{u.name}</strong> <span className="badge">{t(u.head ? "roles.unit_head" : "roles.unit_liaison")}</span>
                <div className="muted small">
                  {u.code} · {t("home.subUnits", { count: u.subUnits })} · {t("home.cadresInScope", { count: u.cadres })}
                </div>
              </Link>
            ))}
          </div>
        </section>
      ) : null}

      {me ? (
        <section className="card" aria-labelledby="me">
          <h2 id="me">{t("home.myRecord")}</h2>
          <p>
            {me.name} · {me.staffNo} · {t(`ranks.${me.rank}`)}
            {me.title ? ` · ${me.title}` : ""}
          </p>
          <p className="muted">
            {t("home.yourUnit")}: {me.unitName}
          </p>
          <Link to={`/cadres/${me.id}`}>{t("home.myRecord")} →</Link>
        </section>
      ) : null}

      <section className="card" aria-labelledby="links">
        <h2 id="links">{t("home.quickLinks")}</h2>
        <div className="actions">
          {ledUnits.length || isOrgAdmin ? (
            <>
              <Link className="button secondary" to="/units">
                {t("home.browseUnits")}
              </Link>
              <Link className="button secondary" to="/cadres">
                {t("home.searchCadres")}
              </Link>
            </>
          ) : null}
          {isOrgAdmin ? (
            <>
              <Link className="button secondary" to="/admin/imports">
                {t("home.importData")}
              </Link>
              <Link className="button secondary" to="/admin/audit">
                {t("home.viewAudit")}
              </Link>
            </>
          ) : null}
          {isAccountAdmin ? (
            <Link className="button secondary" to="/admin/accounts">
              {t("home.manageAccounts")}
            </Link>
          ) : null}
          <Link className="button secondary" to="/account/password">
            {t("home.changePassword")}
          </Link>
        </div>
      </section>
    </>
  );
}

function Stat({ label, value, to }: { label: string; value: number; to: string }) {
  return (
    <Link to={to} className="stat" style={{ textDecoration: "none", color: "inherit" }}>
      <div className="stat-value">{value.toLocaleString()}</div>
      <div className="stat-label">{label}</div>
    </Link>
  );
}
