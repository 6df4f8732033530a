import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { AttendanceStatusBadge } from "~/modules/attendance/components";
import { MARKABLE_STATUSES, MarkSchema, parseId } from "~/modules/attendance/schema";
import { markAttendance, type RosterRow, venueRoster } from "~/modules/attendance/venue/roster.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { sessionWhen } from "~/modules/classes/format";
import { shanghaiTimeOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.roster"));

function idOf(params: { sessionVenueId?: string }) {
  const id = parseId(params.sessionVenueId);
  if (!id) throw notFoundResponse();
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 50) ?? "";
  try {
    const roster = await venueRoster(getDb(), user, idOf(params), { q });
    return {
      ...roster,
      venue: { ...roster.venue, startsAt: roster.venue.startsAt.toISOString(), endsAt: roster.venue.endsAt.toISOString() },
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idOf(params);
  const form = parseForm(MarkSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const outcome = await markAttendance(getDb(), user, id, form.data.cadreId, form.data.status);
    return { ok: true as const, ...outcome, cadreId: form.data.cadreId };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const REFRESH_MS = 15_000;

/** The venue roster on a phone: search, one tap per status, and who is still missing. */
export default function VenueRoster() {
  const { t, i18n } = useTranslation();
  const { venue, roster, missing, q, searchLimited } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const revalidator = useRevalidator();
  const open = venue.status === "published";

  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, revalidator]);

  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance/venues">{t("attendance.venues.title")}</Link> / {venue.venueName}
      </nav>
      <div className="page-head">
        <h1>{t("attendance.roster.title", { venue: venue.venueName })}</h1>
        <Link className="button secondary" to={`/attendance/venue/${venue.sessionVenueId}/display`}>
          {t("attendance.venues.display")}
        </Link>
      </div>
      <p className="muted">
        {venue.title} · {sessionWhen(venue.startsAt, venue.endsAt, i18n.language)}
      </p>
      {!open ? (
        <p className="notice warn">
          {t(venue.status === "closed" ? "attendance.errors.closedUseCorrection" : "attendance.errors.notOpen")}
        </p>
      ) : null}
      <Form method="get" className="roster-search" role="search">
        <input
          type="search"
          name="q"
          defaultValue={params.get("q") ?? ""}
          placeholder={t("attendance.roster.searchHint")}
          aria-label={t("attendance.roster.search")}
        />
        <button type="submit" className="secondary">
          {t("attendance.roster.search")}
        </button>
      </Form>
      {q ? (
        <p className="small muted">
          {t("attendance.roster.searchResults", { count: roster.length })} · <Link to=".">{t("attendance.roster.clear")}</Link>
        </p>
      ) : (
        <section className="card roster-missing" aria-labelledby="missing">
          <h2 id="missing">{t("attendance.roster.missing", { count: missing.length })}</h2>
          {missing.length ? (
            <p className="roster-missing-names">{missing.map((m) => m.name).join("、")}</p>
          ) : (
            <p className="muted">{t("attendance.roster.noneMissing")}</p>
          )}
        </section>
      )}
      {searchLimited ? <p className="small muted">{t("attendance.roster.limited")}</p> : null}
      <ul className="roster-list">
        {roster.map((row) => (
          <RosterItem key={row.cadreId} row={row} open={open} />
        ))}
      </ul>
    </>
  );
}

function RosterItem({ row, open }: { row: RosterRow; open: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<typeof action>();
  const pending = fetcher.formData?.get("status") as RosterRow["status"] | undefined;
  const status = pending ?? row.status;
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : undefined;
  return (
    <li className={`roster-item status-${status ?? "none"}`} data-cadre={row.cadreId} data-staff-no={row.staffNo}>
      <div className="roster-who">
        <strong>{row.name}</strong> <span className="muted small">{row.staffNo}</span>
        <div className="small muted">
          {row.unitName}
          {!row.registeredHere
            ? ` · ${row.registeredVenueName ? t("attendance.roster.registeredAt", { venue: row.registeredVenueName }) : t("attendance.roster.registeredOnline")}`
            : ""}
        </div>
      </div>
      <div className="roster-state">
        <AttendanceStatusBadge status={status} />
        {row.checkedInAt && (status === "present" || status === "late") ? (
          <span className="small muted"> {shanghaiTimeOf(row.checkedInAt)}</span>
        ) : null}
        {row.onLeave ? <span className="badge">{t("attendance.roster.onLeave")}</span> : null}
        {row.walkIn ? <span className="badge">{t("attendance.roster.walkIn")}</span> : null}
      </div>
      {open ? (
        <fetcher.Form method="post" className="roster-marks">
          <input type="hidden" name="cadreId" value={row.cadreId} />
          {MARKABLE_STATUSES.map((s) => (
            <button
              key={s}
              type="submit"
              name="status"
              value={s}
              className={status === s ? "primary" : "secondary"}
              aria-pressed={status === s}
              disabled={fetcher.state !== "idle" || (!row.registeredHere && !row.seenHere && (s === "absent" || s === "excused"))}
            >
              {t(`attendance.statuses.${s}`)}
            </button>
          ))}
        </fetcher.Form>
      ) : null}
      <FormErrors errors={errors} />
    </li>
  );
}
