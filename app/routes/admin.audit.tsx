import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Pager } from "~/components/pager";
import { listAudit } from "~/modules/audit/service.server";
import { requireRole } from "~/modules/auth/guards.server";
import { formatDateTime, shanghaiMidnight } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.audit.title"));

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const FilterSchema = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  entityType: z.string().trim().max(50).optional().catch(undefined),
  entityId: z.string().trim().max(50).optional().catch(undefined),
  actor: z.string().trim().max(100).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin", "system_admin");
  const f = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = f.page ?? 1;
  const { rows, hasMore } = await listAudit(
    getDb(),
    {
      action: f.action || undefined,
      entityType: f.entityType || undefined,
      entityId: f.entityId || undefined,
      actor: f.actor || undefined,
      // Dates are Shanghai calendar days; "to" includes the whole day.
      from: f.from ? shanghaiMidnight(f.from) : undefined,
      to: f.to ? new Date(shanghaiMidnight(f.to).getTime() + 86_400_000) : undefined,
    },
    page,
  );
  return { rows, hasMore, page };
}

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const { rows, hasMore, page } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const input = (name: string, type = "text") => (
    <div className="field">
      <label htmlFor={`f-${name}`}>{t(`admin.audit.${name}`)}</label>
      <input id={`f-${name}`} name={name} type={type} defaultValue={params.get(name) ?? ""} />
    </div>
  );
  return (
    <>
      <div className="page-head">
        <h1>{t("admin.audit.title")}</h1>
        <span className="muted small">{t("admin.audit.appendOnly")}</span>
      </div>
      <Form method="get" className="filters">
        {input("action")}
        {input("entityType")}
        {input("entityId")}
        {input("actor")}
        {input("from", "date")}
        {input("to", "date")}
        <button type="submit" className="secondary">
          {t("actions.filter")}
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("admin.audit.at")}</th>
              <th>{t("admin.audit.actor")}</th>
              <th>{t("admin.audit.action")}</th>
              <th>{t("admin.audit.entityType")}</th>
              <th>{t("admin.audit.before")}</th>
              <th>{t("admin.audit.after")}</th>
              <th>{t("admin.audit.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{formatDateTime(r.at, i18n.language)}</td>
                <td>
                  {r.actorUserId ? (
                    <Link to={`/admin/accounts/${r.actorUserId}`}>{r.actorName || `#${r.actorUserId}`}</Link>
                  ) : (
                    <span className="muted">{r.actorLabel ?? t("admin.audit.system")}</span>
                  )}
                </td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {r.entityType}
                  {r.entityId ? ` #${r.entityId}` : ""}
                </td>
                <td>
                  <Json value={r.before} />
                </td>
                <td>
                  <Json value={r.after} />
                </td>
                <td>{r.reason}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  {t("common.noResults")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager page={page} hasNext={hasMore} />
    </>
  );
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  return <pre className="diff">{JSON.stringify(value, null, 1)}</pre>;
}
