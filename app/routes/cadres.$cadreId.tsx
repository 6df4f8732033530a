import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RecordsSection } from "~/modules/accountability/components/record-list";
import { recordsAbout } from "~/modules/accountability/views.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { CadreFrontlineSection } from "~/modules/frontline/components/cadre-section";
import { cadreFrontlineSection } from "~/modules/frontline/timeline.server";
import { getCadre } from "~/modules/organization/cadres.server";
import { RosterSection, TermHistory } from "~/modules/organization/components/roster";
import { rosterViewer } from "~/modules/organization/roster.server";
import { parseIdParam } from "~/modules/organization/schema";
import { formatDateTime, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.cadre.name ?? t("organization.titles.cadre"));

/** Any signed-in user may ask; the service answers only within their scope (a cadre: their own record). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = parseIdParam(params.cadreId);
  if (cadreId === null) throw notFoundResponse();
  try {
    const record = await getCadre(getDb(), user.scope, cadreId, await rosterViewer(getDb(), user));
    return {
      ...record,
      today: todayInShanghai(),
      // The 任免审批表 holds the personal fields: for those who see them, of someone else (not one's own).
      printable: record.roster !== null && user.cadreId !== cadreId,
      canEdit: hasRole(user, "org_admin"),
      frontline: await cadreFrontlineSection(getDb(), user.scope, cadreId),
      // Accountability records counted against the cadre, as far as the reader may read them.
      accountability: await recordsAbout(getDb(), user, { cadreId }),
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

const DONE_MESSAGES = { saved: "organization.cadres.saved", transferred: "organization.cadres.transferred" } as const;

export default function CadreRecord() {
  const { t, i18n } = useTranslation();
  const { cadre, roster, terms, today, printable, memberships, account, headOf, liaisonOf, canEdit, frontline, accountability } =
    useLoaderData<typeof loader>();
  const done = useSearchParams()[0].get("done");
  const unitLink = (u: { id: number; name: string; visible: boolean }) =>
    u.visible ? <Link to={`/units/${u.id}`}>{u.name}</Link> : <span>{u.name}</span>;
  return (
    <>
      <div className="page-head">
        <h1>
          {cadre.name} <span className="muted small">{cadre.staffNo}</span>
        </h1>
        {canEdit ? (
          <div className="actions">
            <Link className="button" to={`/cadres/${cadre.id}/edit`}>
              {t("organization.cadres.editRecord")}
            </Link>
          </div>
        ) : null}
      </div>
      {done && done in DONE_MESSAGES ? (
        <p className="notice" role="status">
          {t(DONE_MESSAGES[done as keyof typeof DONE_MESSAGES])}
        </p>
      ) : null}

      <div className="grid two">
        <section className="card" aria-labelledby="basics">
          <h2 id="basics">{t("organization.cadres.basics")}</h2>
          <dl>
            <dt className="muted small">{t("organization.cadres.unit")}</dt>
            <dd>{unitLink({ id: cadre.unitId, name: cadre.unitName, visible: cadre.unitVisible })}</dd>
            <dt className="muted small">{t("organization.cadres.rank")}</dt>
            <dd>{t(`ranks.${cadre.rank}`)}</dd>
            <dt className="muted small">{t("organization.cadres.post")}</dt>
            <dd>{cadre.title || t("common.none")}</dd>
            <dt className="muted small">{t("organization.cadres.status")}</dt>
            <dd>
              <span className={`badge ${cadre.status === "active" ? "ok" : "warn"}`}>{t(`cadreStatuses.${cadre.status}`)}</span>
            </dd>
            <dt className="muted small">{t("organization.cadres.email")}</dt>
            <dd>{cadre.email ?? t("common.none")}</dd>
            <dt className="muted small">{t("organization.cadres.phone")}</dt>
            <dd>{cadre.phone ?? t("common.none")}</dd>
            {headOf.length ? (
              <>
                <dt className="muted small">{t("organization.cadres.headOf")}</dt>
                <dd>
                  {headOf.map((u, i) => (
                    <span key={u.id}>
                      {i ? "、" : ""}
                      {unitLink(u)}
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
            {liaisonOf.length ? (
              <>
                <dt className="muted small">{t("organization.cadres.liaisonOf")}</dt>
                <dd>
                  {liaisonOf.map((u, i) => (
                    <span key={u.id}>
                      {i ? "、" : ""}
                      {unitLink(u)}
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <section className="card" aria-labelledby="account">
          <h2 id="account">{t("organization.cadres.account")}</h2>
          <p>
            <span className={`badge ${account.status === "enabled" ? "ok" : account.status === "disabled" ? "warn" : ""}`}>
              {t(`organization.cadres.accountStatus.${account.status}`)}
            </span>
          </p>
          {account.mustChangePassword ? <p className="small">{t("organization.cadres.mustChangePassword")}</p> : null}
          {account.status !== "none" ? (
            <p className="muted small">
              {t("organization.cadres.lastLogin")}:{" "}
              {account.lastLoginAt ? formatDateTime(account.lastLoginAt, i18n.language) : t("organization.cadres.never")}
            </p>
          ) : null}
        </section>
        <RosterSection
          roster={roster}
          rankSince={cadre.rankSince}
          postSince={cadre.postSince}
          today={today}
          printHref={printable ? `/cadres/${cadre.id}/form` : null}
        />
        <CadreFrontlineSection cadreId={cadre.id} data={frontline} />
      </div>

      <TermHistory terms={terms} />
      {accountability.length || canEdit ? (
        <RecordsSection
          rows={accountability}
          title={t("accountability.title")}
          newHref={canEdit ? `/accountability/new?cadre=${cadre.id}` : null}
        />
      ) : null}

      <section aria-labelledby="history">
        <h2 id="history">{t("organization.cadres.history")}</h2>
        <p className="muted small">{t("organization.cadres.historyHint")}</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("organization.cadres.unit")}</th>
                <th>{t("organization.cadres.from")}</th>
                <th>{t("organization.cadres.to")}</th>
              </tr>
            </thead>
            <tbody>
              {memberships.map((m) => (
                <tr key={m.id}>
                  <td>
                    {unitLink({ id: m.unitId, name: m.unitName, visible: m.visible })} <span className="muted small">{m.unitCode}</span>
                  </td>
                  <td>{m.startDate ?? <span className="muted">{t("organization.cadres.beforeRecords")}</span>}</td>
                  <td>{m.endDate ?? t("organization.cadres.current")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
