import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormErrors, TextareaField } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { AudienceFields } from "~/modules/classes/components";
import { sessionWhen } from "~/modules/classes/format";
import { MONTH_WEEKS, SeriesFormSchema } from "~/modules/classes/schema";
import { createSeries, previewSeries, seriesFormOptions } from "~/modules/classes/series.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.newSeries"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  return seriesFormOptions(getDb(), user);
}

/** "preview" lists the dates and codes and writes nothing; "create" makes the series and its drafts. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(SeriesFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    if (form.data.intent === "preview") {
      return { ok: true as const, preview: await previewSeries(getDb(), form.data) };
    }
    const created = await createSeries(getDb(), { userId: user.id }, form.data);
    return redirect(`/classes/admin/series/${created.seriesId}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export default function NewSeries() {
  const { t, i18n } = useTranslation();
  const { venues, units, defaults, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  const preview = result?.ok ? result.preview : null;
  const [kind, setKind] = useState<"monthly" | "weekly">("monthly");
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes/admin">{t("classes.admin.title")}</Link> / <span aria-current="page">{t("classes.series.new")}</span>
      </nav>
      <h1>{t("classes.series.new")}</h1>
      <p className="muted">{t("classes.series.intro")}</p>
      <Form method="post" noValidate className="series-form">
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <FormErrors errors={errors} />
        <div className="grid two">
          <section className="card stack">
            <Field
              label={t("classes.series.name")}
              name="title"
              defaultValue={t("classes.series.defaultTitle", { year: defaults.year })}
              errors={errors}
            />
            <TextareaField label={t("classes.series.description")} name="description" rows={2} errors={errors} />
            <fieldset className="stack-tight">
              <legend>{t("classes.series.recurrence")}</legend>
              <label className="check">
                <input
                  type="radio"
                  name="recurrenceKind"
                  value="monthly"
                  checked={kind === "monthly"}
                  onChange={() => setKind("monthly")}
                />{" "}
                {t("classes.series.monthly")}
              </label>
              <label className="check">
                <input type="radio" name="recurrenceKind" value="weekly" checked={kind === "weekly"} onChange={() => setKind("weekly")} />{" "}
                {t("classes.series.weekly")}
              </label>
              <div className="recurrence-detail" hidden={kind !== "monthly"}>
                <span className="field-label">{t("classes.series.monthlyWeeks")}</span>
                <div className="checks">
                  {MONTH_WEEKS.map((n) => (
                    <label key={n} className="check">
                      <input type="checkbox" name="monthlyWeeks" value={n} defaultChecked={defaults.monthlyWeeks.includes(n)} />{" "}
                      {t(`classes.series.nth.${n === -1 ? "last" : n}`)}
                    </label>
                  ))}
                </div>
                <ErrorList errors={errors?.monthlyWeeks} />
                <div className="field">
                  <label htmlFor="monthlyWeekday">{t("classes.series.weekday")}</label>
                  <select id="monthlyWeekday" name="monthlyWeekday" defaultValue={defaults.monthlyWeekday}>
                    {WEEKDAYS.map((d) => (
                      <option key={d} value={d}>
                        {t(`classes.weekdays.${d}`)}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div className="recurrence-detail" hidden={kind !== "weekly"}>
                <Field
                  label={t("classes.series.intervalWeeks")}
                  name="intervalWeeks"
                  type="number"
                  min={1}
                  max={8}
                  defaultValue={2}
                  errors={errors}
                />
                <span className="field-label">{t("classes.series.weekdays")}</span>
                <div className="checks">
                  {WEEKDAYS.map((d) => (
                    <label key={d} className="check">
                      <input type="checkbox" name="weekdays" value={d} defaultChecked={d === 3} /> {t(`classes.weekdays.${d}`)}
                    </label>
                  ))}
                </div>
                <ErrorList errors={errors?.weekdays} />
              </div>
            </fieldset>
            <div className="grid two">
              <Field label={t("classes.series.startDate")} name="startDate" type="date" defaultValue={defaults.startDate} errors={errors} />
              <Field label={t("classes.series.endDate")} name="endDate" type="date" defaultValue={defaults.endDate} errors={errors} />
              <Field label={t("classes.series.startTime")} name="startTime" type="time" defaultValue={defaults.startTime} errors={errors} />
              <Field label={t("classes.series.endTime")} name="endTime" type="time" defaultValue={defaults.endTime} errors={errors} />
            </div>
            <TextareaField label={t("classes.series.exceptDates")} name="exceptDates" rows={2} placeholder="2026-10-07" errors={errors} />
            <p className="field-hint">{t("classes.series.exceptHint")}</p>
          </section>
          <section className="card stack">
            <div className="grid two">
              <Field
                label={t("classes.session.hours")}
                name="trainingHours"
                type="number"
                step="0.5"
                min={0}
                defaultValue={defaults.trainingHours}
                errors={errors}
              />
              <Field
                label={t("classes.series.deadlineHoursBefore")}
                name="deadlineHoursBefore"
                type="number"
                min={0}
                defaultValue={defaults.deadlineHoursBefore}
                errors={errors}
              />
            </div>
            <Field label={t("classes.session.liveUrl")} name="liveUrl" type="url" errors={errors} />
            <fieldset className="stack-tight">
              <legend>{t("classes.series.venues")}</legend>
              {venues.length ? (
                venues.map((v) => (
                  <label key={v.id} className="check">
                    <input type="checkbox" name="venueIds" value={v.id} defaultChecked /> {v.name}{" "}
                    <span className="muted small">
                      {t("classes.venues.capacityShort", { count: v.capacity })} · {v.ranks.map((r) => t(`ranks.${r}`)).join("、")}
                    </span>
                  </label>
                ))
              ) : (
                <p className="muted small">{t("classes.venues.none")}</p>
              )}
              <ErrorList errors={errors?.venueIds} />
            </fieldset>
            <AudienceFields
              units={units}
              errors={errors}
              values={{
                minRank: defaults.minRank,
                unitIds: [],
                cadreStaffNos: "",
                excludeStaffNos: "",
                audienceMandatory: true,
                openRegistration: true,
              }}
            />
          </section>
        </div>
        <div className="actions">
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
            {t("classes.series.preview")}
          </button>
          {preview ? (
            <button type="submit" name="intent" value="create" className="primary" disabled={busy}>
              {t("classes.series.create", { count: preview.length })}
            </button>
          ) : null}
        </div>
      </Form>

      {preview ? (
        <section aria-labelledby="preview" className="card" style={{ marginTop: "1rem" }}>
          <h2 id="preview">{t("classes.series.previewTitle", { count: preview.length })}</h2>
          <ol className="preview-dates">
            {preview.map((p) => (
              <li key={p.date}>
                <span className="badge">{p.code}</span> {sessionWhen(p.startsAt, p.endsAt, i18n.language)}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
