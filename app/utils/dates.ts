/** All dates are shown in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export const TIME_ZONE = "Asia/Shanghai";

function fmt(locale: string, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", { timeZone: TIME_ZONE, ...options });
}

export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  const d = typeof value === "string" ? new Date(value) : value;
  return fmt(locale, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

export function formatDate(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  // A bare calendar date (YYYY-MM-DD) has no time zone: show it as it is.
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = typeof value === "string" ? new Date(value) : value;
  return fmt(locale, { year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

/** Today's calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function todayInShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The instant a Shanghai calendar date begins. */
export function shanghaiMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}
