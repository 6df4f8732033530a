import { readCookie } from "~/utils/cookies.server";
import { type Locale, toLocale } from "~/utils/i18n";
import { getLocale, localeCookie } from "~/utils/locale.server";
import { preferenceCookie } from "../device.server";

/**
 * What the public page reads from a request besides the rating: the reader's language and type size,
 * which a link switches (?lng=, ?text=)
 * by setting a cookie and coming back to the clean address.
 */

export const TEXT_SIZE_COOKIE = "luoshi_text";
export type TextSize = "normal" | "large";

export interface PublicPreferences {
  locale: Locale;
  textSize: TextSize;
  /** Set when the address asked for a switch: answer with these cookies and a redirect to `cleanUrl`. */
  switchTo: { cookies: string[]; cleanUrl: string } | null;
}

export function publicPreferences(request: Request): PublicPreferences {
  const url = new URL(request.url);
  const cookies: string[] = [];
  const askedLocale = toLocale(url.searchParams.get("lng"));
  const askedSize = url.searchParams.get("text");
  if (askedLocale) cookies.push(localeCookie(askedLocale));
  if (askedSize === "large" || askedSize === "normal") cookies.push(preferenceCookie(TEXT_SIZE_COOKIE, askedSize));
  const textSize: TextSize = (askedSize ?? readCookie(request, TEXT_SIZE_COOKIE)) === "large" ? "large" : "normal";
  const locale = askedLocale ?? getLocale(request);
  if (!url.searchParams.has("lng") && !url.searchParams.has("text")) return { locale, textSize, switchTo: null };
  url.searchParams.delete("lng");
  url.searchParams.delete("text");
  return { locale, textSize, switchTo: { cookies, cleanUrl: url.pathname + url.search } };
}
