import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { decideMakeup } from "~/modules/attendance/closing/makeups.server";
import { ExportLinks, PeriodFilter, RateValue, ReportTableView, TrendChart } from "~/modules/attendance/components";
import { formatRate } from "~/modules/attendance/format";
import { resolvePeriod } from "~/modules/attendance/period";
import { missedTable, unitCadresTable } from "~/modules/attendance/reports/tables";
import { unitReport } from "~/modules/attendance/reports/unit-report.server";
import { MakeupDecisionSchema, PeriodQuerySchema, parseId } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { shanghaiDateOf, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("attendance.titles.unit", { name: data.unit.name }) : t("nav.attendance")));

function unitIdOf(params: { unitId?: string }) {
  const id = parseId(params.unitId);
  if (!id) throw notFoundResponse();
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const unitId = unitIdOf(params);
  const db = getDb();
  const period = resolvePeriod(PeriodQuerySchema.parse(formValues(new URL(request.url).searchParams)), todayInShanghai());
  const rules = await getAttendanceRules(db);
  try {
    const report = await unitReport(db, user, unitId, { period: period.query, rules });
    return {
      ...report,
      period: { from: period.from, to: period.to },
      threshold: rules.lowAttendance.threshold,
      lowSessions: rules.lowAttendance.sessions,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Confirming or rejecting make-up study of the unit's cadres. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  unitIdOf(params);
  const form = parseForm(MakeupDecisionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await decideMakeup(getDb(), user, form.data);
    return { ok: true as const };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function UnitAttendance() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const query = `from=${data.period.from}&to=${data.period.to}`;
  const exportHref = (table: string) => (format: "csv" | "xlsx") =>
    `/attendance/units/${data.unit.id}/export?table=${table}&format=${format}&${query}`;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance">{t("attendance.title")}</Link> / {data.unit.name}
      </nav>
      <h1>{t("attendance.unit.title", { unit: data.unit.name })}</h1>
      <PeriodFilter from={data.period.from} to={data.period.to} />
      <div className="stats">
        <div className="stat" data-testid="unit-rate">
          <div className="stat-value">
            <RateValue rate={data.total.rate} threshold={data.threshold} />
          </div>
          <div className="stat-label">{t("attendance.home.rate")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.enrolled}</div>
          <div className="stat-label">{t("attendance.table.enrolled")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.late}</div>
          <div className="stat-label">{t("attendance.table.late")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.absent}</div>
          <div className="stat-label">{t("attendance.table.absent")}</div>
        </div>
      </div>

      <section className="card">
        <h2>{t("attendance.unit.flaggedTitle")}</h2>
        <p className="small muted">
          {t("attendance.unit.flaggedHint", { sessions: data.lowSessions, threshold: formatRate(data.threshold) })}
        </p>
        {data.flagged.length ? (
          <ul className="attendance-flagged">
            {data.flagged.map((f) => (
              <li key={f.cadreId}>
                <Link to={`/attendance/cadres/${f.cadreId}`}>{f.name}</Link> <span className="badge danger">{formatRate(f.rate)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("attendance.unit.noFlagged")}</p>
        )}
      </section>

      <section className="card">
        <h2>{t("attendance.unit.trend")}</h2>
        <TrendChart
          caption={t("attendance.unit.trend")}
          threshold={data.threshold}
          points={data.trend.map((s) => ({ label: shanghaiDateOf(s.startsAt).slice(5), title: s.title, rate: s.rate }))}
        />
      </section>

      <div className="page-head">
        <h2>{t("attendance.unit.cadres")}</h2>
        <ExportLinks href={exportHref("cadres")} />
      </div>
      <ReportTableView table={unitCadresTable(data.unit.code, data.cadres, t, data.threshold)} testId="unit-cadres" />

      <div className="page-head">
        <h2>{t("attendance.unit.missedTitle")}</h2>
        <ExportLinks href={exportHref("missed")} />
      </div>
      {data.missed.length ? (
        <ReportTableView table={missedTable(data.unit.code, data.missed, t)} testId="unit-missed" />
      ) : (
        <p className="muted">{t("attendance.unit.noMissed")}</p>
      )}

      <section className="card">
        <h2>{t("attendance.unit.makeups")}</h2>
        {result?.ok ? <p className="notice">{t("attendance.unit.decided")}</p> : null}
        <FormErrors errors={result && !result.ok ? result.errors : undefined} />
        {data.makeups.length ? (
          <ul className="attendance-makeups">
            {data.makeups.map((m) => (
              <li key={m.id}>
                <strong>{m.name}</strong> · {m.code} {m.title}
                {m.note ? <p className="small">{m.note}</p> : null}
                <Form method="post" className="actions">
                  <input type="hidden" name="makeupId" value={m.id} />
                  <button type="submit" name="decision" value="confirmed" className="primary">
                    {t("attendance.unit.confirm")}
                  </button>
                  <button type="submit" name="decision" value="rejected" className="secondary">
                    {t("attendance.unit.reject")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("attendance.unit.noMakeups")}</p>
        )}
      </section>
    </>
  );
}
