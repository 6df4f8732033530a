import i18next, { type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { resources } from "~/locales";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const LOCALE_COOKIE = "luoshi_lng";

export function toLocale(value: string | null | undefined): Locale | undefined {
  if (!value) return undefined;
  if (value === "en" || value.startsWith("en-")) return "en";
  if (value === "zh" || value.startsWith("zh")) return "zh-CN";
  return undefined;
}

/** A fresh instance per request on the server and per locale in the browser; resources are bundled. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // i18next otherwise prints an advert to stdout on first use, into the CLI's piped output.
    showSupportNotice: false,
  });
  return instance;
}

const fixed = new Map<Locale, TFunction>();
/** A translator for server-side text (emails, exports, CLI). */
export function translator(locale: Locale): TFunction {
  let t = fixed.get(locale);
  if (!t) {
    t = createI18n(locale).t;
    fixed.set(locale, t);
  }
  return t;
}
