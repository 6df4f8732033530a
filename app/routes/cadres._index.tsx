import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/pager";
import { requireAccess } from "~/modules/auth/guards.server";
import { mayBrowseOrganization } from "~/modules/organization/access";
import { cadreSearchPage } from "~/modules/organization/cadres.server";
import { codeLabel, RosterFilterFields } from "~/modules/organization/components/roster";
import { yearsSince } from "~/modules/organization/roster";
import { rosterViewer } from "~/modules/organization/roster.server";
import { CADRE_STATUS_FILTERS, CadreSearchSchema } from "~/modules/organization/schema";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { RANKS } from "~db/schema/enums";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("organization.titles.cadres"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayBrowseOrganization);
  const url = new URL(request.url);
  const filter = CadreSearchSchema.parse(formValues(url.searchParams));
  const roster = await rosterViewer(getDb(), user);
  return {
    filter,
    today: todayInShanghai(),
    exportQuery: url.search,
    ...(await cadreSearchPage(getDb(), user.scope, filter, roster)),
  };
}

const STATUS_BADGE = { active: "ok", transferred: "warn", retired: "" } as const;

export default function CadreSearch() {
  const { t } = useTranslation();
  const { filter, rows, total, page, pageCount, units, rosterFilters, today, exportQuery } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("organization.cadres.pageTitle")}</h1>
        <span className="muted small">{t("organization.cadres.results", { count: total })}</span>
        {rosterFilters ? (
          <div className="actions no-print">
            <a className="button" href={`/cadres/export${exportQuery ? `${exportQuery}&` : "?"}format=xlsx`} download>
              {t("roster.exportRoster")}
            </a>
          </div>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">{t("organization.cadres.q")}</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filter.q ?? ""}
            placeholder={t("organization.cadres.qPlaceholder")}
            autoCapitalize="none"
          />
        </div>
        <div className="field">
          <label htmlFor="unitId">{t("organization.cadres.unit")}</label>
          <select id="unitId" name="unitId" defaultValue={filter.unitId ?? ""}>
            <option value="">{t("organization.cadres.anyUnit")}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="minRank">{t("organization.cadres.minRank")}</label>
          <select id="minRank" name="minRank" defaultValue={filter.minRank ?? ""}>
            <option value="">{t("organization.cadres.anyRank")}</option>
            {RANKS.map((r) => (
              <option key={r} value={r}>
                {t(`ranks.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="rank">{t("organization.cadres.rank")}</label>
          <select id="rank" name="rank" defaultValue={filter.rank ?? ""}>
            <option value="">{t("organization.cadres.anyRank")}</option>
            {RANKS.map((r) => (
              <option key={r} value={r}>
                {t(`ranks.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">{t("organization.cadres.status")}</label>
          <select id="status" name="status" defaultValue={filter.status}>
            {CADRE_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === "any" ? t("organization.cadres.anyStatus") : t(`cadreStatuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <RosterFilterFields filter={filter} personal={rosterFilters} />
        <div className="actions">
          <button type="submit" className="primary">
            {t("actions.search")}
          </button>
          <Link to="/cadres">{t("actions.reset")}</Link>
        </div>
      </Form>

      {rows.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("organization.cadres.staffNo")}</th>
                <th>{t("organization.cadres.name")}</th>
                <th>{t("organization.cadres.unit")}</th>
                <th>{t("organization.cadres.rank")}</th>
                <th>{t("organization.cadres.post")}</th>
                {rosterFilters ? (
                  <>
                    <th>{t("roster.fields.gender")}</th>
                    <th className="num">{t("roster.fields.age")}</th>
                    <th>{t("roster.fields.education")}</th>
                    <th>{t("roster.fields.politicalStatus")}</th>
                  </>
                ) : null}
                <th>{t("roster.fields.rankSince")}</th>
                <th>{t("organization.cadres.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{c.staffNo}</td>
                  <td>
                    <Link to={`/cadres/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.unitName}</td>
                  <td>{t(`ranks.${c.rank}`)}</td>
                  <td>{c.title}</td>
                  {rosterFilters ? (
                    <>
                      <td>{c.gender ? t(`roster.genders.${c.gender}`) : ""}</td>
                      <td className="num">{c.birthDate ? yearsSince(c.birthDate, today) : ""}</td>
                      <td>{c.education ? codeLabel(t, "educations", c.education) : ""}</td>
                      <td>{c.politicalStatus ? codeLabel(t, "politicalStatuses", c.politicalStatus) : ""}</td>
                    </>
                  ) : null}
                  <td>{c.rankSince ?? ""}</td>
                  <td>
                    <span className={`badge ${STATUS_BADGE[c.status]}`}>{t(`cadreStatuses.${c.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card muted">{t("common.noResults")}</p>
      )}

      {pageCount > 1 ? (
        <Pager page={page} hasNext={page < pageCount} summary={t("organization.cadres.pageOf", { page, pages: pageCount })} />
      ) : null}
    </>
  );
}
