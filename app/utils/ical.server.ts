import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { shanghaiLocalSeconds, TIME_ZONE } from "./dates";
import { singleLine, withoutControlCharacters } from "./text";

/**
 * The one iCalendar builder (night-class sessions, ranking meetings). Events are written in
 * Asia/Shanghai wall-clock time with the zone named and its definition included, so the file reads
 * 19:30 in Shanghai on any device. Text from users (titles, places) is stripped of control characters
 * before ical-generator escapes it, so no value can start a line of its own.
 *
 *   buildCalendar({ name: "夜课堂", product: "night-classes", events: [{ uid, sequence, start, end, summary, … }] })
 */
export interface CalendarEventInput {
  /** Stable per event: a calendar that imported the file replaces the event on a new SEQUENCE. */
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string | null;
  url?: string;
  cancelled?: boolean;
}

/** China keeps UTC+8 all year: one fixed rule is the whole time zone. */
const VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  `TZID:${TIME_ZONE}`,
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

export function buildCalendar(options: { name: string; product: string; method?: "publish"; events: CalendarEventInput[] }): string {
  const calendar = ical({
    name: singleLine(options.name),
    timezone: { name: TIME_ZONE, generator: () => VTIMEZONE },
    prodId: { company: "luoshi", product: options.product, language: "ZH" },
  });
  if (options.method) calendar.method(ICalCalendarMethod.PUBLISH);
  for (const e of options.events) {
    calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      start: shanghaiLocalSeconds(e.start),
      end: shanghaiLocalSeconds(e.end),
      timezone: TIME_ZONE,
      summary: singleLine(e.summary),
      description: e.description === undefined ? undefined : withoutControlCharacters(e.description),
      location: e.location == null ? undefined : singleLine(e.location),
      url: e.url ? singleLine(e.url) : undefined,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
