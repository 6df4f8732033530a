import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/modules/auth/guards.server";
import { isAdministrative } from "~/modules/auth/roles";
import { secondFactorStatus } from "~/modules/auth/second-factor.server";
import { listUserSessions } from "~/modules/auth/session.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("account.title"));

/** One's own account: password, second factor, sign-ins. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [secondFactor, sessions] = await Promise.all([secondFactorStatus(db, user.id), listUserSessions(db, user.id)]);
  return {
    name: user.displayName,
    roles: user.roles,
    secondFactor,
    mandatory: isAdministrative(user.roles),
    sessions: sessions.length,
  };
}

export default function AccountHome() {
  const { t } = useTranslation();
  const { name, roles, secondFactor, mandatory, sessions } = useLoaderData<typeof loader>();
  const cards = [
    { to: "/account/password", title: t("auth.changePasswordTitle"), text: t("account.passwordText") },
    {
      to: "/account/second-factor",
      title: t("auth.secondFactor.manageTitle"),
      text: secondFactor.enrolled
        ? t("account.secondFactorOn", { count: secondFactor.recoveryCodesLeft })
        : t(mandatory ? "account.secondFactorRequired" : "account.secondFactorOff"),
    },
    { to: "/account/sessions", title: t("account.sessions.title"), text: t("account.sessionsText", { count: sessions }) },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{t("account.title")}</h1>
        <div className="actions">
          {roles.map((r) => (
            <span key={r} className="badge">
              {t(`roles.${r}`)}
            </span>
          ))}
        </div>
      </div>
      <p className="muted">{name}</p>
      <div className="grid two">
        {cards.map((c) => (
          <Link key={c.to} to={c.to} className="card" style={{ textDecoration: "none", color: "inherit" }}>
            <h2 style={{ marginTop: 0 }}>{c.title}</h2>
            <p className="muted">{c.text}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
