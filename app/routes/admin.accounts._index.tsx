import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { OneTimePasswordSheet } from "~/components/otp-sheet";
import { Pager } from "~/components/pager";
import { ACCOUNT_STATUSES_LIST } from "~/modules/auth/account-statuses";
import { issueOneTimePasswords, listAccounts, MAX_ONE_TIME_PASSWORDS, setAccountDisabled } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { AccountBulkSchema, AccountFilterSchema } from "~/modules/auth/schema-admin";
import type { action as inviteAction } from "~/routes/admin.accounts.invite";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.accounts.title"));

export async function loader({ request }: LoaderFunctionArgs) {
  // The security administrator finds accounts here to grant roles; only org and system admins act on them.
  const user = await requireRole(request, "org_admin", "system_admin", "security_admin");
  const filter = AccountFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return {
    ...(await listAccounts(getDb(), filter)),
    canCreate: hasRole(user, "system_admin"),
    canAct: hasRole(user, "org_admin", "system_admin"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin");
  const form = parseForm(AccountBulkSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const actor = { userId: user.id };
  const { userIds } = form.data;
  switch (form.data.intent) {
    case "issue-otp": {
      if (userIds.length > MAX_ONE_TIME_PASSWORDS) {
        return invalidForm({ form: [{ key: "admin.accounts.tooMany", params: { max: MAX_ONE_TIME_PASSWORDS } }] });
      }
      return { ok: true as const, issued: await issueOneTimePasswords(getDb(), actor, userIds) };
    }
    case "disable":
    case "enable": {
      for (const id of userIds) await setAccountDisabled(getDb(), actor, id, form.data.intent === "disable", form.data.reason);
      return { ok: true as const, done: form.data.intent };
    }
  }
}

export default function Accounts() {
  const { t, i18n } = useTranslation();
  const { rows, total, page, pageSize, canCreate, canAct } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // Invitations are the default way in; they post to their own route and the page stays put.
  const invite = useFetcher<typeof inviteAction>();
  const inviteErrors = invite.data && !invite.data.ok ? invite.data.errors : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <>
      <div className="page-head">
        <h1>{t("admin.accounts.title")}</h1>
        {canCreate ? (
          <Link to="/admin/accounts/new" className="button secondary">
            {t("admin.accounts.newStaffAccount")}
          </Link>
        ) : null}
      </div>
      {result?.ok && result.issued ? <OneTimePasswordSheet issued={result.issued} /> : null}
      {result?.ok && result.done ? (
        <p className="notice" role="status">
          {t(result.done === "disable" ? "admin.accounts.disabledDone" : "admin.accounts.enabledDone")}
        </p>
      ) : null}

      <Form method="get" className="filters no-print">
        <div className="field">
          <label htmlFor="q">{t("actions.search")}</label>
          <input id="q" name="q" defaultValue={params.get("q") ?? ""} placeholder={t("admin.accounts.search")} />
        </div>
        <div className="field">
          <label htmlFor="status">{t("admin.accounts.status")}</label>
          <select id="status" name="status" defaultValue={params.get("status") ?? "all"}>
            {ACCOUNT_STATUSES_LIST.map((s) => (
              <option key={s} value={s}>
                {t(`admin.accounts.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("actions.filter")}
        </button>
      </Form>

      {invite.data?.ok ? (
        <div className="notice" role="status" data-testid="invite-result">
          {t("email.invite.done", { count: invite.data.invited })}
          {invite.data.skipped.length ? (
            <>
              {" "}
              {t("email.invite.skipped", { count: invite.data.skipped.length })}
              <ul className="small">
                {invite.data.skipped.map((s) => (
                  <li key={s.userId}>
                    #{s.userId} {rows.find((r) => r.id === s.userId)?.name ?? ""}: {t(`email.invite.reasons.${s.reason}`)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {canAct ? (
        <invite.Form method="post" action="/admin/accounts/invite" className="actions no-print" style={{ marginBottom: "0.5rem" }}>
          {[...selected].map((id) => (
            <input key={id} type="hidden" name="userIds" value={id} />
          ))}
          <span className="muted">{t("admin.accounts.selected", { count: selected.size })}</span>
          <button type="submit" className="primary" disabled={invite.state !== "idle" || !selected.size}>
            {t("admin.accounts.invite")}
          </button>
          <ErrorList errors={inviteErrors?.userIds} />
        </invite.Form>
      ) : null}
      <Form method="post" className="no-print">
        <FormErrors errors={errors} />
        <ErrorList errors={errors?.userIds} />
        {canAct ? (
          <div className="actions" style={{ marginBottom: "0.75rem" }}>
            <button type="submit" name="intent" value="issue-otp" className="secondary" disabled={busy || !selected.size}>
              {t("admin.accounts.issueOtp")}
            </button>
            <input
              name="reason"
              aria-label={t("admin.accounts.reason")}
              placeholder={t("admin.accounts.reason")}
              style={{ maxWidth: "14rem" }}
            />
            <button type="submit" name="intent" value="enable" className="secondary" disabled={busy || !selected.size}>
              {t("admin.accounts.enable")}
            </button>
            <button type="submit" name="intent" value="disable" className="danger" disabled={busy || !selected.size}>
              {t("admin.accounts.disable")}
            </button>
            <ErrorList errors={errors?.reason} />
          </div>
        ) : null}
        {[...selected].map((id) => (
          <input key={id} type="hidden" name="userIds" value={id} />
        ))}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t("admin.accounts.selectAll")}
                    checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                    onChange={(e) =>
                      setSelected((s) => {
                        const next = new Set(s);
                        for (const r of rows) {
                          if (e.target.checked) next.add(r.id);
                          else next.delete(r.id);
                        }
                        return next;
                      })
                    }
                  />
                </th>
                <th>{t("admin.accounts.staffNo")}</th>
                <th>{t("admin.accounts.name")}</th>
                <th>{t("admin.accounts.unit")}</th>
                <th>{t("admin.accounts.status")}</th>
                <th>{t("admin.accounts.roles")}</th>
                <th>{t("admin.accounts.lastLogin")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input type="checkbox" aria-label={r.name} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                  </td>
                  <td>{r.staffNo}</td>
                  <td>
                    <Link to={`/admin/accounts/${r.id}`}>{r.name}</Link>
                    <div className="muted small">{r.email}</div>
                  </td>
                  <td>{r.unitName}</td>
                  <td>
                    {r.disabled ? (
                      <span className="badge warn">{t("admin.accounts.disabled")}</span>
                    ) : r.mustChangePassword ? (
                      <span className="badge">{t("admin.accounts.mustChange")}</span>
                    ) : (
                      <span className="badge ok">{t("admin.accounts.enabled")}</span>
                    )}
                  </td>
                  <td>{r.roles.map((role) => t(`roles.${role}`)).join("、")}</td>
                  <td className="small">{r.lastLoginAt ? formatDateTime(r.lastLoginAt, i18n.language) : t("admin.accounts.never")}</td>
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
      </Form>
      <Pager
        page={page}
        hasNext={page * pageSize < total}
        summary={`${t("common.total", { count: total })} · ${t("common.page", { page })}`}
      />
    </>
  );
}
