import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/dates";
import type { listTab } from "../views.server";
import { ShortlistTable } from "./table-view";

type Data = NonNullable<Awaited<ReturnType<typeof listTab>>>;

/** A published version of the list, frozen: which version, when, by whom, its hash, and the entries. */
export function ListTab({ roundId, data, latestVersion }: { roundId: number; data: Data | null; latestVersion: number }) {
  const { t, i18n } = useTranslation();
  if (!data) return <p className="card muted">{t("shortlists.list.notPublished")}</p>;
  const q = `version=${data.version}`;
  return (
    <section aria-labelledby="sl-list">
      <div className="card">
        <div className="sl-version-line">
          <h2 id="sl-list" style={{ margin: 0 }}>
            {t("shortlists.list.version", { version: data.version })}
          </h2>
          <span className="muted small">
            {t("shortlists.list.publishedLine", {
              at: formatDateTime(data.publishedAt, i18n.language),
              by: data.publishedBy ?? t("shortlists.list.system"),
            })}
          </span>
        </div>
        {data.reason ? <p className="notice">{t("shortlists.list.reason", { reason: data.reason })}</p> : null}
        {!data.latest ? <p className="notice warn">{t("shortlists.list.older", { version: latestVersion })}</p> : null}
        <p className="small">
          {t("shortlists.list.hash")} <span className="sl-hash">{data.hash}</span>
        </p>
        <p className="small">{t("shortlists.list.entries", data.counts)}</p>
        {data.versions.length > 1 ? (
          <p className="small">
            {t("shortlists.list.versions")}{" "}
            {data.versions.map((v) => (
              <Link
                key={v.version}
                to={`/shortlists/${roundId}?tab=list&version=${v.version}`}
                className={`badge ${v.version === data.version ? "ok" : ""}`}
                style={{ marginRight: "0.4rem" }}
              >
                {t("shortlists.list.version", { version: v.version })}
              </Link>
            ))}
          </p>
        ) : null}
      </div>
      <div className="sl-toolbar">
        <span />
        <div className="actions">
          <a className="button secondary" href={`/shortlists/${roundId}/export?kind=list&format=csv&${q}`} download>
            {t("shortlists.table.exportCsv")}
          </a>
          <a className="button secondary" href={`/shortlists/${roundId}/export?kind=list&format=xlsx&${q}`} download>
            {t("shortlists.table.exportXlsx")}
          </a>
          <Link className="button secondary" to={`/shortlists/${roundId}/print?${q}`}>
            {t("shortlists.list.print")}
          </Link>
        </div>
      </div>
      {data.table.rows.length ? (
        <ShortlistTable table={data.table} caption={t("shortlists.list.version", { version: data.version })} />
      ) : (
        <p className="card muted">{t("shortlists.list.empty")}</p>
      )}
    </section>
  );
}
