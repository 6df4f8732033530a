import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole, requireUnitScope } from "~/modules/auth/guards.server";
import { POSTER_SIZES, postersFor } from "~/modules/ratings/posters.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("ratings.titles.posters"));

const FilterSchema = z.object({
  size: z.enum(POSTER_SIZES).catch("a4"),
  unit: z.coerce.number().int().positive().optional().catch(undefined),
  point: z.coerce.number().int().positive().optional().catch(undefined),
});

/** The print page of posters: one per live rating point in the filter (all in scope by default). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (filter.unit) requireUnitScope(user, filter.unit);
  const posters = await postersFor(getDb(), user.scope, appOrigin(), { unitId: filter.unit, pointId: filter.point });
  return { size: filter.size, posters };
}

export default function RatingPosters() {
  const { t } = useTranslation();
  const { size, posters } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="no-print">
        <nav className="breadcrumbs">
          <Link to="/ratings">{t("ratings.overview.title")}</Link> / <Link to="/ratings/points">{t("ratings.points.title")}</Link> /{" "}
          {t(`ratings.posters.size.${size}`)}
        </nav>
        <div className="page-head">
          <h1>
            {t("ratings.posters.title")} · {t(`ratings.posters.size.${size}`)}
          </h1>
          <span className="muted">{t("ratings.posters.count", { count: posters.length })}</span>
        </div>
        <p className="muted">{t("ratings.posters.printHint")}</p>
      </div>
      <div className={`posters posters-${size}`}>
        {posters.map((p) => (
          <article key={p.pointId} className={`poster poster-${size}`} data-testid="poster">
            <p className="poster-kicker">{t("ratings.public.brand")}</p>
            <h2 className="poster-unit">{p.unitName}</h2>
            {p.pointName ? <p className="poster-point">{p.pointName}</p> : <p className="poster-point poster-blank">&nbsp;</p>}
            <p className="poster-heading">{t("ratings.posters.heading")}</p>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the QR code is SVG generated on the server from our own URL */}
            <div className="poster-qr" dangerouslySetInnerHTML={{ __html: p.qr }} />
            <p className="poster-scan">{t("ratings.posters.scan")}</p>
            <p className="poster-choices">{t("ratings.posters.satisfiedOrNot")}</p>
            <p className="poster-url">{p.url}</p>
            <p className="poster-how">{t("ratings.posters.howUsed")}</p>
            <p className="poster-how">{t("ratings.posters.noAccount")}</p>
          </article>
        ))}
      </div>
    </>
  );
}
