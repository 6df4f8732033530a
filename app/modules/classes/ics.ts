import { translator } from "~/utils/i18n";
import { buildCalendar } from "~/utils/ical.server";

export interface CalendarEvent {
  code: string;
  title: string;
  lecturer: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  revision: number;
  place: string | null;
  url: string;
}

/**
 * Night-class sessions as an iCalendar file (the app's one builder, ~/utils/ical.server). Each session
 * keeps one UID, so a calendar that subscribed or imported it replaces the event when the time changes
 * (SEQUENCE = revision) or it is cancelled.
 */
export function classCalendar(name: string, events: CalendarEvent[], options: { method?: "publish" } = {}): string {
  const t = translator("zh-CN");
  return buildCalendar({
    name,
    product: "night-classes",
    method: options.method,
    events: events.map((e) => ({
      uid: `class-${e.code}@luoshi`,
      sequence: e.revision,
      start: e.startsAt,
      end: e.endsAt,
      summary: `${t("classes.calendar.prefix")}${e.title}`,
      description: [e.lecturer ? `${t("classes.email.lecturer")}：${e.lecturer}` : "", e.url].filter(Boolean).join("\n"),
      location: e.place ?? t("classes.online"),
      url: e.url,
      cancelled: e.status === "cancelled",
    })),
  });
}
