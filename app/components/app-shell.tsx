import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { mayOpenAttendance } from "~/modules/attendance/access";
import { mayAdminister, type Role } from "~/modules/auth/roles";
import { mayOpenClasses } from "~/modules/classes/access";
import { mayOpenFrontline } from "~/modules/frontline/access";
import { mayBrowseOrganization } from "~/modules/organization/access";
import { mayUseRankings } from "~/modules/rankings/access";
import { mayOpenRatings } from "~/modules/ratings/access";
import { mayUseShortlists } from "~/modules/shortlists/access";
import type { Locale } from "~/utils/i18n";

type ShellUser = { displayName: string; roles: Role[]; cadreId: number | null; mustChangePassword: boolean; signedIn: boolean };

type NavItem = { to: string; label: string; end?: boolean };

/**
 * The navigation: each section's page shown by the very rule its route guards with (requireAccess),
 * so the menu never offers a page that answers 403 nor hides one the role may open. The server still
 * checks every page on its own.
 */
export function navItems(user: ShellUser, t: (k: string) => string): NavItem[] {
  const sections: [boolean, NavItem][] = [
    [true, { to: "/", label: t("nav.home"), end: true }],
    [user.cadreId !== null, { to: `/cadres/${user.cadreId}`, label: t("home.myRecord") }],
    [mayOpenClasses(user), { to: "/classes", label: t("nav.classes") }],
    [mayOpenFrontline(user), { to: "/frontline", label: t("nav.frontline") }],
    [mayOpenAttendance(user), { to: "/attendance", label: t("nav.attendance") }],
    [mayBrowseOrganization(user), { to: "/units", label: t("nav.units") }],
    [mayBrowseOrganization(user), { to: "/cadres", label: t("nav.cadres"), end: true }],
    [mayUseRankings(user), { to: "/rankings", label: t("rankings.nav") }],
    [mayUseShortlists(user), { to: "/shortlists", label: t("shortlists.nav") }],
    [mayOpenRatings(user), { to: "/ratings", label: t("ratings.nav") }],
    // The administration pages share one entry; /admin lists them.
    [mayAdminister(user), { to: "/admin", label: t("nav.admin") }],
  ];
  return sections.filter(([shown]) => shown).map(([, item]) => item);
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
