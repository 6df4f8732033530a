import type { DbOrTx } from "~db/client";
import { checkInSigningKey } from "../checkin/secret.server";
import { cachedAttendanceRules } from "../settings.server";
import { qrSvg } from "./qrcode.server";
import { displayCode, type VenueCaller, venueCounts, venueForStaff } from "./venues.server";

/**
 * What a venue display shows, and what it polls for: the current code (its address and SVG), when to
 * fetch the next, and the live counts. The code is only made while check-in is possible; before and
 * after, the display says why there is none.
 */
export async function venueDisplay(db: DbOrTx, caller: VenueCaller, sessionVenueId: number, options: { origin: string; now?: Date }) {
  const now = options.now ?? new Date();
  const venue = await venueForStaff(db, caller, sessionVenueId);
  const [rules, key, counts] = await Promise.all([cachedAttendanceRules(db), checkInSigningKey(db), venueCounts(db, venue)]);
  const opensAt = new Date(venue.startsAt.getTime() - rules.opensMinutesBefore * 60_000);
  const phase =
    venue.status === "closed"
      ? "closed"
      : venue.status !== "published"
        ? "notOpen"
        : now < opensAt
          ? "notYet"
          : now > venue.endsAt
            ? "ended"
            : "open";
  let code: (ReturnType<typeof displayCode> & { svg: string }) | null = null;
  if (phase === "open") {
    const made = displayCode(key, venue, options.origin, rules.rotationSeconds, now);
    code = { ...made, svg: await qrSvg(made.url) };
  }
  return {
    venue: {
      sessionVenueId: venue.sessionVenueId,
      venueName: venue.venueName,
      venueAddress: venue.venueAddress,
      code: venue.code,
      title: venue.title,
      lecturer: venue.lecturer,
      startsAt: venue.startsAt.toISOString(),
      endsAt: venue.endsAt.toISOString(),
      status: venue.status,
    },
    phase,
    opensAt: opensAt.toISOString(),
    graceUntil: new Date(venue.startsAt.getTime() + rules.graceMinutes * 60_000).toISOString(),
    rotationSeconds: rules.rotationSeconds,
    code,
    counts,
    serverTime: now.toISOString(),
  };
}

export type VenueDisplay = Awaited<ReturnType<typeof venueDisplay>>;
