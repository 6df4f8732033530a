import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAccess } from "~/modules/auth/guards.server";
import { hasRole, mayAdminister } from "~/modules/auth/roles";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.index.title"));

/** The administration pages this user may open; each page checks its own role again. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayAdminister);
  const pages = [
    { to: "/admin/accounts", title: "nav.accounts", description: "admin.index.accounts" },
    { to: "/admin/outbox", title: "email.outbox.title", description: "admin.index.outbox" },
    ...(hasRole(user, "org_admin") ? [{ to: "/admin/imports", title: "nav.imports", description: "admin.index.imports" }] : []),
    { to: "/admin/audit", title: "nav.audit", description: "admin.index.audit" },
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
