import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAccess } from "~/modules/auth/guards.server";
import { isShortlistAdmin, mayUseShortlists } from "~/modules/shortlists/access";
import { listRounds } from "~/modules/shortlists/rounds.server";
import styles from "~/modules/shortlists/shortlists.css";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("shortlists.titles.index"));
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayUseShortlists);
  try {
    return { admin: isShortlistAdmin(user), rounds: await listRounds(getDb(), user) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function ShortlistRounds() {
  const { t, i18n } = useTranslation();
  const { admin, rounds } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("shortlists.index.title")}</h1>
        {admin ? (
          <div className="actions">
            <Link className="button" to="/shortlists/new">
              {t("shortlists.index.new")}
            </Link>
          </div>
        ) : null}
      </div>
      <p className="muted">{t("shortlists.index.intro")}</p>
      {rounds.length ? (
        <ul className="sl-rounds">
          {rounds.map((r) => (
            <li key={r.id} className="card">
              <div className="sl-round-head">
                <h2>
                  <Link to={`/shortlists/${r.id}`}>{r.name}</Link>
                </h2>
                <span className="actions">
                  <span className={`badge ${r.status === "published" ? "ok" : "warn"}`}>{t(`shortlists.statuses.${r.status}`)}</span>
                  {r.publishedVersion > 0 ? (
                    <span className="badge">{t("shortlists.index.version", { version: r.publishedVersion })}</span>
                  ) : null}
                </span>
              </div>
              <ul className="sl-meta">
                <li>
                  {r.window !== "open"
                    ? t("shortlists.round.deadlinePassed", { at: formatDateTime(r.deadline, i18n.language) })
                    : t("shortlists.index.deadline", { at: formatDateTime(r.deadline, i18n.language) })}
                </li>
                <li>{t("shortlists.index.quota", { quota: r.quota })}</li>
                <li>{t(admin ? "shortlists.index.nominated" : "shortlists.index.nominatedMine", { count: r.nominated })}</li>
                {admin ? <li>{t("shortlists.index.shortlisted", { count: r.shortlisted })}</li> : null}
                {admin && r.undecided ? <li className="rate-warn">{t("shortlists.index.undecided", { count: r.undecided })}</li> : null}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <div className="card">
          <p>{t("shortlists.index.empty")}</p>
          <p className="muted small">{t("shortlists.index.emptyHint")}</p>
        </div>
      )}
    </>
  );
}
