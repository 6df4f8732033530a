import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors, TextareaField } from "~/components/forms";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { cadreSessionView } from "~/modules/classes/cadre-views.server";
import { LeaveBadge, SessionStatusBadge } from "~/modules/classes/components";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import { askLeave, withdrawLeave } from "~/modules/classes/leave.server";
import { cancelRegistration, leaveWaitlist, registerForSession } from "~/modules/classes/registration.server";
import { CadreSessionActionSchema, parseSessionCode } from "~/modules/classes/schema";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.session.title ?? t("classes.titles.session"));

function codeOf(params: { code?: string }): string {
  const code = parseSessionCode(params.code);
  if (!code) throw notFoundResponse();
  return code;
}

/** A cadre's own view of a session. The organization department without a cadre record goes to the admin page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = codeOf(params);
  if (!user.cadreId) {
    if (hasRole(user, "org_admin")) throw redirect(`/classes/admin/sessions/${code}`);
    throw notFoundResponse();
  }
  try {
    return { ...(await cadreSessionView(getDb(), user, code)), isAdmin: hasRole(user, "org_admin") };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Every intent acts on the signed-in cadre's own registration and leave: there is no cadre id to edit. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const code = codeOf(params);
  if (!user.cadreId) throw notFoundResponse();
  const form = parseForm(CadreSessionActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const options = { origin: appOrigin() };
  try {
    switch (form.data.intent) {
      case "register":
        return { ok: true as const, outcome: await registerForSession(db, user, code, form.data.choice, options) };
      case "leaveWaitlist":
        return { ok: true as const, outcome: await leaveWaitlist(db, user, code, options) };
      case "cancel":
        return { ok: true as const, outcome: await cancelRegistration(db, user, code, options) };
      case "askLeave":
        await askLeave(db, user, code, form.data.reason, options);
        return { ok: true as const, message: "classes.leave.asked" };
      case "withdrawLeave":
        await withdrawLeave(db, user, code);
        return { ok: true as const, message: "classes.leave.withdrawn" };
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function SessionPage() {
  const { t, i18n } = useTranslation();
  const { session, registration, places, otherVenues, leave, can, mandatory, rank, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  const outcome = result?.ok && "outcome" in result ? result.outcome : null;
  const message = result?.ok && "message" in result ? result.message : null;
  const lecturer = [session.lecturer, session.lecturerAffiliation].filter(Boolean).join(i18n.language === "en" ? ", " : "，");
  const current = registration ? (registration.venueId ?? "online") : null;
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes">{t("classes.my.title")}</Link> / <span aria-current="page">{session.code}</span>
      </nav>
      <div className="page-head">
        <h1>{session.title}</h1>
        <div className="actions">
          <SessionStatusBadge status={session.status} />
          <span className="badge">{t(mandatory ? "classes.mandatory" : "classes.optional")}</span>
          {isAdmin ? (
            <Link to={`/classes/admin/sessions/${session.code}`} className="small">
              {t("classes.admin.manageSession")}
            </Link>
          ) : null}
        </div>
      </div>

      {session.status === "cancelled" ? (
        <p className="notice warn" role="alert">
          {t("classes.session.cancelledNotice", { reason: session.cancelReason ?? "" })}
        </p>
      ) : null}
      {outcome ? (
        <p className="notice" role="status" data-testid="registration-outcome">
          {t(`classes.outcomes.${outcome.status}`, {
            place: outcome.venueId ? places.find((p) => p.venueId === outcome.venueId)?.name : t("classes.online"),
            venue: places.find((p) => p.venueId === outcome.waitlistVenueId)?.name ?? "",
            position: outcome.position ?? "",
          })}
        </p>
      ) : null}
      {message ? (
        <p className="notice" role="status">
          {t(message)}
        </p>
      ) : null}
      <FormErrors errors={errors} />

      <section className="card" aria-labelledby="about">
        <h2 id="about" className="visually-hidden">
          {t("classes.session.about")}
        </h2>
        <dl className="facts">
          <dt>{t("classes.session.when")}</dt>
          <dd>{sessionWhen(session.startsAt, session.endsAt, i18n.language)}</dd>
          {lecturer ? (
            <>
              <dt>{t("classes.session.lecturer")}</dt>
              <dd>{lecturer}</dd>
            </>
          ) : null}
          <dt>{t("classes.session.hours")}</dt>
          <dd>{formatHours(session.trainingHours)}</dd>
          <dt>{t("classes.session.deadline")}</dt>
          <dd>{formatDateTime(session.registrationDeadline, i18n.language)}</dd>
          {session.topicTags.length ? (
            <>
              <dt>{t("classes.session.tags")}</dt>
              <dd>
                {session.topicTags.map((tag) => (
                  <span key={tag} className="badge">
                    {tag}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
        {session.description ? <p className="small">{session.description}</p> : null}
        <p className="small">
          <a href={`/classes/ics/${session.code}.ics`} download>
            {t("classes.session.downloadIcs")}
          </a>
        </p>
      </section>

      <section className="card" aria-labelledby="mine">
        <h2 id="mine">{t("classes.session.myRegistration")}</h2>
        {registration ? (
          <div className="stack-tight" data-testid="my-place">
            <p>
              <strong>{registration.venueName ?? t("classes.online")}</strong>
              {registration.venueAddress ? <span className="muted small"> · {registration.venueAddress}</span> : null}
            </p>
            {registration.waitlistVenueName ? (
              <div className="notice warn">
                {t("classes.session.waitingFor", { venue: registration.waitlistVenueName, position: registration.position ?? "" })}
                <Form method="post" className="inline-form">
                  <button type="submit" name="intent" value="leaveWaitlist" className="link-button" disabled={busy}>
                    {t("classes.session.leaveWaitlist")}
                  </button>
                </Form>
              </div>
            ) : null}
            {session.liveUrl && !registration.venueId ? (
              <p>
                <a href={session.liveUrl} target="_blank" rel="noreferrer">
                  {t("classes.session.liveLink")}
                </a>
              </p>
            ) : null}
          </div>
        ) : (
          <p className="muted">{t("classes.session.notRegistered")}</p>
        )}

        {can.register ? (
          <Form method="post" className="stack" noValidate>
            <fieldset className="choices">
              <legend>{t(registration ? "classes.session.changePlace" : "classes.session.choosePlace")}</legend>
              <label className="choice">
                <input type="radio" name="choice" value="online" defaultChecked={current === "online" || current === null} />
                <span>
                  <strong>{t("classes.online")}</strong>
                  <span className="muted small"> · {t("classes.session.onlineHint")}</span>
                </span>
              </label>
              {places.map((p) => (
                <label key={p.venueId} className="choice">
                  <input type="radio" name="choice" value={p.venueId} defaultChecked={current === p.venueId} />
                  <span>
                    <strong>{p.name}</strong>
                    {p.address ? <span className="muted small"> · {p.address}</span> : null}
                    <br />
                    {current === p.venueId ? (
                      <span className="badge ok">{t("classes.session.yourSeat")}</span>
                    ) : p.free > 0 ? (
                      <span className="badge ok">{t("classes.session.seatsLeft", { count: p.free })}</span>
                    ) : (
                      <>
                        <span className="badge warn">
                          {p.waiting ? t("classes.session.full", { count: p.waiting }) : t("classes.session.fullNoQueue")}
                        </span>
                        <span className="muted small"> {t("classes.session.fullHint")}</span>
                      </>
                    )}
                  </span>
                </label>
              ))}
            </fieldset>
            <ErrorList errors={errors?.choice} />
            {otherVenues.length ? <p className="muted small">{t("classes.session.tiersHint", { rank: t(`ranks.${rank}`) })}</p> : null}
            <div className="actions">
              <button type="submit" name="intent" value="register" className="primary" disabled={busy}>
                {t(registration ? "classes.session.saveChoice" : "classes.session.register")}
              </button>
            </div>
          </Form>
        ) : can.registrationBlock && session.status !== "cancelled" ? (
          <p className="muted small">{t(can.registrationBlock)}</p>
        ) : null}
        {can.cancel ? (
          <Form
            method="post"
            onSubmit={(e) => {
              if (!window.confirm(t("classes.session.cancelConfirm"))) e.preventDefault();
            }}
          >
            <button type="submit" name="intent" value="cancel" className="danger" disabled={busy}>
              {t("classes.session.cancelRegistration")}
            </button>
          </Form>
        ) : registration && mandatory && can.register ? (
          <p className="muted small">{t("classes.session.mandatoryHint")}</p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="leave">
        <h2 id="leave">{t("classes.session.leaveTitle")}</h2>
        {leave ? (
          <div data-testid="my-leave">
            <p>
              <LeaveBadge status={leave.status} /> <span className="small">{leave.reason}</span>
            </p>
            {leave.comment ? <p className="muted small">{t("classes.session.leaveComment", { comment: leave.comment })}</p> : null}
            {can.withdrawLeave ? (
              <Form method="post">
                <button type="submit" name="intent" value="withdrawLeave" className="secondary" disabled={busy}>
                  {t("classes.session.withdrawLeave")}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        {can.askLeave ? (
          <Form method="post" className="stack" noValidate>
            <TextareaField label={t("classes.session.leaveReason")} name="reason" rows={3} errors={errors} maxLength={500} />
            <div className="actions">
              <button type="submit" name="intent" value="askLeave" className="secondary" disabled={busy}>
                {t("classes.session.askLeave")}
              </button>
            </div>
          </Form>
        ) : !leave ? (
          <p className="muted small">{t(registration ? "classes.session.leaveClosed" : "classes.session.leaveNeedsRegistration")}</p>
        ) : null}
        {session.replayUrl ? (
          <p className="notice">
            {t("classes.session.makeUpHint")}{" "}
            <a href={session.replayUrl} target="_blank" rel="noreferrer">
              {t("classes.session.makeUp")}
            </a>
          </p>
        ) : null}
      </section>

      {session.materials.length ? (
        <section className="card" aria-labelledby="materials">
          <h2 id="materials">{t("classes.session.materials")}</h2>
          <ul>
            {session.materials.map((m) => (
              <li key={m.url}>
                <a href={m.url} target="_blank" rel="noreferrer">
                  {m.label}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
