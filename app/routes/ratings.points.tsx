import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { requireRole, requireUnitScope } from "~/modules/auth/guards.server";
import { unitOptions } from "~/modules/organization/units.server";
import { isOrgDepartment } from "~/modules/ratings/cases.server";
import { addPoint, listPoints, retirePoint } from "~/modules/ratings/points.server";
import { PointActionSchema } from "~/modules/ratings/schema";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.points"));

/** Rating points: everyone in scope sees and prints them; the organization department adds and retires. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const includeRetired = new URL(request.url).searchParams.get("retired") === "1";
  const db = getDb();
  const org = isOrgDepartment(user);
  return {
    points: await listPoints(db, user.scope, { includeRetired }),
    units: org ? await unitOptions(db, user.scope) : [],
    org,
    includeRetired,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const formData = await request.formData();
  const form = parseForm(PointActionSchema, formData);
  const target = { intent: String(formData.get("intent") ?? ""), pointId: Number(formData.get("pointId")) || null };
  if (!form.ok) return data({ ok: false as const, errors: form.errors, target }, { status: 400 });
  try {
    if (form.data.intent === "add") {
      requireUnitScope(user, form.data.unitId);
      await addPoint(getDb(), { userId: user.id }, form.data.unitId, form.data.name);
    } else {
      await retirePoint(getDb(), { userId: user.id }, form.data.pointId, form.data.reason);
    }
    return { ok: true as const };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RatingPoints() {
  const { t, i18n } = useTranslation();
  const { points, units, org, includeRetired } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const target = result && !result.ok && "target" in result ? (result.target as { intent: string; pointId: number | null }) : null;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/ratings">{t("ratings.overview.title")}</Link> / {t("ratings.points.title")}
      </nav>
      <div className="page-head">
        <h1>{t("ratings.points.title")}</h1>
        <div className="actions">
          <Link to="/ratings/posters?size=a4" className="button secondary">
            {t("ratings.points.allPostersA4")}
          </Link>
          <Link to="/ratings/posters?size=a5" className="button secondary">
            {t("ratings.points.allPostersA5")}
          </Link>
        </div>
      </div>
      <p className="muted">{t("ratings.points.intro")}</p>
      {org ? (
        <Form method="post" className="card filters" replace>
          <input type="hidden" name="intent" value="add" />
          <h2>{t("ratings.points.add")}</h2>
          <div className="field">
            <label htmlFor="pt-unit">{t("ratings.points.unit")}</label>
            <select id="pt-unit" name="unitId" aria-invalid={target?.intent === "add" && errors?.unitId ? true : undefined}>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.label}
                </option>
              ))}
            </select>
            {target?.intent === "add" ? <ErrorList errors={errors?.unitId} /> : null}
          </div>
          <div className="field">
            <label htmlFor="pt-name">{t("ratings.points.name")}</label>
            <input
              id="pt-name"
              name="name"
              maxLength={60}
              placeholder={t("ratings.points.addHint")}
              aria-invalid={errors?.name ? true : undefined}
            />
            <ErrorList errors={errors?.name} />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("ratings.points.add")}
          </button>
        </Form>
      ) : null}
      {!target ? <FormErrors errors={errors} /> : null}
      <p>
        <Link to={includeRetired ? "/ratings/points" : "/ratings/points?retired=1"}>{t("ratings.points.showRetired")}</Link>
      </p>
      <div className="table-wrap">
        <table data-testid="points-table">
          <thead>
            <tr>
              <th>{t("ratings.points.unit")}</th>
              <th>{t("ratings.points.name")}</th>
              <th>{t("ratings.points.url")}</th>
              <th>{t("ratings.points.status")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.id}>
                <td>{p.unitName}</td>
                <td>{p.name || t("ratings.points.unitPoint")}</td>
                <td>
                  <a href={`/r/${p.code}`}>/r/{p.code}</a>
                </td>
                <td>
                  {p.retiredAt ? (
                    <span className="muted small">
                      {t("ratings.points.retiredLine", { at: formatDate(p.retiredAt, i18n.language), reason: p.retireReason ?? "" })}
                    </span>
                  ) : (
                    <span className="badge ok">{t("ratings.points.live")}</span>
                  )}
                </td>
                <td>
                  {p.retiredAt ? null : (
                    <div className="actions">
                      <Link to={`/ratings/posters?size=a4&point=${p.id}`}>{t("ratings.points.posterA4")}</Link>
                      <Link to={`/ratings/posters?size=a5&point=${p.id}`}>{t("ratings.points.posterA5")}</Link>
                      {org && !p.isUnitPoint ? (
                        <Form method="post" className="actions" replace>
                          <input type="hidden" name="intent" value="retire" />
                          <input type="hidden" name="pointId" value={p.id} />
                          <label className="visually-hidden" htmlFor={`retire-${p.id}`}>
                            {t("ratings.points.retireReason")}
                          </label>
                          <input id={`retire-${p.id}`} name="reason" placeholder={t("ratings.points.retireReason")} />
                          <button type="submit" className="danger" disabled={busy}>
                            {t("ratings.points.retire")}
                          </button>
                          {target?.pointId === p.id ? <ErrorList errors={errors?.reason ?? errors?.form} /> : null}
                        </Form>
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
