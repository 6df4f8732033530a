import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/modules/auth/guards.server";
import { Figure, LeaveBadge } from "~/modules/classes/components";
import { sessionWhen } from "~/modules/classes/format";
import { parseSessionCode } from "~/modules/classes/schema";
import { unitSessionView } from "~/modules/classes/unit-views.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.unit"));

/** A unit head's or liaison's people for one session; the scope filter is inside the service's query. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "unit_head", "unit_liaison", "org_admin");
  const code = parseSessionCode(new URL(request.url).searchParams.get("session") ?? undefined);
  try {
    return await unitSessionView(getDb(), user, code);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

const STATE_TONE = {
  registered: "ok",
  waitlisted: "warn",
  leave_pending: "warn",
  on_leave: "",
  not_registered: "danger",
  cancelled: "",
} as const;

export default function UnitClasses() {
  const { t, i18n } = useTranslation();
  const { sessions, session, rows, counts, pendingLeave } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes">{t("classes.my.title")}</Link> / <span aria-current="page">{t("classes.unit.title")}</span>
      </nav>
      <div className="page-head">
        <h1>{t("classes.unit.title")}</h1>
        <Link className="button secondary" to="/classes/leave">
          {t("classes.leave.title")}
          {pendingLeave.length ? ` (${pendingLeave.length})` : ""}
        </Link>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="session">{t("classes.unit.session")}</label>
          <select id="session" name="session" defaultValue={session?.code ?? ""} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {sessions.map((s) => (
              <option key={s.code} value={s.code}>
                {formatDate(s.startsAt, i18n.language)} · {s.title}
              </option>
            ))}
          </select>
        </div>
        <noscript>
          <button type="submit" className="secondary">
            {t("actions.filter")}
          </button>
        </noscript>
      </Form>

      {session && counts ? (
        <>
          <p className="muted small">
            {session.code} · {sessionWhen(session.startsAt, session.endsAt, i18n.language)} ·{" "}
            {t(session.mandatory ? "classes.mandatory" : "classes.optional")}
          </p>
          <div className="stats" style={{ marginBottom: "1rem" }}>
            <Figure label={t("classes.unit.registered")} value={counts.registered} />
            <Figure
              label={t("classes.unit.notRegistered")}
              value={counts.notRegistered}
              tone={counts.notRegistered ? "danger" : undefined}
            />
            <Figure
              label={t("classes.unit.leavePending")}
              value={counts.leavePending}
              tone={counts.leavePending ? "warn" : undefined}
              to="/classes/leave"
            />
            <Figure label={t("classes.unit.onLeave")} value={counts.onLeave} />
          </div>
          {rows.length ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t("classes.roster.name")}</th>
                    <th>{t("classes.roster.unit")}</th>
                    <th>{t("classes.roster.rank")}</th>
                    <th>{t("classes.roster.state")}</th>
                    <th>{t("classes.roster.place")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.cadreId} data-staff-no={r.staffNo}>
                      <td>
                        {r.name} <span className="muted small">{r.staffNo}</span>
                        {r.mandatory ? null : <span className="muted small"> · {t("classes.optional")}</span>}
                      </td>
                      <td>{r.unitName}</td>
                      <td>{t(`ranks.${r.rank}`)}</td>
                      <td>
                        {r.leaveStatus ? (
                          <LeaveBadge status={r.leaveStatus} />
                        ) : (
                          <span className={`badge ${STATE_TONE[r.state]}`}>{t(`classes.unit.states.${r.state}`)}</span>
                        )}
                      </td>
                      <td>
                        {r.place === "online" ? t("classes.online") : (r.place ?? "—")}
                        {r.waitlistVenueName ? (
                          <div className="muted small">{t("classes.my.waiting", { venue: r.waitlistVenueName })}</div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="card muted">{t("classes.unit.nobody")}</p>
          )}
        </>
      ) : (
        <p className="card muted">{t("classes.unit.noSessions")}</p>
      )}
    </>
  );
}
