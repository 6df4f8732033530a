import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useFetcher, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { confirmCheckIn } from "~/modules/attendance/checkin/confirm.server";
import { deviceOf, resolveScan } from "~/modules/attendance/checkin/scan.server";
import { scanView } from "~/modules/attendance/checkin/scan-view.server";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { readCheckInToken } from "~/modules/attendance/checkin/token.server";
import { CheckInResult } from "~/modules/attendance/components";
import { getCurrentUser, requireUser } from "~/modules/auth/guards.server";
import { sessionWhen } from "~/modules/classes/format";
import { readCookies } from "~/utils/cookies.server";
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
  const cookies = readCookies(request);
  const scan = resolveScan(key, token, claims, cookies, now);
  if (!scan) return data({ state: "expired" as const }, { status: 410 });
  const device = deviceOf(cookies);
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
 * The check-in itself: confirmCheckIn, the same function the server's fast path calls for this POST
 * (docs/decisions/0010); what its one statement cannot settle goes through requireUser.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    const answer = await confirmCheckIn(
      getDb(),
      {
        token: params.token ?? "",
        cookies: readCookies(request),
        intent: typeof intent === "string" ? intent : null,
        address: clientAddress(request),
      },
      () => requireUser(request),
    );
    return data(answer.data, { status: answer.status });
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
