import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { listCommitments } from "~/modules/rankings/commitments.server";
import { CommitmentBadge } from "~/modules/rankings/components/meeting-commitments";
import { quarterLabel } from "~/modules/rankings/quarter";
import { CommitmentListSchema } from "~/modules/rankings/schema";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.commitments.title"));

/**
 * Commitments made at ranking meetings: all for the organization department; one's own (as owner) and
 * one's units' for anyone else with a cadre record or a managing role.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.cadreId && !hasRole(user, "org_admin", "unit_head", "unit_liaison")) throw forbiddenResponse();
  const filter = CommitmentListSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { filter, rows: await listCommitments(getDb(), user, filter) };
}

const STATES = ["open", "overdue", "done", "all"] as const;

export default function Commitments() {
  const { t, i18n } = useTranslation();
  const { filter, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / {t("rankings.commitments.title")}
      </nav>
      <h1>{t("rankings.commitments.title")}</h1>
      <p className="muted">{t("rankings.commitments.intro")}</p>
      <nav className="rk-tabs" aria-label={t("rankings.commitments.filter")}>
        {STATES.map((s) => (
          <Link key={s} to={`/rankings/commitments?state=${s}`} className={s === filter.state ? "active" : undefined}>
            {t(`rankings.commitments.filters.${s}`)}
          </Link>
        ))}
      </nav>
      {rows.length ? (
        <ul className="class-list">
          {rows.map((c) => (
            <li key={c.id} className="card">
              <div className="ac-card-head">
                <h3>
                  <Link to={`/rankings/commitments/${c.id}`}>{c.unitName}</Link>
                </h3>
                <CommitmentBadge state={c.state} />
              </div>
              <p className="leave-reason">{c.text}</p>
              <p className="muted small">
                {quarterLabel(c.quarter, i18n.language)} ·{" "}
                {t("rankings.commitments.line", { owner: c.responsibleName, deadline: c.deadline })}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card muted">{t("rankings.commitments.empty")}</p>
      )}
    </>
  );
}
