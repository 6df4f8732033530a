import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole, requireUnitScope } from "~/modules/auth/guards.server";
import { listCases } from "~/modules/ratings/cases.server";
import { CaseFilterSchema } from "~/modules/ratings/schema";
import { formatDate, formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.cases"));

const STATES = ["open", "overdue", "submitted", "closed", "void", "all"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const filter = CaseFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (filter.unit) requireUnitScope(user, filter.unit);
  return { filter, ...(await listCases(getDb(), user, filter)) };
}

export default function RatingCases() {
  const { t, i18n } = useTranslation();
  const { filter, rows, hasMore } = useLoaderData<typeof loader>();
  const query = (changes: Record<string, string | number>) => {
    const params = new URLSearchParams({ state: filter.state, ...(filter.unit ? { unit: String(filter.unit) } : {}) });
    for (const [k, v] of Object.entries(changes)) params.set(k, String(v));
    return `/ratings/cases?${params}`;
  };
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/ratings">{t("ratings.overview.title")}</Link> / {t("ratings.cases.title")}
      </nav>
      <h1>{t("ratings.cases.title")}</h1>
      <p className="muted">{t("ratings.cases.intro")}</p>
      <nav className="rk-tabs" aria-label={t("ratings.cases.state")}>
        {STATES.map((s) => (
          <Link key={s} to={query({ state: s, page: 1 })} className={s === filter.state ? "active" : undefined}>
            {t(`ratings.cases.states.${s}`)}
          </Link>
        ))}
      </nav>
      {rows.length ? (
        <ul className="class-list" data-testid="case-list">
          {rows.map((c) => (
            <li key={c.id} className="card">
              <div className="page-head">
                <h2>
                  <Link to={`/ratings/cases/${c.id}`}>#{c.id}</Link> {c.unitName}
                  {c.pointName ? <span className="muted small"> · {c.pointName}</span> : null}
                </h2>
                <span className={`badge ${c.overdue ? "danger" : c.state === "open" ? "warn" : c.state === "closed" ? "ok" : ""}`}>
                  {c.overdue ? t("ratings.cases.overdueBadge") : t(`ratings.cases.states.${c.state}`)}
                </span>
              </div>
              <p className="small">
                {t("ratings.cases.reasons")}：{c.reasons.map((r) => t(`ratings.reasons.${r}`)).join("、")}
                {c.comment ? ` · ${c.comment.length > 60 ? `${c.comment.slice(0, 60)}…` : c.comment}` : ""}
              </p>
              <p className="muted small">
                {t("ratings.cases.openedAt")} {formatDateTime(c.openedAt, i18n.language)} · {t("ratings.cases.due")}{" "}
                {formatDate(c.dueOn, i18n.language)} · {t("ratings.cases.phone")} {c.phone ?? t("ratings.cases.noPhone")}
                {c.finding ? ` · ${t(`ratings.cases.findings.${c.finding}`)}` : ""}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card muted">{t("ratings.cases.empty")}</p>
      )}
      <nav className="actions">
        {filter.page > 1 ? <Link to={query({ page: filter.page - 1 })}>{t("ratings.cases.previous")}</Link> : null}
        {hasMore ? <Link to={query({ page: filter.page + 1 })}>{t("ratings.cases.more")}</Link> : null}
      </nav>
    </>
  );
}
