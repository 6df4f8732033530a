import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useFetcher, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { checkIn, checkInWalkIn, checkInWithSession, outcomeView } from "~/modules/attendance/checkin/check-in.server";
import { deviceOf, resolveScan } from "~/modules/attendance/checkin/scan.server";
import { scanView } from "~/modules/attendance/checkin/scan-view.server";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { readCheckInToken } from "~/modules/attendance/checkin/token.server";
import { CheckInResult, type CheckInResultData } from "~/modules/attendance/components";
import { cachedAttendanceRules } from "~/modules/attendance/settings.server";
import { getCurrentUser, readCookie, requireUser, SESSION_COOKIE } from "~/modules/auth/guards.server";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import { sessionWhen } from "~/modules/classes/format";
import { cachedSecurityPolicy } from "~/modules/security/policy.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { clientAddress } from "~/utils/request.server";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.scan"));

/**
 * /c/<token>: the address in the venue's QR code. Opening it shows the session and venue with one
 * button; the check-in itself is the POST. A valid scan is remembered (cookie) so that a cadre who must
 * log in first comes back here and can still confirm after the code has rotated.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const token = params.token ?? "";
  const key = await checkInSigningKey(db);
  const claims = readCheckInToken(key, token);
  if (!claims) return data({ state: "invalid" as const }, { status: 400 });
  const now = new Date();
  const scan = resolveScan(key, token, claims, request, now);
  if (!scan) return data({ state: "expired" as const }, { status: 410 });
  const device = deviceOf(request);
  const headers = new Headers();
  if (scan.setCookie) headers.append("Set-Cookie", scan.setCookie);
  if (device.setCookie) headers.append("Set-Cookie", device.setCookie);

  if (!(await getCurrentUser(request))) throw redirect(`/login?redirectTo=${encodeURIComponent(`/c/${token}`)}`, { headers });
  const user = await requireUser(request);
  if (!user.cadreId) return data({ state: "notCadre" as const }, { headers });
  const view = await scanView(db, user, claims);
  if (!view) return data({ state: "invalid" as const }, { status: 404, headers });
  return data({ state: "ready" as const, view, scannedAt: scan.scannedAt.toISOString() }, { headers });
}

/**
 * The check-in: the token verified in memory, the rules from memory, and one statement that resolves
 * the login session, finds the enrolment and writes the row. Anything that statement cannot settle
 * (no session, a password to change, an account that is not a cadre's, a walk-in) goes through
 * requireUser and the ordinary path.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const token = params.token ?? "";
  const key = await checkInSigningKey(db);
  const claims = readCheckInToken(key, token);
  if (!claims) {
    await requireUser(request);
    return data({ outcome: { kind: "refused", messageKey: "attendance.errors.unknownCode" } } satisfies CheckInResultData, { status: 400 });
  }
  const now = new Date();
  const scan = resolveScan(key, token, claims, request, now);
  if (!scan) {
    await requireUser(request);
    return data({ outcome: { kind: "refused", messageKey: "attendance.errors.expired" } } satisfies CheckInResultData, { status: 410 });
  }
  const form = await request.formData();
  const ctx = {
    scannedAt: scan.scannedAt,
    deviceId: deviceOf(request).deviceId,
    address: clientAddress(request),
    rules: await cachedAttendanceRules(db),
  };
  try {
    const loginToken = readCookie(request, SESSION_COOKIE);
    if (form.get("intent") !== "walk_in" && loginToken) {
      const session = {
        sessionId: sessionIdFromToken(loginToken),
        idleMs: (await cachedSecurityPolicy(db)).otherIdleMinutes * 60_000,
        now,
      };
      const outcome = await checkInWithSession(db, session, claims, ctx);
      if (outcome.kind !== "unauthenticated") return { outcome: outcomeView(outcome) } satisfies CheckInResultData;
    }
    const user = await requireUser(request);
    const outcome = form.get("intent") === "walk_in" ? await checkInWalkIn(db, user, claims, ctx) : await checkIn(db, user, claims, ctx);
    return { outcome: outcomeView(outcome) } satisfies CheckInResultData;
  } catch (error) {
    return domainErrorResponse(error);
  }
}

// The result is shown from the action's answer; reloading the session for it would only add load at peak time.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod === "POST" ? false : defaultShouldRevalidate;

export default function CheckInPage() {
  const { t, i18n } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  if (loaded.state !== "ready") {
    return (
      <section className="card checkin-card" data-state={loaded.state}>
        <h1>{t(`attendance.scan.${loaded.state}.title`)}</h1>
        <p>{t(`attendance.scan.${loaded.state}.body`)}</p>
        <Link to="/attendance" className="button secondary">
          {t("attendance.scan.myAttendance")}
        </Link>
      </section>
    );
  }
  const { view } = loaded;
  const result = fetcher.data && "outcome" in fetcher.data ? fetcher.data.outcome : null;
  const errors = fetcher.data && "errors" in fetcher.data ? fetcher.data.errors : null;
  const done = view.attendance && (view.attendance.status === "present" || view.attendance.status === "late");
  return (
    <section className="card checkin-card" data-state={result?.kind ?? (done ? "already" : "ready")}>
      <p className="muted small">{t("attendance.scan.title")}</p>
      <h1>{view.session.title}</h1>
      <dl className="checkin-facts">
        <dt>{t("attendance.scan.when")}</dt>
        <dd>{sessionWhen(view.session.startsAt, view.session.endsAt, i18n.language)}</dd>
        <dt>{t("attendance.scan.venue")}</dt>
        <dd>
          <strong>{view.venue.name}</strong>
          {view.venue.address ? <span className="muted small"> {view.venue.address}</span> : null}
        </dd>
        <dt>{t("attendance.scan.enrolment")}</dt>
        <dd>{t(`attendance.scan.enrolled.${view.enrolment.state}`, { venue: view.enrolment.venueName ?? "" })}</dd>
      </dl>
      {result ? (
        <CheckInResult outcome={result} />
      ) : done ? (
        <CheckInResult outcome={{ kind: "already", status: view.attendance!.status, at: view.attendance!.at }} />
      ) : null}
      {errors ? <CheckInResult outcome={{ kind: "refused", messageKey: "attendance.errors.walkInNotAllowed" }} /> : null}
      {!done && (!result || result.kind === "refused") ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="confirm" />
          <button type="submit" className="primary checkin-button" disabled={busy}>
            {busy ? t("attendance.scan.sending") : t("attendance.scan.confirm")}
          </button>
        </fetcher.Form>
      ) : null}
      {result?.kind === "not_enrolled" && result.walkInAllowed ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="walk_in" />
          <button type="submit" className="primary checkin-button" disabled={busy}>
            {t("attendance.scan.walkIn")}
          </button>
        </fetcher.Form>
      ) : null}
      <p className="small muted">
        <Link to="/attendance">{t("attendance.scan.myAttendance")}</Link>
      </p>
    </section>
  );
}
