import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChoosePage, DetailsPage, MessagePage, PublicFrame } from "~/modules/ratings/components/public-page";
import { raterDevice, ratingsKey } from "~/modules/ratings/device.server";
import { publicPoint } from "~/modules/ratings/points.server";
import { publicPreferences } from "~/modules/ratings/public/request.server";
import { PublicRatingSchema } from "~/modules/ratings/rules";
import { submitRating, thanksLocation } from "~/modules/ratings/submit.server";
import type { PublicDocumentHandle } from "~/root";
import publicStyles from "~/styles/public-rating.css";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { clientAddress } from "~/utils/request.server";

/**
 * /r/<code>: the page behind a rating point's QR code, for anyone, without an account or a script.
 * The rating is the POST; it answers with a redirect to the thank-you page (so a reload never rates
 * twice). The server answers that POST ahead of express and Remix in the common case, with the same
 * function and the same redirect (ratings/public/fast-path.server.ts).
 */
export const handle: PublicDocumentHandle = { publicDocument: { stylesheet: publicStyles } };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, (t) =>
    data?.point.unitName ? t("ratings.public.pageTitle", { unit: data.point.unitName }) : t("ratings.public.brand"),
  );

export async function loader({ request, params }: LoaderFunctionArgs) {
  const prefs = publicPreferences(request);
  if (prefs.switchTo) {
    const headers = new Headers();
    for (const c of prefs.switchTo.cookies) headers.append("Set-Cookie", c);
    throw redirect(prefs.switchTo.cleanUrl, { status: 303, headers });
  }
  const db = getDb();
  const point = await publicPoint(db, params.code ?? "");
  const step = new URL(request.url).searchParams.get("step") === "details" ? "details" : "choose";
  const status = point.state === "unknown" ? 404 : point.state === "retired" ? 410 : 200;
  // The device's signed id is given with the page, so the rating that follows carries it.
  const device = raterDevice(await ratingsKey(db), request);
  const headers = device.setCookie ? { "Set-Cookie": device.setCookie } : undefined;
  return data({ point, step, textSize: prefs.textSize }, { status, headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const code = params.code ?? "";
  const form = await request.formData();
  const parsed = parseForm(PublicRatingSchema, form);
  if (!parsed.ok) {
    const v = formValues(form);
    const values = { reasons: [v.reasons ?? []].flat().map(String), comment: String(v.comment ?? ""), phone: String(v.phone ?? "") };
    return data({ errors: parsed.errors, values }, { status: 400 });
  }
  const outcome = await submitRating(getDb(), {
    code,
    input: parsed.data,
    cookies: request,
    address: clientAddress(request),
  });
  // Unknown and retired points show their page again (404, 410).
  if (outcome.kind !== "rated") return redirect(`/r/${encodeURIComponent(code)}`, { status: 303 });
  const headers = new Headers();
  if (outcome.setCookie) headers.append("Set-Cookie", outcome.setCookie);
  return redirect(thanksLocation(code, outcome), { status: 303, headers });
}

export default function PublicRatingPage() {
  const { t } = useTranslation();
  const { point, step, textSize } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const path = `/r/${encodeURIComponent(point.code)}`;
  let body: React.ReactNode;
  if (point.state === "unknown") {
    body = <MessagePage title={t("ratings.public.unknown.title")} body={<p>{t("ratings.public.unknown.body")}</p>} />;
  } else if (point.state === "retired") {
    body = (
      <MessagePage
        title={t("ratings.public.retired.title")}
        body={<p>{t("ratings.public.retired.body", { unit: point.unitName })}</p>}
        unitName={point.unitName}
        pointName={point.pointName}
      />
    );
  } else if (step === "details" || failed) {
    body = (
      <DetailsPage
        code={point.code}
        unitName={point.unitName}
        pointName={point.pointName}
        values={failed?.values}
        errors={failed?.errors}
      />
    );
  } else {
    body = <ChoosePage code={point.code} unitName={point.unitName} pointName={point.pointName} />;
  }
  return (
    <PublicFrame textSize={textSize} path={path}>
      {body}
    </PublicFrame>
  );
}
