import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList, FormErrors } from "~/components/forms";
import { OneTimePasswordSheet } from "~/components/otp-sheet";
import { getAccount, issueOneTimePasswords, setAccountDisabled, setAccountRoles } from "~/modules/auth/accounts.server";
import { forbiddenResponse, notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { AccountRolesSchema, AccountToggleSchema } from "~/modules/auth/schema-admin";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";
import { GRANTED_ROLES } from "~db/schema/enums";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.account.name ?? t("admin.accounts.title"));

const Params = z.object({ userId: z.coerce.number().int().positive() });

function userIdFrom(params: unknown): number {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw notFoundResponse();
  return parsed.data.userId;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin");
  try {
    const account = await getAccount(getDb(), userIdFrom(params));
    return { account, canEditRoles: hasRole(user, "system_admin") };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin");
  const userId = userIdFrom(params);
  const formData = await request.formData();
  const actor = { userId: user.id };
  try {
    if (formData.get("intent") === "roles") {
      // Roles give powers over everyone's data: only IT's system administrators hand them out.
      if (!hasRole(user, "system_admin")) throw forbiddenResponse();
      const form = parseForm(AccountRolesSchema, formData);
      if (!form.ok) return invalidForm(form.errors);
      await setAccountRoles(getDb(), actor, userId, form.data.roles);
      return { ok: true as const, message: "admin.accounts.rolesSaved" };
    }
    const form = parseForm(AccountToggleSchema, formData);
    if (!form.ok) return invalidForm(form.errors);
    if (form.data.intent === "issue-otp") {
      return { ok: true as const, issued: await issueOneTimePasswords(getDb(), actor, [userId]) };
    }
    if (!form.data.reason) return invalidForm({ reason: ["validation.reasonRequired"] });
    await setAccountDisabled(getDb(), actor, userId, form.data.intent === "disable", form.data.reason);
    return { ok: true as const, message: form.data.intent === "disable" ? "admin.accounts.disabledDone" : "admin.accounts.enabledDone" };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Account() {
  const { t, i18n } = useTranslation();
  const { account, canEditRoles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/admin/accounts">{t("admin.accounts.title")}</Link> / {account.name}
      </div>
      <div className="page-head">
        <h1>{account.name}</h1>
        {account.disabled ? (
          <span className="badge warn">{t("admin.accounts.disabled")}</span>
        ) : (
          <span className="badge ok">{t("admin.accounts.enabled")}</span>
        )}
      </div>
      {result?.ok && result.message ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      {result?.ok && result.issued ? <OneTimePasswordSheet issued={result.issued} /> : null}
      <FormErrors errors={errors} />
      <div className="grid two">
        <section className="card">
          <h2>{t("admin.accounts.detail")}</h2>
          <dl>
            <dt className="muted small">{t("admin.accounts.staffNo")}</dt>
            <dd>{account.staffNo ?? "—"}</dd>
            <dt className="muted small">{t("admin.accounts.unit")}</dt>
            <dd>{account.unitName ?? "—"}</dd>
            <dt className="muted small">{t("admin.accounts.email")}</dt>
            <dd>{account.email ?? "—"}</dd>
            <dt className="muted small">{t("admin.accounts.lastLogin")}</dt>
            <dd>{account.lastLoginAt ? formatDateTime(account.lastLoginAt, i18n.language) : t("admin.accounts.never")}</dd>
            <dt className="muted small">{t("admin.accounts.createdAt")}</dt>
            <dd>{formatDateTime(account.createdAt, i18n.language)}</dd>
          </dl>
          {account.cadreId ? <Link to={`/cadres/${account.cadreId}`}>{t("admin.accounts.cadreRecord")} →</Link> : null}
        </section>
        <section className="card">
          <h2>{t("admin.accounts.status")}</h2>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="reason">{t("admin.accounts.reason")}</label>
              <input id="reason" name="reason" aria-invalid={errors?.reason ? true : undefined} />
              <p className="field-hint">{t("admin.accounts.reasonHint")}</p>
              <ErrorList errors={errors?.reason} />
            </div>
            <div className="actions">
              {account.disabled ? (
                <button type="submit" name="intent" value="enable" className="secondary" disabled={busy}>
                  {t("admin.accounts.enable")}
                </button>
              ) : (
                <button type="submit" name="intent" value="disable" className="danger" disabled={busy}>
                  {t("admin.accounts.disable")}
                </button>
              )}
            </div>
          </Form>
          <Form method="post" style={{ marginTop: "1rem" }}>
            <button type="submit" name="intent" value="issue-otp" className="primary" disabled={busy}>
              {t("admin.accounts.issueOtp")}
            </button>
          </Form>
        </section>
      </div>
      <section className="card">
        <h2>{t("admin.accounts.grantedRoles")}</h2>
        <p className="muted small">{t("admin.accounts.derivedRoles")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="roles" />
          <fieldset disabled={!canEditRoles} style={{ border: 0, padding: 0 }}>
            {GRANTED_ROLES.map((role) => (
              <label key={role} style={{ display: "block" }}>
                <input type="checkbox" name="roles" value={role} defaultChecked={account.roles.includes(role)} /> {t(`roles.${role}`)}
              </label>
            ))}
          </fieldset>
          <ErrorList errors={errors?.roles} />
          {canEditRoles ? (
            <button type="submit" className="secondary" disabled={busy}>
              {t("admin.accounts.saveRoles")}
            </button>
          ) : (
            <p className="muted small">{t("admin.accounts.onlySystemAdminRoles")}</p>
          )}
        </Form>
      </section>
    </>
  );
}
