import type { CurrentUser } from "~/modules/auth/roles";
import { readCookie, setCookie } from "./cookies.server";
import { DEFAULT_LOCALE, LOCALE_COOKIE, type Locale, toLocale } from "./i18n";

/** The language chosen on this device, else the account's, else Chinese. */
export function getLocale(request: Request, user?: Pick<CurrentUser, "locale"> | null): Locale {
  return toLocale(readCookie(request, LOCALE_COOKIE)) ?? toLocale(user?.locale) ?? DEFAULT_LOCALE;
}

export function localeCookie(locale: Locale): string {
  return setCookie(LOCALE_COOKIE, locale, { maxAge: 365 * 86_400 });
}
