import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { listFlags, resolveFlag, WITHDRAWN_NOTE } from "~/modules/rankings/flags.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { ResolveFlagSchema } from "~/modules/rankings/schema";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.titles.flags"));

const FilterSchema = z.object({ status: z.enum(["open", "resolved", "all"]).catch("open") });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const { status } = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { status, flags: await listFlags(getDb(), status === "all" ? {} : { status }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const formData = await request.formData();
  const form = parseForm(ResolveFlagSchema, formData);
  // The errors go beside the note of the flag that was sent.
  if (!form.ok) return data({ ok: false as const, errors: form.errors, flagId: Number(formData.get("flagId")) }, { status: 400 });
  try {
    await resolveFlag(getDb(), { userId: user.id }, form.data.flagId, form.data.note);
    return { ok: true as const };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RankingFlags() {
  const { t, i18n } = useTranslation();
  const { status, flags } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const errorFlag = result && !result.ok && "flagId" in result ? result.flagId : null;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / {t("rankings.flags.title")}
      </nav>
      <h1>{t("rankings.flags.title")}</h1>
      <p className="muted">{t("rankings.flags.intro")}</p>
      <nav className="rk-tabs" aria-label={t("rankings.flags.filter")}>
        {(["open", "resolved", "all"] as const).map((s) => (
          <Link key={s} to={`/rankings/flags?status=${s}`} className={s === status ? "active" : undefined}>
            {t(`rankings.flags.statuses.${s}`)}
          </Link>
        ))}
      </nav>
      {flags.length ? (
        <ul className="class-list">
          {flags.map((f) => (
            <li key={f.id} className="card">
              <div className="page-head">
                <h2>
                  {f.unitName} <span className="muted small">{f.unitCode}</span>
                </h2>
                <span className={`badge ${f.status === "open" ? "danger" : "ok"}`}>{t(`rankings.flags.statuses.${f.status}`)}</span>
              </div>
              <p>
                {t("rankings.flags.line", {
                  group: t(`unitKinds.${f.peerGroup}`),
                  previous: quarterLabel(f.previousQuarter, i18n.language),
                  previousRank: f.previousRank,
                  previousSize: f.previousGroupSize,
                  quarter: quarterLabel(f.quarter, i18n.language),
                  rank: f.rank,
                  size: f.groupSize,
                })}{" "}
                <Link to={`/rankings/${f.quarter}/units/${f.unitId}`}>{t("rankings.flags.breakdown")}</Link>
              </p>
              {f.status === "resolved" ? (
                <p className="muted small">
                  {t("rankings.flags.resolvedLine", {
                    at: formatDate(f.resolvedAt, i18n.language),
                    by: f.resolvedByName ?? t("rankings.flags.unrecorded"),
                  })}
                  {"："}
                  {f.recordId ? (
                    <Link to={`/accountability/${f.recordId}`}>{t("rankings.flags.answeredBy", { id: f.recordId })}</Link>
                  ) : f.resolutionNote === WITHDRAWN_NOTE ? (
                    t("rankings.flags.withdrawn")
                  ) : (
                    f.resolutionNote
                  )}
                </p>
              ) : (
                <>
                  <p>
                    <Link className="button" to={`/accountability/new?flag=${f.id}`}>
                      {t("rankings.flags.openRecord")}
                    </Link>
                  </p>
                  <Form method="post" className="stack">
                    <input type="hidden" name="flagId" value={f.id} />
                    <label htmlFor={`note-${f.id}`} className="field-label">
                      {t("rankings.flags.note")}
                    </label>
                    <textarea id={`note-${f.id}`} name="note" rows={2} required />
                    {errorFlag === f.id ? <ErrorList errors={errors?.note} /> : null}
                    <div className="actions">
                      <button type="submit" className="secondary" disabled={busy}>
                        {t("rankings.flags.resolve")}
                      </button>
                    </div>
                  </Form>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="card muted">{t("rankings.flags.empty")}</p>
      )}
    </>
  );
}
