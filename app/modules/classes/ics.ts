import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { translator } from "~/utils/i18n";
import { shanghaiLocalInput } from "./format";

const TZ = "Asia/Shanghai";
/** China keeps UTC+8 all year: one fixed rule is the whole time zone. */
const VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  `TZID:${TZ}`,
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

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
 * An iCalendar file in Asia/Shanghai. Each session keeps one UID, so a calendar that subscribed or
 * imported it replaces the event when the time changes (SEQUENCE = revision) or it is cancelled.
 */
export function buildCalendar(name: string, events: CalendarEvent[], options: { method?: "publish" } = {}): string {
  const t = translator("zh-CN");
  const calendar = ical({
    name,
    timezone: { name: TZ, generator: () => VTIMEZONE },
    prodId: { company: "luoshi", product: "night-classes", language: "ZH" },
  });
  if (options.method) calendar.method(ICalCalendarMethod.PUBLISH);
  for (const e of events) {
    calendar.createEvent({
      id: `class-${e.code}@luoshi`,
      sequence: e.revision,
      // Wall-clock strings with the zone named: the file then reads 19:30 in Shanghai on any server.
      start: `${shanghaiLocalInput(e.startsAt)}:00`,
      end: `${shanghaiLocalInput(e.endsAt)}:00`,
      timezone: TZ,
      summary: `${t("classes.calendar.prefix")}${e.title}`,
      description: [e.lecturer ? `${t("classes.email.lecturer")}：${e.lecturer}` : "", e.url].filter(Boolean).join("\n"),
      location: e.place ?? t("classes.online"),
      url: e.url,
      status: e.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
