import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { hashForPrint } from "~/modules/security/hash-label";
import { mayUseShortlists } from "~/modules/shortlists/access";
import { ShortlistTable } from "~/modules/shortlists/components/table-view";
import { getRound } from "~/modules/shortlists/rounds.server";
import { CandidateQuerySchema } from "~/modules/shortlists/schema";
import styles from "~/modules/shortlists/shortlists.css";
import { listTab } from "~/modules/shortlists/views.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.name ?? t("shortlists.titles.list"));
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

/**
 * A published version on A4 (landscape): the same table as the page, with the version, who published
 * it and when, and the hash of the entries (SHA-256, or SM3), so a printed copy can be checked against the system.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const query = CandidateQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  try {
    const round = await getRound(db, user, roundId);
    const list = await listTab(db, user, round, query.version, translator(getLocale(request, user)));
    if (!list) throw notFoundResponse();
    return { id: round.id, name: round.name, quota: round.quota, list };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function ShortlistPrint() {
  const { t, i18n } = useTranslation();
  const { id, name, quota, list } = useLoaderData<typeof loader>();
  return (
    <article className="sl-print">
      <div className="no-print actions sl-print-tools">
        <Link to={`/shortlists/${id}?tab=list&version=${list.version}`}>{t("actions.back")}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("actions.print")}
        </button>
      </div>
      <header>
        <h1>{t("shortlists.print.title", { round: name })}</h1>
        <p className="small">
          {t("shortlists.list.version", { version: list.version })} ·{" "}
          {t("shortlists.list.publishedLine", {
            at: formatDateTime(list.publishedAt, i18n.language),
            by: list.publishedBy ?? t("shortlists.list.system"),
          })}{" "}
          · {t("shortlists.print.quota", { quota })} · {t("shortlists.list.entries", list.counts)}
        </p>
        {list.reason ? <p className="small">{t("shortlists.list.reason", { reason: list.reason })}</p> : null}
        {!list.latest ? (
          <p className="small">{t("shortlists.list.older", { version: list.versions[0]?.version ?? list.version })}</p>
        ) : null}
        <p className="small">
          <span className="sl-hash">{hashForPrint(list.hash)}</span>
        </p>
        {list.mineOnly ? <p className="small">{t("shortlists.round.mineOnly")}</p> : null}
      </header>
      <ShortlistTable table={list.table} />
      <footer className="small muted">{t("shortlists.print.footer")}</footer>
    </article>
  );
}
