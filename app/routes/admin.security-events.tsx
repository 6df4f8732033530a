import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/pager";
import { describeDevice } from "~/modules/auth/devices";
import { requireRole } from "~/modules/auth/guards.server";
import { listSecurityEvents } from "~/modules/security/events.server";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { SecurityEventFilterSchema, securityEventFilter } from "~/modules/security/schema";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { SECURITY_EVENT_KINDS } from "~db/schema/audit";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("security.events.title"));

/** The security log, for the audit administrator: read, filter and export; nothing here changes anything. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "audit_admin");
  const input = SecurityEventFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = input.page ?? 1;
  const db = getDb();
  const { rows, hasMore } = await listSecurityEvents(db, securityEventFilter(input), page);
  return { rows, hasMore, page, retentionDays: (await getSecurityPolicy(db)).securityLogRetentionDays };
}

export default function SecurityEvents() {
  const { t, i18n } = useTranslation();
  const { rows, hasMore, page, retentionDays } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const exportHref = (format: string) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    next.set("format", format);
    return `/admin/security-events/export?${next}`;
  };
  return (
    <>
      <div className="page-head">
        <h1>{t("security.events.title")}</h1>
        <div className="actions no-print">
          <a className="button secondary" href={exportHref("xlsx")} download>
            {t("admin.audit.exportXlsx")}
          </a>
          <a className="button secondary" href={exportHref("csv")} download>
            {t("admin.audit.exportCsv")}
          </a>
        </div>
      </div>
      <p className="muted small">{t("security.events.intro", { days: retentionDays })}</p>
      <Form method="get" className="filters no-print">
        <div className="field">
          <label htmlFor="f-person">{t("admin.audit.person")}</label>
          <input id="f-person" name="person" defaultValue={params.get("person") ?? ""} placeholder={t("admin.audit.personHint")} />
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t("security.events.kind")}</label>
          <select id="f-kind" name="kind" defaultValue={params.get("kind") ?? ""}>
            <option value="">{t("admin.audit.any")}</option>
            {SECURITY_EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`security.events.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-address">{t("security.events.address")}</label>
          <input id="f-address" name="address" defaultValue={params.get("address") ?? ""} style={{ maxWidth: "10rem" }} />
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("admin.audit.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={params.get("from") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("admin.audit.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={params.get("to") ?? ""} />
        </div>
        <label className="checkbox">
          <input type="checkbox" name="outcome" value="failures" defaultChecked={params.get("outcome") === "failures"} />{" "}
          {t("security.events.failuresOnly")}
        </label>
        <button type="submit" className="secondary">
          {t("actions.filter")}
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("security.events.at")}</th>
              <th>{t("security.events.kind")}</th>
              <th>{t("security.events.account")}</th>
              <th>{t("security.events.reason")}</th>
              <th>{t("security.events.address")}</th>
              <th>{t("security.events.device")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.kind.endsWith("failed") || r.kind === "account.locked" ? "tone-warn" : undefined}>
                <td className="small nowrap">{formatDateTime(r.at, i18n.language)}</td>
                <td>{t(`security.events.kinds.${r.kind}`)}</td>
                <td>
                  {r.userName ?? <span className="muted">{r.identifier}</span>}
                  {r.actorName && r.actorUserId !== r.userId ? (
                    <div className="muted small">{t("security.events.by", { name: r.actorName })}</div>
                  ) : null}
                </td>
                <td>{r.reason ? t(`security.events.reasons.${r.reason}`, { defaultValue: r.reason }) : ""}</td>
                <td className="small">{r.address}</td>
                <td className="small">{r.userAgent ? describeDevice(r.userAgent, t) : ""}</td>
              </tr>
            ))}
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
