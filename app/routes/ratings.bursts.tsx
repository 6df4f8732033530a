import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { listBursts, reviewBurst } from "~/modules/ratings/bursts.server";
import { BURST_FACTOR, BURST_MIN } from "~/modules/ratings/rules";
import { DiscountSchema } from "~/modules/ratings/schema";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.bursts"));

const FilterSchema = z.object({ status: z.enum(["open", "kept", "discounted", "all"]).catch("open") });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const { status } = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { status, bursts: await listBursts(getDb(), status) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const formData = await request.formData();
  const form = parseForm(DiscountSchema, formData);
  if (!form.ok) return data({ ok: false as const, errors: form.errors, burstId: Number(formData.get("burstId")) }, { status: 400 });
  try {
    await reviewBurst(getDb(), { userId: user.id }, form.data.burstId, form.data.decision, form.data.reason);
    return { ok: true as const };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RatingBursts() {
  const { t, i18n } = useTranslation();
  const { status, bursts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const errorBurst = result && !result.ok && "burstId" in result ? result.burstId : null;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/ratings">{t("ratings.overview.title")}</Link> / {t("ratings.bursts.title")}
      </nav>
      <h1>{t("ratings.bursts.title")}</h1>
      <p className="muted">{t("ratings.bursts.intro", { min: BURST_MIN, factor: BURST_FACTOR })}</p>
      <nav className="rk-tabs" aria-label={t("ratings.bursts.title")}>
        {(["open", "kept", "discounted", "all"] as const).map((s) => (
          <Link key={s} to={`/ratings/bursts?status=${s}`} className={s === status ? "active" : undefined}>
            {t(`ratings.bursts.statuses.${s}`)}
          </Link>
        ))}
      </nav>
      {bursts.length ? (
        <ul className="class-list">
          {bursts.map((b) => (
            <li key={b.id} className="card">
              <div className="page-head">
                <h2>
                  {b.unitName}{" "}
                  <span className="muted small">
                    {b.pointName || t("ratings.points.unitPoint")} · /r/{b.pointCode}
                  </span>
                </h2>
                <span className={`badge ${b.status === "open" ? "danger" : b.status === "kept" ? "ok" : ""}`}>
                  {t(`ratings.bursts.statuses.${b.status}`)}
                </span>
              </div>
              <p>{t("ratings.bursts.line", { ...b, day: formatDate(b.day, i18n.language) })}</p>
              {b.status !== "open" ? (
                <p className="muted small">
                  {t("ratings.bursts.reviewed", { at: formatDate(b.reviewedAt, i18n.language), note: b.reviewNote ?? "" })}
                </p>
              ) : (
                <Form method="post" className="stack" replace>
                  <input type="hidden" name="burstId" value={b.id} />
                  <fieldset className="field">
                    <legend>{t("ratings.bursts.decision")}</legend>
                    <label className="inline-choice">
                      <input type="radio" name="decision" value="keep" /> {t("ratings.bursts.keep")}
                    </label>
                    <label className="inline-choice">
                      <input type="radio" name="decision" value="discount" /> {t("ratings.bursts.discount")}
                    </label>
                    {errorBurst === b.id ? <ErrorList errors={errors?.decision} /> : null}
                  </fieldset>
                  <div className="field">
                    <label htmlFor={`burst-reason-${b.id}`}>{t("ratings.bursts.reason")}</label>
                    <textarea id={`burst-reason-${b.id}`} name="reason" rows={2} />
                    {errorBurst === b.id ? <ErrorList errors={errors?.reason ?? errors?.form} /> : null}
                  </div>
                  <div className="actions">
                    <button type="submit" className="primary" disabled={busy}>
                      {t("ratings.bursts.submit")}
                    </button>
                  </div>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="card muted">{t("ratings.bursts.empty")}</p>
      )}
    </>
  );
}
