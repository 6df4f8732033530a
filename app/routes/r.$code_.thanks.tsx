import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { MessagePage, PublicFrame } from "~/modules/ratings/components/public-page";
import { publicPoint } from "~/modules/ratings/points.server";
import { publicPreferences } from "~/modules/ratings/public/request.server";
import { RATING_RESULTS } from "~/modules/ratings/rules";
import type { PublicDocumentHandle } from "~/root";
import publicStyles from "~/styles/public-rating.css";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const handle: PublicDocumentHandle = { publicDocument: { stylesheet: publicStyles } };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.public.thanks.title"));

/** What the rating did, as the redirect after it said (only ever shown to whoever sent it). */
const ThanksSchema = z.object({
  result: z.enum(RATING_RESULTS).catch("counted"),
  choice: z.enum(["satisfied", "unsatisfied"]).catch("satisfied"),
  due: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .catch(null),
  call: z.literal("1").nullable().catch(null),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const prefs = publicPreferences(request);
  const point = await publicPoint(getDb(), params.code ?? "");
  const search = new URL(request.url).searchParams;
  const said = ThanksSchema.parse({
    result: search.get("result"),
    choice: search.get("choice"),
    due: search.get("due"),
    call: search.get("call"),
  });
  return data({ point, said, textSize: prefs.textSize }, { status: point.state === "unknown" ? 404 : 200 });
}

export default function RatingThanks() {
  const { t, i18n } = useTranslation();
  const { point, said, textSize } = useLoaderData<typeof loader>();
  const path = `/r/${encodeURIComponent(point.code)}`;
  const lines: string[] = [];
  if (said.result !== "counted") lines.push(t(`ratings.public.thanks.${said.result}`));
  else if (said.choice === "satisfied" || !said.due) lines.push(t("ratings.public.thanks.satisfied"));
  else {
    lines.push(t("ratings.public.thanks.unsatisfied", { unit: point.unitName, due: formatDate(said.due, i18n.language) }));
    lines.push(t(said.call ? "ratings.public.thanks.call" : "ratings.public.thanks.noCall"));
  }
  return (
    <PublicFrame textSize={textSize} path={path}>
      <MessagePage
        title={t("ratings.public.thanks.title")}
        unitName={point.unitName}
        pointName={point.pointName}
        body={
          <>
            {lines.map((line) => (
              <p key={line} data-testid="thanks-line">
                {line}
              </p>
            ))}
            <p className="rp-back">
              <a href={path}>{t("ratings.public.thanks.again")}</a>
            </p>
          </>
        }
      />
    </PublicFrame>
  );
}
