import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Table } from "../tables";

export interface TableState {
  kind: "units" | "cadres";
  group: string;
  groups: { group: string; ranked: number; total: number }[];
  sort: string;
  dir: "asc" | "desc";
  q: string;
  page: number;
  pages: number;
  total: number;
}

/**
 * A ranking table as the organization department works with it: peer-group tabs, a search, column
 * headers that sort (the server sorts, so the export gets the same order), CSV/XLSX of exactly these
 * rows, and pages for the long cadre tables. Works without JavaScript.
 */
export function RankingTableView({
  table,
  state,
  href,
  groupLabel,
  hidden,
}: {
  table: Table;
  state: TableState;
  /** A link to this page with some query parameters changed. */
  href: (change: Record<string, string | number | null>, path?: string) => string;
  groupLabel: (group: string) => string;
  hidden: Record<string, string>;
}) {
  const { t } = useTranslation();
  const sortHref = (key: string) =>
    href({
      sort: key,
      dir:
        state.sort === key ? (state.dir === "asc" ? "desc" : "asc") : key === "rank" || key === "code" || key === "name" ? "asc" : "desc",
      page: null,
    });
  return (
    <section className="rk-table" aria-label={groupLabel(state.group)}>
      <nav className="rk-tabs no-print" aria-label={t("rankings.table.groups")}>
        {state.groups.map((g) => (
          <Link
            key={g.group}
            to={href({ group: g.group, page: null, q: null })}
            className={g.group === state.group ? "active" : undefined}
            aria-current={g.group === state.group ? "page" : undefined}
          >
            {groupLabel(g.group)} <span className="muted small">{g.ranked}</span>
          </Link>
        ))}
      </nav>
      <div className="rk-toolbar no-print">
        <Form method="get" className="rk-search">
          {Object.entries({ ...hidden, group: state.group, sort: state.sort, dir: state.dir }).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <label className="visually-hidden" htmlFor="rk-q">
            {t("rankings.table.search")}
          </label>
          <input
            id="rk-q"
            name="q"
            type="search"
            defaultValue={state.q}
            placeholder={t(state.kind === "units" ? "rankings.table.searchUnits" : "rankings.table.searchCadres")}
          />
          <button type="submit" className="secondary">
            {t("actions.search")}
          </button>
          {state.q ? <Link to={href({ q: null, page: null })}>{t("actions.reset")}</Link> : null}
        </Form>
        <div className="actions">
          <span className="muted small">{t("common.total", { count: state.total })}</span>
          <a className="button secondary" href={href({ format: "csv", page: null }, "export")} download>
            {t("rankings.table.exportCsv")}
          </a>
          <a className="button secondary" href={href({ format: "xlsx", page: null }, "export")} download>
            {t("rankings.table.exportXlsx")}
          </a>
          <Link className="button secondary" to={href({ page: null }, "print")}>
            {t("actions.print")}
          </Link>
        </div>
      </div>
      {table.rows.length ? (
        <div className="table-wrap">
          <table className="rk-data">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th
                    key={c.key}
                    className={c.numeric ? "num" : undefined}
                    aria-sort={state.sort === c.key ? (state.dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {c.sortable ? (
                      <Link to={sortHref(c.key)} className="rk-sort">
                        {c.label}
                        {state.sort === c.key ? (state.dir === "asc" ? " ↑" : " ↓") : ""}
                      </Link>
                    ) : (
                      c.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r} className={row[0]?.value === "—" ? "rk-unranked" : undefined}>
                  {row.map((cell, i) => (
                    <td
                      key={i}
                      className={[table.columns[i]?.numeric ? "num" : "", cell.tone ? `rk-${cell.tone}` : ""].join(" ").trim() || undefined}
                    >
                      {cell.href ? <Link to={cell.href}>{cell.value}</Link> : cell.value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card muted">{t("common.noResults")}</p>
      )}
      {state.pages > 1 ? (
        <div className="pager no-print">
          {state.page > 1 ? <Link to={href({ page: state.page - 1 })}>{t("actions.previous")}</Link> : <span />}
          <span className="muted small">{t("rankings.table.pageOf", { page: state.page, pages: state.pages })}</span>
          {state.page < state.pages ? <Link to={href({ page: state.page + 1 })}>{t("actions.next")}</Link> : <span />}
        </div>
      ) : null}
    </section>
  );
}
