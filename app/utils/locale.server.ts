import { readCookie } from "~/modules/auth/guards.server";
import type { CurrentUser } from "~/modules/auth/roles";
import { DEFAULT_LOCALE, LOCALE_COOKIE, type Locale, toLocale } from "./i18n";

/** The language chosen on this device, else the account's, else Chinese. */
export function getLocale(request: Request, user?: Pick<CurrentUser, "locale"> | null): Locale {
  return toLocale(readCookie(request, LOCALE_COOKIE)) ?? toLocale(user?.locale) ?? DEFAULT_LOCALE;
}

export function localeCookie(locale: Locale): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
