import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listVenuesToRun } from "~/modules/attendance/venue/venues.server";
import { requireUser } from "~/modules/auth/guards.server";
import { sessionWhen } from "~/modules/classes/format";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.venues"));

/** Where venue staff start: the session venues they run (org admins: all), tonight's first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    const venues = await listVenuesToRun(getDb(), user);
    return { venues: venues.map((v) => ({ ...v, startsAt: v.startsAt.toISOString(), endsAt: v.endsAt.toISOString() })) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function VenuesToRun() {
  const { t, i18n } = useTranslation();
  const { venues } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance">{t("attendance.title")}</Link> / {t("attendance.venues.title")}
      </nav>
      <div className="page-head">
        <h1>{t("attendance.venues.title")}</h1>
        <Link className="button secondary" to="/admin/imports">
          {t("attendance.venues.importLog")}
        </Link>
      </div>
      {venues.length === 0 ? <p className="card muted">{t("attendance.venues.none")}</p> : null}
      <ul className="attendance-venues">
        {venues.map((v) => (
          <li key={v.sessionVenueId} className={`card${v.live ? " live" : ""}`} data-session-venue={v.sessionVenueId}>
            <div className="attendance-venue-head">
              <strong>{v.venueName}</strong>
              {v.live ? <span className="badge ok">{t("attendance.venues.live")}</span> : null}
              {v.status === "closed" ? <span className="badge">{t("attendance.venues.closed")}</span> : null}
            </div>
            <p className="attendance-venue-title">{v.title}</p>
            <p className="muted small">
              {sessionWhen(v.startsAt, v.endsAt, i18n.language)} ·{" "}
              {t("attendance.venues.counts", { checkedIn: v.checkedIn, expected: v.expected })}
            </p>
            <div className="actions">
              <Link className="button" to={`/attendance/venue/${v.sessionVenueId}/display`}>
                {t("attendance.venues.display")}
              </Link>
              <Link className="button secondary" to={`/attendance/venue/${v.sessionVenueId}/roster`}>
                {t("attendance.venues.roster")}
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
