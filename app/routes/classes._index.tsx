import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAccess, requireRole } from "~/modules/auth/guards.server";
import { mayOpenClasses } from "~/modules/classes/access";
import { myClasses } from "~/modules/classes/cadre-views.server";
import { issueFeedToken } from "~/modules/classes/calendar.server";
import { LeaveBadge, SessionStatusBadge } from "~/modules/classes/components";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.index"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayOpenClasses);
  return { ...(await myClasses(getDb(), user)), origin: appOrigin() };
}

const FeedSchema = z.object({ intent: z.enum(["createFeed", "resetFeed"], { error: "validation.invalid" }) });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "cadre");
  const form = parseForm(FeedSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await issueFeedToken(getDb(), user, { reset: form.data.intent === "resetFeed" });
    return { ok: true as const, message: form.data.intent === "resetFeed" ? "classes.feed.resetDone" : "classes.feed.created" };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function MyClasses() {
  const { t, i18n } = useTranslation();
  const { cadre, upcoming, past, feedToken, links, origin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const feedUrl = feedToken ? `${origin}/classes/calendar/${feedToken}.ics` : null;
  return (
    <>
      <div className="page-head">
        <h1>{t("classes.my.title")}</h1>
        <div className="actions">
          {links.unit ? (
            <>
              <Link className="button secondary" to="/classes/unit">
                {t("classes.unit.title")}
              </Link>
              <Link className="button secondary" to="/classes/leave">
                {t("classes.leave.title")}
              </Link>
            </>
          ) : null}
          {links.admin ? (
            <Link className="button secondary" to="/classes/admin">
              {t("classes.admin.title")}
            </Link>
          ) : null}
        </div>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}

      {cadre ? (
        <>
          <section aria-labelledby="upcoming">
            <h2 id="upcoming">{t("classes.my.upcoming")}</h2>
            {upcoming.length ? (
              <ul className="class-list">
                {upcoming.map((s) => (
                  <li key={s.code} className="card class-card" data-code={s.code}>
                    <Link to={`/classes/${s.code}`} className="class-card-link">
                      <div className="class-when">{sessionWhen(s.startsAt, s.endsAt, i18n.language)}</div>
                      <div className="class-title">{s.title}</div>
                      {s.lecturer ? <div className="muted small">{t("classes.session.lecturerLine", { lecturer: s.lecturer })}</div> : null}
                    </Link>
                    <div className="class-badges">
                      {s.status === "cancelled" ? <SessionStatusBadge status="cancelled" /> : null}
                      <span className="badge">{t(s.mandatory ? "classes.mandatory" : "classes.optional")}</span>
                      {s.leaveStatus ? (
                        <LeaveBadge status={s.leaveStatus} />
                      ) : s.registered ? (
                        <span className="badge ok">{t("classes.my.registeredAt", { place: s.venueName ?? t("classes.online") })}</span>
                      ) : s.status !== "cancelled" ? (
                        <span className="badge warn">
                          {t(s.registrationOpen ? "classes.my.notRegistered" : "classes.my.closedForRegistration")}
                        </span>
                      ) : null}
                      {s.waitlistVenueName ? (
                        <span className="badge warn">{t("classes.my.waiting", { venue: s.waitlistVenueName })}</span>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="card muted">{t("classes.my.noUpcoming")}</p>
            )}
          </section>

          <section aria-labelledby="past">
            <h2 id="past">{t("classes.my.past")}</h2>
            {past.length ? (
              <ul className="class-list past">
                {past.map((s) => (
                  <li key={s.code} className="card class-card compact">
                    <Link to={`/classes/${s.code}`} className="class-card-link">
                      <div className="class-when">{sessionWhen(s.startsAt, s.endsAt, i18n.language)}</div>
                      <div className="class-title">{s.title}</div>
                    </Link>
                    <div className="class-badges">
                      {s.leaveStatus ? <LeaveBadge status={s.leaveStatus} /> : null}
                      <span
                        className={`badge ${s.attendance === "present" ? "ok" : s.attendance === "late" ? "warn" : s.attendance === "absent" ? "danger" : ""}`}
                        data-attendance={s.code}
                      >
                        {s.attendance ? t(`attendance.statuses.${s.attendance}`) : t("classes.my.attendancePending")}
                      </span>
                      <span className="muted small">{t("classes.hoursShort", { hours: formatHours(s.trainingHours) })}</span>
                      {s.makeUpUrl ? (
                        <a className="small" href={s.makeUpUrl} target="_blank" rel="noreferrer">
                          {t("classes.session.makeUp")}
                        </a>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="card muted">{t("classes.my.noPast")}</p>
            )}
          </section>

          <section className="card" aria-labelledby="feed">
            <h2 id="feed">{t("classes.feed.title")}</h2>
            <p className="muted small">{t("classes.feed.intro")}</p>
            {feedUrl ? (
              <>
                <input
                  className="feed-url"
                  readOnly
                  value={feedUrl}
                  aria-label={t("classes.feed.title")}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <p className="muted small">{t("classes.feed.secret")}</p>
                <Form method="post">
                  <button type="submit" name="intent" value="resetFeed" className="secondary" disabled={busy}>
                    {t("classes.feed.reset")}
                  </button>
                </Form>
              </>
            ) : (
              <Form method="post">
                <button type="submit" name="intent" value="createFeed" className="primary" disabled={busy}>
                  {t("classes.feed.create")}
                </button>
              </Form>
            )}
          </section>
        </>
      ) : (
        <p className="card muted">{t("classes.my.notACadre")}</p>
      )}
    </>
  );
}
