import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList, FormErrors } from "~/components/forms";
import { OneTimePasswordSheet } from "~/components/otp-sheet";
import { accountSecurityState, endAccountSessions, unlockAccount } from "~/modules/auth/account-security.server";
import { getAccount, issueOneTimePasswords, setAccountDisabled, setAccountRoles } from "~/modules/auth/accounts.server";
import { describeDevice } from "~/modules/auth/devices";
import { forbiddenResponse, notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { AccountRolesSchema, AccountSecuritySchema, AccountToggleSchema } from "~/modules/auth/schema-admin";
import { resetSecondFactor } from "~/modules/auth/second-factor.server";
import { recentSecurityEvents } from "~/modules/security/events.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";
import { GRANTED_ROLES } from "~db/schema/enums";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.account.name ?? t("admin.accounts.title"));

const Params = z.object({ userId: z.coerce.number().int().positive().max(2_147_483_647) });

function userIdFrom(params: unknown): number {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw notFoundResponse();
  return parsed.data.userId;
}

/**
 * One account. Who may do what follows the separated duties (三员分立): the organization department
 * and the system administrator open, close and give one-time passwords; the security administrator
 * grants roles, resets second factors, ends sessions and lifts locks, and sees the account's security
 * log. Every act is audited with its reason.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin", "security_admin");
  const db = getDb();
  try {
    const userId = userIdFrom(params);
    const account = await getAccount(db, userId);
    const security = hasRole(user, "security_admin");
    return {
      account,
      canManage: hasRole(user, "org_admin", "system_admin"),
      canSecure: security,
      state: security ? await accountSecurityState(db, userId) : null,
      events: security ? await recentSecurityEvents(db, userId, 15) : [],
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin", "security_admin");
  const userId = userIdFrom(params);
  const formData = await request.formData();
  const actor = { userId: user.id };
  const db = getDb();
  try {
    const intent = formData.get("intent");
    if (intent === "roles" || intent === "reset-second-factor" || intent === "end-sessions" || intent === "unlock") {
      if (!hasRole(user, "security_admin")) throw forbiddenResponse();
      if (intent === "roles") {
        const form = parseForm(AccountRolesSchema, formData);
        if (!form.ok) return invalidForm(form.errors);
        await setAccountRoles(db, actor, userId, form.data.roles);
        return { ok: true as const, message: "admin.accounts.rolesSaved" };
      }
      const form = parseForm(AccountSecuritySchema, formData);
      if (!form.ok) return invalidForm(form.errors);
      const origin = requestOrigin(request);
      if (form.data.intent === "reset-second-factor") {
        await resetSecondFactor(db, { userId: user.id, name: user.displayName }, userId, form.data.reason, origin);
        return { ok: true as const, message: "admin.security.resetDone" };
      }
      if (form.data.intent === "end-sessions") {
        await endAccountSessions(db, actor, userId, form.data.reason, origin);
        return { ok: true as const, message: "admin.security.sessionsEnded" };
      }
      await unlockAccount(db, actor, userId, form.data.reason, origin);
      return { ok: true as const, message: "admin.security.unlocked" };
    }
    if (!hasRole(user, "org_admin", "system_admin")) throw forbiddenResponse();
    const form = parseForm(AccountToggleSchema, formData);
    if (!form.ok) return invalidForm(form.errors);
    if (form.data.intent === "issue-otp") {
      return { ok: true as const, issued: await issueOneTimePasswords(db, actor, [userId]) };
    }
    if (!form.data.reason) return invalidForm({ reason: ["validation.reasonRequired"] });
    await setAccountDisabled(db, actor, userId, form.data.intent === "disable", form.data.reason);
    return { ok: true as const, message: form.data.intent === "disable" ? "admin.accounts.disabledDone" : "admin.accounts.enabledDone" };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Account() {
  const { t, i18n } = useTranslation();
  const { account, canManage, canSecure, state, events } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  const at = (v: string | Date | null | undefined) => (v ? formatDateTime(v, i18n.language) : "—");
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
        {state?.lockedUntil ? <span className="badge danger">{t("admin.security.lockedUntil", { at: at(state.lockedUntil) })}</span> : null}
      </div>
      {result?.ok && "message" in result && result.message ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      {result?.ok && "issued" in result && result.issued ? <OneTimePasswordSheet issued={result.issued} /> : null}
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
            <dd>{account.lastLoginAt ? at(account.lastLoginAt) : t("admin.accounts.never")}</dd>
            <dt className="muted small">{t("admin.accounts.passwordChanged")}</dt>
            <dd>
              {at(account.passwordChangedAt)}
              {account.oneTimePasswordExpiresAt ? ` · ${t("admin.accounts.otpExpires", { at: at(account.oneTimePasswordExpiresAt) })}` : ""}
            </dd>
            <dt className="muted small">{t("admin.accounts.secondFactor")}</dt>
            <dd>
              {account.secondFactorEnrolledAt
                ? t("admin.accounts.secondFactorSince", { at: at(account.secondFactorEnrolledAt) })
                : t("admin.accounts.secondFactorNone")}
            </dd>
            <dt className="muted small">{t("admin.accounts.createdAt")}</dt>
            <dd>{at(account.createdAt)}</dd>
          </dl>
          {account.cadreId && canManage ? <Link to={`/cadres/${account.cadreId}`}>{t("admin.accounts.cadreRecord")} →</Link> : null}
        </section>
        {canManage ? (
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
              {account.disabled && account.hasPassword ? <p className="field-hint">{t("admin.accounts.otpKeepsDisabled")}</p> : null}
            </Form>
          </section>
        ) : null}
        {canSecure && state ? (
          <section className="card">
            <h2>{t("admin.security.accountTitle")}</h2>
            <p className="muted small">{t("admin.security.sessionsCount", { count: state.sessions.length })}</p>
            <Form method="post" className="stack">
              <div className="field">
                <label htmlFor="security-reason">{t("admin.accounts.reason")}</label>
                <input id="security-reason" name="reason" aria-invalid={errors?.reason ? true : undefined} />
                <p className="field-hint">{t("admin.security.reasonHint")}</p>
                <ErrorList errors={errors?.reason} />
              </div>
              <div className="actions">
                <button
                  type="submit"
                  name="intent"
                  value="reset-second-factor"
                  className="danger"
                  disabled={busy || !account.secondFactorEnrolledAt}
                >
                  {t("admin.security.resetSecondFactor")}
                </button>
                <button type="submit" name="intent" value="end-sessions" className="secondary" disabled={busy || !state.sessions.length}>
                  {t("admin.security.endSessions")}
                </button>
                {state.lockedUntil ? (
                  <button type="submit" name="intent" value="unlock" className="secondary" disabled={busy}>
                    {t("admin.security.unlock")}
                  </button>
                ) : null}
              </div>
            </Form>
          </section>
        ) : null}
      </div>
      <section className="card">
        <h2>{t("admin.accounts.grantedRoles")}</h2>
        <p className="muted small">{t("admin.accounts.derivedRoles")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="roles" />
          <fieldset disabled={!canSecure} style={{ border: 0, padding: 0 }}>
            {GRANTED_ROLES.map((role) => (
              <label key={role} style={{ display: "block" }}>
                <input type="checkbox" name="roles" value={role} defaultChecked={account.roles.includes(role)} /> {t(`roles.${role}`)}
              </label>
            ))}
          </fieldset>
          <ErrorList errors={errors?.roles} />
          {canSecure ? (
            <>
              <p className="field-hint">{t("admin.accounts.dutiesHint")}</p>
              <button type="submit" className="secondary" disabled={busy}>
                {t("admin.accounts.saveRoles")}
              </button>
            </>
          ) : (
            <p className="muted small">{t("admin.accounts.onlySecurityAdminRoles")}</p>
          )}
        </Form>
      </section>
      {canSecure && state ? (
        <section className="card">
          <h2>{t("admin.security.signIns")}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("account.sessions.device")}</th>
                  <th>{t("account.sessions.address")}</th>
                  <th>{t("account.sessions.started")}</th>
                  <th>{t("account.sessions.lastUsed")}</th>
                </tr>
              </thead>
              <tbody>
                {state.sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{describeDevice(s.userAgent, t)}</td>
                    <td>{s.address || "—"}</td>
                    <td className="small">{at(s.createdAt)}</td>
                    <td className="small">{at(s.lastSeenAt)}</td>
                  </tr>
                ))}
                {state.sessions.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="muted">
                      {t("account.sessions.none")}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <h3>{t("admin.security.recentEvents")}</h3>
          <ul className="small">
            {events.map((e) => (
              <li key={e.id}>
                {at(e.at)} · {t(`security.events.kinds.${e.kind}`)}
                {e.reason ? ` · ${t(`security.events.reasons.${e.reason}`, { defaultValue: e.reason })}` : ""}
                {e.address ? ` · ${e.address}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
