import { shanghaiDateOf, TIME_ZONE } from "~/utils/dates";

/** How a session's time reads, in Asia/Shanghai: "2026/11/25（周三）19:30–21:00". Used by pages and emails alike. */
export function sessionWhen(startsAt: Date | string, endsAt: Date | string, locale: string): string {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const tag = locale === "en" ? "en-GB" : "zh-CN";
  const date = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(start);
  const weekday = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, weekday: "short" }).format(start);
  const clock = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false });
  const until = shanghaiDateOf(start) === shanghaiDateOf(end) ? clock.format(end) : `${shanghaiDateOf(end)} ${clock.format(end)}`;
  const times = `${clock.format(start)}–${until}`;
  return locale === "en" ? `${weekday} ${date}, ${times}` : `${date}（${weekday}）${times}`;
}

/** Training hours as people write them: 1.5, 2. */
export function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
}
