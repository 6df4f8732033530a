import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { isOrgDepartment } from "~/modules/ratings/cases.server";
import { TenWorstSchema } from "~/modules/ratings/schema";
import {
  DEFAULT_TEN_WORST_SIZE,
  draftTenWorst,
  publishTenWorst,
  type TenWorstEntry,
  tenWorstVersions,
} from "~/modules/ratings/ten-worst.server";
import { formatDateTime, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.tenWorst"));

const FilterSchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .catch(() => Number(todayInShanghai().slice(0, 4))),
  size: z.coerce.number().int().min(1).max(100).catch(DEFAULT_TEN_WORST_SIZE),
});

/** The published 十差 lists are read by the organization department and heads; only the department previews and publishes. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const org = isOrgDepartment(user);
  return {
    filter,
    org,
    versions: await tenWorstVersions(db, filter.year),
    draft: org ? await draftTenWorst(db, filter.year, filter.size) : [],
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(TenWorstSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const list = await publishTenWorst(getDb(), { userId: user.id }, form.data);
    return { ok: true as const, version: list.version };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

function EntriesTable({ entries, accountability = [] }: { entries: TenWorstEntry[]; accountability?: number[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table data-testid="ten-worst-table">
        <thead>
          <tr>
            <th className="num">{t("ratings.tenWorst.rank")}</th>
            <th>{t("ratings.tenWorst.unit")}</th>
            <th>{t("ratings.tenWorst.head")}</th>
            <th className="num">{t("ratings.tenWorst.confirmed")}</th>
            <th className="num">{t("ratings.tenWorst.cases")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.unitId}>
              <td className="num">
                {e.rank}
                {e.tied ? <span className="badge">{t("ratings.tenWorst.tied")}</span> : null}
              </td>
              <td>{e.name}</td>
              <td>{e.headName ?? "—"}</td>
              <td className="num">{e.confirmed}</td>
              <td className="num">{e.cases}</td>
              <td>
                {e.repeat ? <span className="badge danger">{t("ratings.tenWorst.repeat")}</span> : null}{" "}
                {accountability.includes(e.unitId) ? <span className="small">{t("ratings.tenWorst.accountability")}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function TenWorst() {
  const { t, i18n } = useTranslation();
  const { filter, org, versions, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/ratings">{t("ratings.overview.title")}</Link> / {t("ratings.tenWorst.title")}
      </nav>
      <h1>{t("ratings.tenWorst.title")}</h1>
      <p className="muted">{t("ratings.tenWorst.intro")}</p>
      <Form method="get" className="filters card">
        <div className="field">
          <label htmlFor="tw-year">{t("ratings.tenWorst.year")}</label>
          <input id="tw-year" name="year" type="number" min={2000} max={2100} defaultValue={filter.year} />
        </div>
        {org ? (
          <div className="field">
            <label htmlFor="tw-size">{t("ratings.tenWorst.size")}</label>
            <input id="tw-size" name="size" type="number" min={1} max={100} defaultValue={filter.size} />
          </div>
        ) : null}
        <button type="submit" className="secondary">
          {t("ratings.tenWorst.preview")}
        </button>
      </Form>
      {versions.length ? (
        versions.map((v) => (
          <section key={v.id} className="card">
            <h2>
              {t("ratings.tenWorst.published", { version: v.version, at: formatDateTime(v.publishedAt, i18n.language), reason: v.reason })}
              {v.status === "superseded" ? <span className="muted small"> {t("ratings.tenWorst.superseded")}</span> : null}
            </h2>
            {v.entries.length > v.size ? (
              <p className="muted small">{t("ratings.tenWorst.overSize", { count: v.entries.length })}</p>
            ) : null}
            <EntriesTable entries={v.entries} accountability={v.accountability} />
            <p className="muted small">
              {t("ratings.tenWorst.hash")} {v.entriesHash.slice(0, 16)}
            </p>
          </section>
        ))
      ) : (
        <p className="card muted">{t("ratings.tenWorst.none")}</p>
      )}
      {org ? (
        <section className="card">
          <h2>{t("ratings.tenWorst.draft", { year: filter.year })}</h2>
          {draft.length ? (
            <>
              {draft.length > filter.size ? <p className="muted small">{t("ratings.tenWorst.overSize", { count: draft.length })}</p> : null}
              <EntriesTable entries={draft} />
              <Form method="post" className="stack" replace>
                <input type="hidden" name="year" value={filter.year} />
                <input type="hidden" name="size" value={filter.size} />
                <div className="field">
                  <label htmlFor="tw-reason">{t("ratings.tenWorst.reason")}</label>
                  <textarea id="tw-reason" name="reason" rows={2} aria-invalid={errors?.reason ? true : undefined} />
                  <ErrorList errors={errors?.reason} />
                </div>
                <FormErrors errors={errors} />
                <p className="muted small">{t("ratings.tenWorst.publishConfirm")}</p>
                <div className="actions">
                  <button type="submit" className="primary" disabled={busy}>
                    {t("ratings.tenWorst.publish")}
                  </button>
                </div>
              </Form>
            </>
          ) : (
            <p className="muted">{t("ratings.tenWorst.empty", { year: filter.year })}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
