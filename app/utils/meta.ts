import type { MetaDescriptor } from "@remix-run/node";
import type { TFunction } from "i18next";
import { DEFAULT_LOCALE, type Locale, toLocale, translator } from "~/utils/i18n";

/** What a title needs of Remix's meta `matches`: the root route's data carries the reader's locale. */
type Matches = ReadonlyArray<{ id: string; data: unknown }>;

function localeOf(matches: Matches): Locale {
  const data = matches.find((m) => m.id === "root")?.data;
  const locale = typeof data === "object" && data !== null && "locale" in data ? data.locale : undefined;
  return toLocale(typeof locale === "string" ? locale : undefined) ?? DEFAULT_LOCALE;
}

/**
 * The page's `<title>` in the reader's language, followed by the product name. The page's part is a
 * callback so that routes write their keys as literal `t("…")` calls, which the locales test checks.
 */
export function pageTitle(matches: Matches, page: (t: TFunction) => string): MetaDescriptor[] {
  const t = translator(localeOf(matches));
  return [{ title: `${page(t)} · ${t("app.name")}` }];
}
