import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/pager";
import { AUDIT_CATEGORIES } from "~/modules/audit/actions";
import { AuditFilterSchema, auditFilter } from "~/modules/audit/schema";
import { auditEntityTypes, listAudit } from "~/modules/audit/service.server";
import { auditRowView, changeText, quickRanges } from "~/modules/audit/view";
import { requireRole } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.audit.title"));

/**
 * The audit trail, readable: who (by name and role at the time), what (in words), to which object,
 * what changed field by field, when (Asia/Shanghai) and why; filtered by person, object, category and
 * dates, exported as CSV or XLSX. The audit administrator and the organization department read it; the
 * system and security administrators, whose acts it records, do not.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "audit_admin");
  const input = AuditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = input.page ?? 1;
  const db = getDb();
  const [{ rows, hasMore }, entityTypes] = await Promise.all([listAudit(db, auditFilter(input), page), auditEntityTypes(db)]);
  return { rows, hasMore, page, entityTypes, links: hasRole(user, "org_admin"), ranges: quickRanges() };
}

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const { rows, hasMore, page, entityTypes, links, ranges } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    for (const [k, v] of Object.entries(changes))
      if (v === null) next.delete(k);
      else next.set(k, v);
    return `?${next}`;
  };
  const exportHref = (format: string) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    next.set("format", format);
    return `/admin/audit/export?${next}`;
  };
  return (
    <>
      <div className="page-head">
        <h1>{t("admin.audit.title")}</h1>
        <div className="actions no-print">
          <a className="button secondary" href={exportHref("xlsx")} download>
            {t("admin.audit.exportXlsx")}
          </a>
          <a className="button secondary" href={exportHref("csv")} download>
            {t("admin.audit.exportCsv")}
          </a>
        </div>
      </div>
      <p className="muted small">{t("admin.audit.appendOnly")}</p>
      <Form method="get" className="filters no-print">
        <div className="field">
          <label htmlFor="f-person">{t("admin.audit.person")}</label>
          <input id="f-person" name="person" defaultValue={params.get("person") ?? ""} placeholder={t("admin.audit.personHint")} />
        </div>
        <div className="field">
          <label htmlFor="f-category">{t("admin.audit.category")}</label>
          <select id="f-category" name="category" defaultValue={params.get("category") ?? ""}>
            <option value="">{t("admin.audit.any")}</option>
            {AUDIT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`audit.categories.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-entityType">{t("admin.audit.entityType")}</label>
          <select id="f-entityType" name="entityType" defaultValue={params.get("entityType") ?? ""}>
            <option value="">{t("admin.audit.any")}</option>
            {entityTypes.map((e) => (
              <option key={e} value={e}>
                {t(`audit.entities.${e}`, { defaultValue: e })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-entityId">{t("admin.audit.entityId")}</label>
          <input id="f-entityId" name="entityId" defaultValue={params.get("entityId") ?? ""} style={{ maxWidth: "8rem" }} />
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("admin.audit.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={params.get("from") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("admin.audit.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={params.get("to") ?? ""} />
        </div>
        {params.get("action") ? <input type="hidden" name="action" value={params.get("action") ?? ""} /> : null}
        <button type="submit" className="secondary">
          {t("actions.filter")}
        </button>
      </Form>
      <p className="small no-print">
        {t("admin.audit.quick")}{" "}
        {ranges.map((r) => (
          <Link key={r.key} to={withParams({ from: r.from, to: r.to })} className="chip">
            {t(`admin.audit.ranges.${r.key}`)}
          </Link>
        ))}
      </p>
      <div className="table-wrap">
        <table className="audit">
          <thead>
            <tr>
              <th>{t("admin.audit.at")}</th>
              <th>{t("admin.audit.actor")}</th>
              <th>{t("admin.audit.action")}</th>
              <th>{t("admin.audit.object")}</th>
              <th>{t("admin.audit.changes")}</th>
              <th>{t("admin.audit.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const v = auditRowView(row, t, { links });
              return (
                <tr key={row.id} data-action={row.action}>
                  <td className="small nowrap">{formatDateTime(row.at, i18n.language)}</td>
                  <td>
                    {row.actorUserId ? (
                      <Link to={withParams({ person: v.actor })}>{v.actor}</Link>
                    ) : (
                      <span className="muted">{v.actor}</span>
                    )}
                    {v.actorRoles ? <div className="muted small">{v.actorRoles}</div> : null}
                    {v.actorUnits ? <div className="muted small">{v.actorUnits}</div> : null}
                  </td>
                  <td>
                    {v.description}
                    <div className="muted small">
                      <Link to={withParams({ category: null, action: row.action })}>{v.category}</Link>
                    </div>
                  </td>
                  <td>{v.href ? <Link to={v.href}>{v.object}</Link> : v.object}</td>
                  <td>
                    {v.changes.length ? (
                      <ul className="changes">
                        {v.changes.map((c) => (
                          <li key={c.field}>{changeText(c, t)}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td>{v.reason}</td>
                </tr>
              );
            })}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
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
