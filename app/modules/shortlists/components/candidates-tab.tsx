import { Form, Link, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "~/components/forms";
import { Pager } from "~/components/pager";
import type { candidatesTab } from "../views.server";
import { ShortlistTable } from "./table-view";

type Data = Awaited<ReturnType<typeof candidatesTab>>;

/**
 * Every cadre the reader may see with a pass/fail per rule: filters, the table (the export writes the
 * same rows), and per row the way to the cadre's evidence and nomination.
 */
export function CandidatesTab({ roundId, data, open }: { roundId: number; data: Data; open: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const exportHref = (format: "csv" | "xlsx") => {
    const next = new URLSearchParams(params);
    next.delete("page");
    next.delete("tab");
    next.set("kind", "evidence");
    next.set("format", format);
    return `/shortlists/${roundId}/export?${next}`;
  };
  const { counts } = data.state;
  return (
    <section aria-labelledby="sl-candidates">
      <h2 id="sl-candidates" className="visually-hidden">
        {t("shortlists.round.tabs.candidates")}
      </h2>
      <Form method="get" className="sl-filters">
        <input type="hidden" name="tab" value="candidates" />
        <SelectField
          id="sl-unit"
          name="unit"
          label={t("shortlists.candidates.filterUnit")}
          defaultValue={params.get("unit") ?? ""}
          options={[
            { value: "", label: t("shortlists.candidates.allUnits") },
            ...data.units.map((u) => ({ value: String(u.id), label: u.label })),
          ]}
        />
        <Field
          id="sl-q"
          name="q"
          type="search"
          label={t("actions.search")}
          defaultValue={params.get("q") ?? ""}
          placeholder={t("shortlists.candidates.search")}
        />
        <div className="checks">
          <label className="check">
            <input type="checkbox" name="eligible" value="1" defaultChecked={params.get("eligible") === "1"} />{" "}
            {t("shortlists.candidates.eligibleOnly")}
          </label>
          <label className="check">
            <input type="checkbox" name="nominated" value="1" defaultChecked={params.get("nominated") === "1"} />{" "}
            {t("shortlists.candidates.nominatedOnly")}
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="secondary">
            {t("actions.filter")}
          </button>
        </div>
      </Form>
      <div className="sl-toolbar">
        <span className="muted small">{t("shortlists.candidates.counts", counts)}</span>
        <div className="actions">
          <a className="button secondary" href={exportHref("csv")} download>
            {t("shortlists.table.exportCsv")}
          </a>
          <a className="button secondary" href={exportHref("xlsx")} download>
            {t("shortlists.table.exportXlsx")}
          </a>
        </div>
      </div>
      {data.table.rows.length ? (
        <ShortlistTable
          table={data.table}
          caption={t("shortlists.round.tabs.candidates")}
          actions={{
            label: "",
            cell: (i) => {
              const row = data.rows[i]!;
              const nominate = row.mayNominate && open && !row.nominated;
              return (
                <Link className={nominate ? "button secondary" : undefined} to={`/shortlists/${roundId}/cadres/${row.cadreId}`}>
                  {nominate ? t("shortlists.candidates.nominate") : t("shortlists.candidates.open")}
                </Link>
              );
            },
          }}
        />
      ) : (
        <p className="card muted">{t("shortlists.candidates.empty")}</p>
      )}
      {data.state.pages > 1 ? (
        <Pager
          page={data.state.page}
          hasNext={data.state.page < data.state.pages}
          summary={t("shortlists.candidates.pageOf", { page: data.state.page, pages: data.state.pages })}
        />
      ) : null}
    </section>
  );
}
