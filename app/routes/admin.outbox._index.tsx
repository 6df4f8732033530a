import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Pager } from "~/components/pager";
import { requireRole } from "~/modules/auth/guards.server";
import { listOutbox, outboxCounts, outboxTemplateNames } from "~/modules/email/outbox.server";
import { OUTBOX_STATUS_LIST as OUTBOX_STATUSES, OUTBOX_STATUS_BADGE as STATUS_BADGE } from "~/modules/email/statuses";
import { formatDateTime, shanghaiMidnight } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("email.titles.outbox"));

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const FilterSchema = z.object({
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  template: z.string().trim().max(50).optional().catch(undefined),
  recipient: z.string().trim().max(200).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin", "system_admin");
  const f = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = f.page ?? 1;
  const db = getDb();
  const [{ rows, hasMore }, counts] = await Promise.all([
    listOutbox(
      db,
      {
        status: f.status,
        template: f.template || undefined,
        recipient: f.recipient || undefined,
        // Shanghai calendar days; "to" includes the whole day.
        from: f.from ? shanghaiMidnight(f.from) : undefined,
        to: f.to ? new Date(shanghaiMidnight(f.to).getTime() + 86_400_000) : undefined,
      },
      page,
    ),
    outboxCounts(db),
  ]);
  return { rows, hasMore, page, counts, offline: !env().RESEND_API_KEY, templates: outboxTemplateNames() };
}

export default function Outbox() {
  const { t, i18n } = useTranslation();
  const { rows, hasMore, page, counts, offline, templates } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>{t("email.outbox.title")}</h1>
        <span className="actions small">
          {OUTBOX_STATUSES.map((s) => (
            <Link key={s} to={`?status=${s}`} className={`badge ${STATUS_BADGE[s]}`}>
              {t(`email.outbox.statuses.${s}`)} {counts[s] ?? 0}
            </Link>
          ))}
        </span>
      </div>
      <p className={offline ? "notice warn" : "muted small"}>{offline ? t("email.outbox.offline") : t("email.outbox.online")}</p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="f-status">{t("email.outbox.status")}</label>
          <select id="f-status" name="status" defaultValue={params.get("status") ?? ""}>
            <option value="">{t("email.outbox.any")}</option>
            {OUTBOX_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`email.outbox.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-template">{t("email.outbox.template")}</label>
          <select id="f-template" name="template" defaultValue={params.get("template") ?? ""}>
            <option value="">{t("email.outbox.any")}</option>
            {templates.map((name) => (
              <option key={name} value={name}>
                {t(`email.outbox.templates.${name}`, { defaultValue: name })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-recipient">{t("email.outbox.recipient")}</label>
          <input id="f-recipient" name="recipient" type="search" defaultValue={params.get("recipient") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("email.outbox.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={params.get("from") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("email.outbox.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={params.get("to") ?? ""} />
        </div>
        <button type="submit" className="secondary">
          {t("actions.filter")}
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("email.outbox.createdAt")}</th>
              <th>{t("email.outbox.recipient")}</th>
              <th>{t("email.outbox.subject")}</th>
              <th>{t("email.outbox.status")}</th>
              <th className="num">{t("email.outbox.attempts")}</th>
              <th>{t("email.outbox.lastError")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{formatDateTime(r.createdAt, i18n.language)}</td>
                <td>{r.toAddress}</td>
                <td>
                  <Link to={`/admin/outbox/${r.id}`}>{r.subject}</Link>
                  <div className="muted small">{t(`email.outbox.templates.${r.template}`, { defaultValue: r.template })}</div>
                </td>
                <td>
                  <span className={`badge ${STATUS_BADGE[r.status]}`}>{t(`email.outbox.statuses.${r.status}`)}</span>
                  {r.status === "sent" && r.transport ? (
                    <div className="muted small">{t(`email.outbox.transports.${r.transport}`)}</div>
                  ) : null}
                </td>
                <td className="num">{r.attempts}</td>
                <td className="small">{r.lastError}</td>
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
