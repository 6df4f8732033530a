import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormErrors, SelectField } from "~/components/forms";
import { UnitFields } from "~/components/unit-fields";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { UnitRankingForm } from "~/modules/organization/components/unit-ranking-form";
import { parseIdParam, UnitEditActionSchema } from "~/modules/organization/schema";
import {
  addUnitLiaison,
  removeUnitLiaison,
  setUnitDigestCopies,
  setUnitRanking,
  updateUnit,
} from "~/modules/organization/unit-edits.server";
import { unitFormOptions } from "~/modules/organization/units.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("organization.titles.editUnit", { name: data?.unit?.name ?? t("organization.titles.unit") }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const unitId = parseIdParam(params.unitId);
  if (unitId === null) throw notFoundResponse();
  try {
    const options = await unitFormOptions(getDb(), user.scope, unitId);
    return { ...options, digestCopiesLiaisons: options.unit!.digestCopiesLiaisons };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const unitId = parseIdParam(params.unitId);
  if (unitId === null) throw notFoundResponse();
  const form = parseForm(UnitEditActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  try {
    switch (form.data.intent) {
      case "update":
        await updateUnit(db, user, unitId, form.data);
        return redirect(`/units/${unitId}`);
      case "addLiaison":
        await addUnitLiaison(db, user, unitId, form.data);
        return { ok: true as const, message: "organization.units.liaisonAdded" };
      case "removeLiaison":
        await removeUnitLiaison(db, user, unitId, form.data);
        return { ok: true as const, message: "organization.units.liaisonRemoved" };
      case "digestCopies":
        await setUnitDigestCopies(db, user, unitId, form.data);
        return { ok: true as const, message: "organization.units.digestCopiesSaved" };
      case "ranking":
        await setUnitRanking(db, user, unitId, form.data);
        return { ok: true as const, message: "organization.units.ranking.saved" };
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditUnit() {
  const { t } = useTranslation();
  const { unit, parents, headCandidates, liaisons, digestCopiesLiaisons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state === "submitting";
  if (!unit) return null;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/units">{t("organization.units.pageTitle")}</Link> / <Link to={`/units/${unit.id}`}>{unit.name}</Link> /{" "}
        {t("actions.edit")}
      </nav>
      <h1>{t("organization.units.editUnit")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <div className="grid two">
        <section className="card">
          <h2>{t("organization.units.details")}</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="update" />
            <UnitFields errors={errors} parents={parents} values={unit} />
            <SelectField
              label={t("organization.units.head")}
              name="headCadreId"
              defaultValue={unit.headCadreId == null ? "" : String(unit.headCadreId)}
              options={[
                { value: "", label: t("organization.units.noHead") },
                ...headCandidates.map((c) => ({ value: String(c.id), label: `${c.name} (${c.staffNo})${c.title ? ` · ${c.title}` : ""}` })),
              ]}
              errors={errors}
            />
            <p className="field-hint">{t("organization.units.headHint")}</p>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("actions.save")}
              </button>
              <Link to={`/units/${unit.id}`}>{t("actions.cancel")}</Link>
            </div>
          </Form>
        </section>

        <section className="card" aria-labelledby="liaisons">
          <h2 id="liaisons">{t("organization.units.liaisons")}</h2>
          {liaisons.length ? (
            <ul>
              {liaisons.map((l) => (
                <li key={l.cadreId}>
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="removeLiaison" />
                    <input type="hidden" name="cadreId" value={l.cadreId} />
                    <span>
                      {l.name}{" "}
                      <span className="muted small">
                        {l.staffNo} · {l.unitName}
                      </span>
                    </span>
                    <button type="submit" className="danger" disabled={busy}>
                      {t("organization.units.removeLiaison")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("organization.units.noLiaisons")}</p>
          )}
          <ErrorList errors={errors?.cadreId} />
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="addLiaison" />
            <Field label={t("organization.units.liaisonStaffNo")} name="staffNo" autoCapitalize="characters" errors={errors} />
            <button type="submit" className="secondary" disabled={busy}>
              {t("organization.units.addLiaison")}
            </button>
          </Form>
          <h3>{t("organization.units.digest")}</h3>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="digestCopies" />
            <label className="check">
              <input type="checkbox" name="digestCopiesLiaisons" defaultChecked={digestCopiesLiaisons} />{" "}
              {t("organization.units.digestCopies")}
            </label>
            <p className="field-hint">{t("organization.units.digestCopiesHint")}</p>
            <button type="submit" className="secondary" disabled={busy}>
              {t("organization.units.saveDigestCopies")}
            </button>
          </Form>
        </section>

        <section className="card" aria-labelledby="unit-ranking">
          <h2 id="unit-ranking">{t("organization.units.ranking.title")}</h2>
          <UnitRankingForm unit={unit} errors={errors} busy={busy} />
        </section>
      </div>
    </>
  );
}
