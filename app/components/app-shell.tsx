import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Role } from "~/modules/auth/roles";
import type { Locale } from "~/utils/i18n";

type ShellUser = { displayName: string; roles: Role[]; cadreId: number | null; mustChangePassword: boolean; signedIn: boolean };

type NavItem = { to: string; label: string; end?: boolean };

/** The navigation follows the roles; the server still checks every page on its own. */
export function navItems(user: ShellUser, t: (k: string) => string): NavItem[] {
  const has = (...roles: Role[]) => roles.some((r) => user.roles.includes(r));
  const items: NavItem[] = [{ to: "/", label: t("nav.home"), end: true }];
  if (user.cadreId) items.push({ to: `/cadres/${user.cadreId}`, label: t("home.myRecord") });
  // Each capability's pages start at one address and show what the role may see there.
  if (user.cadreId || has("org_admin")) {
    items.push({ to: "/classes", label: t("nav.classes") }, { to: "/frontline", label: t("nav.frontline") });
  }
  if (user.cadreId || has("org_admin", "venue_staff")) items.push({ to: "/attendance", label: t("nav.attendance") });
  if (has("org_admin", "unit_head", "unit_liaison")) {
    items.push({ to: "/units", label: t("nav.units") }, { to: "/cadres", label: t("nav.cadres"), end: true });
  }
  if (has("org_admin", "unit_head")) items.push({ to: "/rankings", label: t("rankings.nav") });
  if (has("org_admin", "unit_head", "unit_liaison")) items.push({ to: "/shortlists", label: t("shortlists.nav") });
  if (has("org_admin", "unit_head", "unit_liaison")) items.push({ to: "/ratings", label: t("ratings.nav") });
  // The administration pages share one entry; /admin lists them.
  if (has("org_admin", "system_admin", "security_admin", "audit_admin")) items.push({ to: "/admin", label: t("nav.admin") });
  return items;
}

export function AppShell({ user, locale, children }: { user: ShellUser | null; locale: Locale; children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  // Half-way through signing in (second factor, a password to replace) there is nowhere else to go.
  const items = user?.signedIn ? navItems(user, t) : [];
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden>
            落
          </span>
          <span className="brand-name">{t("app.name")}</span>
          <span className="brand-tagline">{t("app.tagline")}</span>
        </Link>
        {items.length ? (
          <nav className="mainnav" aria-label={t("nav.menu")}>
            {items.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end} prefetch="intent">
                {item.label}
              </NavLink>
            ))}
          </nav>
        ) : null}
        <div className="topbar-tools">
          <Form method="post" action="/locale" className="inline-form">
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            <button
              type="submit"
              name="locale"
              value={locale === "en" ? "zh-CN" : "en"}
              className="link-button"
              lang={locale === "en" ? "zh-CN" : "en"}
              data-testid="switch-locale"
            >
              {locale === "en" ? "中文" : "English"}
            </button>
          </Form>
          {user ? (
            <>
              <Link to="/account" className="user-name" title={t("nav.account")}>
                {user.displayName}
              </Link>
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="link-button">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : location.pathname !== "/login" ? (
            <Link to="/login">{t("nav.signIn")}</Link>
          ) : null}
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
