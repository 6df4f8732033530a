import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAccess } from "~/modules/auth/guards.server";
import { hasRole, mayAdminister, type Role } from "~/modules/auth/roles";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.index.title"));

/** The administration pages this user may open; each page checks its own role again. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayAdminister);
  const is = (...roles: Role[]) => hasRole(user, ...roles);
  const pages = [
    ...(is("org_admin", "system_admin") ? [{ to: "/admin/accounts", title: "nav.accounts", description: "admin.index.accounts" }] : []),
    ...(is("security_admin") && !is("org_admin", "system_admin")
      ? [{ to: "/admin/accounts", title: "nav.accounts", description: "admin.index.accountsSecurity" }]
      : []),
    ...(is("org_admin", "system_admin") ? [{ to: "/admin/outbox", title: "email.outbox.title", description: "admin.index.outbox" }] : []),
    ...(is("org_admin") ? [{ to: "/admin/imports", title: "nav.imports", description: "admin.index.imports" }] : []),
    ...(is("security_admin") ? [{ to: "/admin/security", title: "admin.security.policyTitle", description: "admin.index.security" }] : []),
    ...(is("org_admin", "audit_admin") ? [{ to: "/admin/audit", title: "nav.audit", description: "admin.index.audit" }] : []),
    ...(is("audit_admin")
      ? [{ to: "/admin/security-events", title: "security.events.title", description: "admin.index.securityEvents" }]
      : []),
  ];
  return { pages };
}

export default function AdminIndex() {
  const { t } = useTranslation();
  const { pages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("admin.index.title")}</h1>
      <div className="grid two">
        {pages.map((p) => (
          <Link key={p.to} to={p.to} className="card" style={{ textDecoration: "none", color: "inherit" }}>
            <h2 style={{ marginTop: 0 }}>{t(p.title)}</h2>
            <p className="muted">{t(p.description)}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
