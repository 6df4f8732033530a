import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Field, FormErrors, SelectField } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { LeftOutRules } from "~/modules/rankings/components/left-out-rules";
import { WeightsFieldset } from "~/modules/rankings/components/weights-fieldset";
import {
  ASSESSMENT_GRADES,
  CADRE_INDICATORS,
  ModelSpecSchema,
  RANKING_BANDS,
  rescaledWeights,
  UNIT_INDICATORS,
  weightSum,
} from "~/modules/rankings/model";
import { getSharing, modelVersions, saveModel, updateSharing } from "~/modules/rankings/model.server";
import { ModelFormSchema, SharingFormSchema } from "~/modules/rankings/schema";
import { formatDateTime, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { issuesToErrors, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.titles.model"));

const YearSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const year = YearSchema.parse(Object.fromEntries(new URL(request.url).searchParams)).year ?? Number(todayInShanghai().slice(0, 4));
  const db = getDb();
  const [models, sharing, frontline] = await Promise.all([modelVersions(db, year), getSharing(db), getFrontlineRules(db)]);
  // The bands with no frontline quota are ranked without the frontline indicator: say so, with the weights they get.
  const withoutFrontline = RANKING_BANDS.filter((b) => frontline.monthlyQuota[b] === 0);
  return {
    year,
    ...models,
    sharing,
    withoutFrontline,
    rescaledWithoutFrontline: rescaledWeights(models.current.cadreWeights, ["frontline"]),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const formData = await request.formData();
  const db = getDb();
  if (formData.get("intent") === "sharing") {
    const form = parseForm(SharingFormSchema, formData);
    if (!form.ok) return invalidForm(form.errors);
    await updateSharing(db, { userId: user.id }, form.data);
    return { ok: true as const, saved: "sharing" as const };
  }
  const form = parseForm(ModelFormSchema, formData);
  if (!form.ok) return invalidForm(form.errors);
  // The ranges and "not all zero" are the model's own rules; their errors go beside the fields.
  const checked = ModelSpecSchema.safeParse(form.data.spec);
  if (!checked.success) {
    const errors = issuesToErrors(checked.error.issues.map((i) => ({ ...i, path: [flatName(i.path.map(String))] })));
    // The sum goes with its figure, so the message says how far off the weights are.
    for (const [field, weights] of [
      ["cadre.sum", form.data.spec.cadreWeights],
      ["unit.sum", form.data.spec.unitWeights],
    ] as const) {
      if (errors[field]) errors[field] = [{ key: "rankings.validation.weightSumIs", params: { sum: weightSum(weights) } }];
    }
    return invalidForm(errors);
  }
  const { version, changed } = await saveModel(db, { userId: user.id }, form.data.year, checked.data, form.data.reason);
  return { ok: true as const, saved: "model" as const, version, changed };
}

/** cadreWeights.attendance → cadre.attendance, the form's field name. */
function flatName(path: string[]): string {
  const [head, key] = path;
  if (head === "cadreWeights") return key ? `cadre.${key}` : "cadre.sum";
  if (head === "unitWeights") return key ? `unit.${key}` : "unit.sum";
  if (head === "params" && key === "gradeValues") return `grade.${path[2]}`;
  if (head === "params") return key ?? "form";
  return "form";
}

export default function RankingModel() {
  const { t, i18n } = useTranslation();
  const { year, current, versions, sharing, withoutFrontline, rescaledWithoutFrontline } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / {t("rankings.model.title")}
      </nav>
      <div className="page-head">
        <h1>{t("rankings.model.heading", { year })}</h1>
        <div className="actions">
          <Link to={`/rankings/model?year=${year - 1}`}>{year - 1}</Link>
          <Link to={`/rankings/model?year=${year + 1}`}>{year + 1}</Link>
        </div>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.saved === "sharing"
            ? t("common.saved")
            : result.changed
              ? t("rankings.model.saved", { version: result.version })
              : t("rankings.model.unchanged")}
        </p>
      ) : null}
      <p className="muted">{t("rankings.model.intro")}</p>
      <section className="card">
        <Form method="post" className="rk-model" noValidate>
          <FormErrors errors={errors} />
          <input type="hidden" name="year" value={year} />
          <WeightsFieldset
            legend={t("rankings.model.cadreWeights")}
            prefix="cadre"
            indicators={CADRE_INDICATORS}
            values={current.cadreWeights}
            errors={errors}
          />
          <WeightsFieldset
            legend={t("rankings.model.unitWeights")}
            prefix="unit"
            indicators={UNIT_INDICATORS}
            values={current.unitWeights}
            errors={errors}
          />
          <fieldset className="stack-tight">
            <legend>{t("rankings.model.grades")}</legend>
            <div className="rk-grid4">
              {ASSESSMENT_GRADES.map((g) => (
                <Field
                  key={g}
                  label={t(`rankings.grades.${g}`)}
                  name={`grade.${g}`}
                  type="number"
                  step="0.0001"
                  min={0}
                  max={1}
                  defaultValue={current.params.gradeValues[g]}
                  errors={errors}
                />
              ))}
            </div>
          </fieldset>
          <fieldset className="stack-tight">
            <legend>{t("rankings.model.params")}</legend>
            <div className="rk-grid4">
              <Field
                label={t("rankings.model.lateWeight")}
                name="lateWeight"
                type="number"
                step="0.0001"
                min={0}
                max={1}
                defaultValue={current.params.lateWeight}
                errors={errors}
              />
              <Field
                label={t("rankings.fields.agendaSize")}
                name="agendaSize"
                type="number"
                min={1}
                max={20}
                defaultValue={current.params.agendaSize}
                errors={errors}
              />
              <Field
                label={t("rankings.model.deadlineDays")}
                name="assessmentDeadlineDays"
                type="number"
                min={0}
                max={90}
                defaultValue={current.params.assessmentDeadlineDays}
                errors={errors}
              />
            </div>
          </fieldset>
          <Field label={t("rankings.fields.reason")} name="reason" required errors={errors} hint={t("rankings.model.reasonHint")} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("rankings.model.save")}
            </button>
          </div>
        </Form>
      </section>
      <LeftOutRules withoutFrontline={withoutFrontline} rescaled={rescaledWithoutFrontline} />
      <section className="card">
        <h2>{t("rankings.model.versions")}</h2>
        {versions.length ? (
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th>{t("rankings.model.version")}</th>
                  <th>{t("rankings.model.cadreWeights")}</th>
                  <th>{t("rankings.model.unitWeights")}</th>
                  <th>{t("rankings.fields.reason")}</th>
                  <th>{t("rankings.model.when")}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.id}>
                    <td>v{v.version}</td>
                    <td className="small">{CADRE_INDICATORS.map((k) => v.spec.cadreWeights[k]).join(" / ")}</td>
                    <td className="small">{UNIT_INDICATORS.map((k) => v.spec.unitWeights[k]).join(" / ")}</td>
                    <td>{v.reason ?? t("rankings.model.default")}</td>
                    <td className="small">
                      {formatDateTime(v.createdAt, i18n.language)} {v.createdByName ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("rankings.model.noVersions")}</p>
        )}
      </section>
      <section className="card">
        <h2>{t("rankings.model.sharing")}</h2>
        <p className="muted small">{t("rankings.model.sharingHint")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="sharing" />
          <SelectField
            label={t("rankings.model.unitTables")}
            name="unitTables"
            defaultValue={sharing.unitTables}
            options={(["heads", "admins"] as const).map((v) => ({ value: v, label: t(`rankings.model.share.${v}`) }))}
          />
          <SelectField
            label={t("rankings.model.cadreTables")}
            name="cadreTables"
            defaultValue={sharing.cadreTables}
            options={(["admins", "heads"] as const).map((v) => ({ value: v, label: t(`rankings.model.share.${v}`) }))}
          />
          <div className="actions">
            <button type="submit" className="secondary" disabled={busy}>
              {t("actions.save")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
