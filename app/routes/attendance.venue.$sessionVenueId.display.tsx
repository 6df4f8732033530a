import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseId } from "~/modules/attendance/schema";
import { type VenueDisplay, venueDisplay } from "~/modules/attendance/venue/display.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { sessionWhen } from "~/modules/classes/format";
import { shanghaiTimeOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("attendance.titles.display", { venue: data.venue.venueName }) : t("attendance.titles.scan")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.sessionVenueId);
  if (!id) throw notFoundResponse();
  try {
    return await venueDisplay(getDb(), user, id, { origin: appOrigin() });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

const POLL_MS = 4000;

/**
 * The venue's screen: the rotating code, big enough to scan from a few metres, and the live counts.
 * It polls the live route every few seconds (and right when the code turns over) without reloading.
 */
export default function VenueDisplayPage() {
  const { t, i18n } = useTranslation();
  const initial = useLoaderData<typeof loader>() as unknown as VenueDisplay;
  const [state, setState] = useState(initial);
  const [offline, setOffline] = useState(false);
  // The polling loop reads its own latest answer from here, so it runs once rather than restarting on every state change.
  const latest = useRef(initial);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next = latest.current;
      try {
        const res = await fetch(`/attendance/venue/${initial.venue.sessionVenueId}/live`, {
          headers: { Accept: "application/json" },
          cache: "no-store",
        });
        if (!res.ok) throw new Error(String(res.status));
        next = (await res.json()) as VenueDisplay;
        latest.current = next;
        if (!stopped) {
          setState(next);
          setOffline(false);
        }
      } catch {
        if (!stopped) setOffline(true);
      }
      if (stopped) return;
      // Poll every few seconds, and exactly when the code turns over.
      const turn = next.code ? new Date(next.code.nextAt).getTime() - Date.now() + 150 : POLL_MS;
      timer = setTimeout(poll, Math.max(500, Math.min(POLL_MS, turn)));
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [initial.venue.sessionVenueId]);

  const { venue, counts, code, phase } = state;
  const expected = counts.expected - counts.onLeave;
  return (
    <section className="venue-display" data-phase={phase}>
      <header className="venue-display-head">
        <div>
          <p className="venue-display-venue">{venue.venueName}</p>
          <h1>{venue.title}</h1>
          <p className="muted">{sessionWhen(venue.startsAt, venue.endsAt, i18n.language)}</p>
        </div>
        <div className="actions no-print">
          <button type="button" className="secondary" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}>
            {t("attendance.display.fullscreen")}
          </button>
          <Link className="button secondary" to={`/attendance/venue/${venue.sessionVenueId}/roster`}>
            {t("attendance.display.roster")}
          </Link>
        </div>
      </header>
      <div className="venue-display-body">
        <div className="venue-display-code">
          {code ? (
            <>
              <div
                className="venue-qr"
                role="img"
                aria-label={t("attendance.display.qrLabel")}
                data-checkin-url={code.url}
                data-window={code.window}
                // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is made on the server by the qrcode package from our own URL
                dangerouslySetInnerHTML={{ __html: code.svg }}
              />
              <p className="venue-display-hint">{t("attendance.display.scanHint")}</p>
              <p className="muted small">{t("attendance.display.rotates", { seconds: state.rotationSeconds })}</p>
            </>
          ) : (
            <div className="venue-qr-none" role="status">
              <p>{t(`attendance.display.phase.${phase}`, { time: shanghaiTimeOf(state.opensAt) })}</p>
            </div>
          )}
        </div>
        <div className="venue-display-figures">
          <div className="venue-count" data-testid="checked-in">
            <span className="venue-count-value">{counts.checkedIn}</span>
            <span className="venue-count-label">
              {t("attendance.display.checkedIn")} / {t("attendance.display.expected", { count: expected })}
            </span>
          </div>
          <div className="stats">
            <div className="stat">
              <div className="stat-value">{counts.expected}</div>
              <div className="stat-label">{t("attendance.display.registered")}</div>
            </div>
            <div className="stat">
              <div className="stat-value">{counts.onLeave}</div>
              <div className="stat-label">{t("attendance.display.onLeave")}</div>
            </div>
            <div className="stat">
              <div className="stat-value">{counts.late}</div>
              <div className="stat-label">{t("attendance.display.late")}</div>
            </div>
            <div className="stat">
              <div className="stat-value">{Math.max(0, expected - counts.checkedIn)}</div>
              <div className="stat-label">{t("attendance.display.missing")}</div>
            </div>
          </div>
          <h2>{t("attendance.display.latest")}</h2>
          {counts.latest.length ? (
            <ol className="venue-latest">
              {counts.latest.map((l, i) => (
                <li key={`${l.name}-${l.at}-${i}`}>
                  <span>{l.name}</span>
                  <span className={l.status === "late" ? "badge warn" : "badge ok"}>
                    {l.at ? shanghaiTimeOf(l.at) : ""} {t(`attendance.statuses.${l.status}`)}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">{t("attendance.display.nobodyYet")}</p>
          )}
          {offline ? (
            <p className="notice warn" role="status">
              {t("attendance.display.offline")}
            </p>
          ) : null}
        </div>
      </div>
    </section>
  );
}
