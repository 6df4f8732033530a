import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { mayOpenAccountability } from "~/modules/accountability/access";
import { RecordList } from "~/modules/accountability/components/record-list";
import { isAccountabilityAdmin } from "~/modules/accountability/rules";
import { ListQuerySchema } from "~/modules/accountability/schema";
import { listRecords, pendingRequests } from "~/modules/accountability/views.server";
import { requireAccess } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { ACCOUNTABILITY_KINDS } from "~db/schema/accountability";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("accountability.titles.index"));

/**
 * Accountability records: all of them for the organization department; a unit's and its cadres' for
 * its head; a unit's own for its liaisons (mayOpenAccountability). The query keeps to that.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayOpenAccountability);
  const filter = ListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const [rows, pending] = await Promise.all([listRecords(db, user, filter), pendingRequests(db, user)]);
  return { filter, admin: isAccountabilityAdmin(user), rows, pending };
}

const STATUSES = ["open", "overdue", "inEffect", "closed", "all"] as const;

export default function AccountabilityIndex() {
  const { t } = useTranslation();
  const { filter, admin, rows, pending } = useLoaderData<typeof loader>();
  const href = (status: string) => `/accountability?status=${status}${filter.kind ? `&kind=${filter.kind}` : ""}`;
  return (
    <>
      <div className="page-head">
        <h1>{t("accountability.title")}</h1>
        {admin ? (
          <div className="actions">
            <Link className="button" to="/accountability/new">
              {t("accountability.actions.new")}
            </Link>
            <Link className="button secondary" to="/accountability/settings">
              {t("accountability.settings.title")}
            </Link>
          </div>
        ) : null}
      </div>
      <p className="muted">{t(admin ? "accountability.intro.admin" : "accountability.intro.reader")}</p>
      {pending.length ? (
        <section className="card rk-overdue" aria-labelledby="ac-pending">
          <h2 id="ac-pending">{t("accountability.list.pendingTitle", { count: pending.length })}</h2>
          <p className="muted">{t("accountability.list.pendingIntro")}</p>
          {/* A long list folds away, so the records themselves stay in view. */}
          <details open={pending.length <= 5}>
            <summary>{t("accountability.list.pendingShow", { count: pending.length })}</summary>
            <ul className="rk-overdue-list">
              {pending.map((p) => (
                <li key={p.id}>
                  <strong>{p.unitName}</strong> ·{" "}
                  {p.source === "case"
                    ? t("accountability.list.pendingCase", { caseId: p.caseId })
                    : t("accountability.list.pendingTenWorst", { year: p.year })}{" "}
                  · {p.note} · <Link to={`/accountability/new?ratingRequest=${p.id}`}>{t("accountability.list.pendingOpen")}</Link>
                </li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}
      <nav className="rk-tabs" aria-label={t("accountability.list.filter")}>
        {STATUSES.map((s) => (
          <Link
            key={s}
            to={href(s)}
            className={s === filter.status ? "active" : undefined}
            aria-current={s === filter.status ? "page" : undefined}
          >
            {t(`accountability.list.statuses.${s}`)}
          </Link>
        ))}
      </nav>
      <Form method="get" className="rk-search ac-filter">
        <input type="hidden" name="status" value={filter.status} />
        <label htmlFor="ac-kind" className="visually-hidden">
          {t("accountability.fields.kind")}
        </label>
        <select id="ac-kind" name="kind" defaultValue={filter.kind ?? ""}>
          <option value="">{t("accountability.list.allKinds")}</option>
          {ACCOUNTABILITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`accountability.kinds.${k}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t("actions.search")}
        </button>
      </Form>
      {rows.length ? <RecordList rows={rows} /> : <p className="card muted">{t("accountability.list.empty")}</p>}
    </>
  );
}
