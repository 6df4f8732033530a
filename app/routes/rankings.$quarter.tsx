import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { isRankingsAdmin, maySeeTables, mayUseRankings } from "~/modules/rankings/access";
import { MovementChart } from "~/modules/rankings/components/charts";
import { RankingTableView } from "~/modules/rankings/components/ranking-table";
import { computeRanking, discardDraft, reproduceRanking } from "~/modules/rankings/compute.server";
import { readableRows } from "~/modules/rankings/export.server";
import { createMeeting } from "~/modules/rankings/meetings.server";
import { modelWeights } from "~/modules/rankings/model";
import { getSharing } from "~/modules/rankings/model.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { previousQuarter, quarterEnded, quarterLabel } from "~/modules/rankings/quarter";
import { ComputeSchema, MeetingSchema, PublishSchema, RankingIdSchema, TableQuerySchema } from "~/modules/rankings/schema";
import { rankingTable } from "~/modules/rankings/tables";
import { rankingFor } from "~/modules/rankings/views.server";
import { formatDateTime, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.title ?? t("rankings.titles.quarter"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const query = TableQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const sharing = await getSharing(db);
  // A role the department does not share this table with may not have it, whatever the quarter.
  if (!maySeeTables(user, sharing, query.tab)) throw forbiddenResponse();
  try {
    const ranking = await rankingFor(db, user, params.quarter ?? "", query.version);
    const locale = getLocale(request, user);
    const t = translator(locale);
    const { view, rows } = await readableRows(db, user, sharing, ranking, query.tab, query);
    const table = rankingTable(
      query.tab,
      ranking.quarter,
      rows,
      t,
      (r) => `/rankings/${ranking.quarter}/${query.tab}/${r.id}${ranking.status === "published" ? "" : `?version=${ranking.version}`}`,
    );
    const admin = isRankingsAdmin(user);
    return {
      title: t("rankings.quarter.title", { quarter: quarterLabel(ranking.quarter, locale) }),
      ranking: {
        id: ranking.id,
        quarter: ranking.quarter,
        version: ranking.version,
        status: ranking.status,
        model: {
          year: ranking.model.year,
          version: ranking.model.version,
          cadreWeights: modelWeights(ranking.model.spec, "cadres"),
          unitWeights: modelWeights(ranking.model.spec, "units"),
          agendaSize: ranking.model.spec.params.agendaSize,
        },
        inputsHash: ranking.inputsHash,
        correctionReason: ranking.correctionReason,
        computedAt: ranking.computedAt,
        publishedAt: ranking.publishedAt,
        versions: ranking.versions,
        hasPrevious: ranking.previousId !== null,
        meetingId: ranking.meetingId,
        cadreCount: ranking.cadreCount,
        unitCount: ranking.unitCount,
      },
      tab: query.tab,
      table,
      state: {
        kind: view.kind,
        group: view.group,
        groups: view.groups,
        sort: view.sort,
        dir: view.dir,
        q: view.q,
        page: view.page,
        pages: view.pages,
        total: view.total,
      },
      movement:
        query.tab === "units" && ranking.previousId
          ? rows.map((r) => ({ id: r.id, name: r.name, rank: r.rank, previousRank: r.previousRank ?? null, committed: r.committed }))
          : null,
      tabs: { units: maySeeTables(user, sharing, "units"), cadres: maySeeTables(user, sharing, "cadres") },
      admin,
      ended: quarterEnded(ranking.quarter, todayInShanghai()),
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!isRankingsAdmin(user)) throw forbiddenResponse();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const db = getDb();
  const actor = { userId: user.id };
  try {
    if (intent === "compute") {
      const parsed = parseForm(ComputeSchema, form);
      if (!parsed.ok) return invalidForm(parsed.errors);
      const outcome = await computeRanking(db, actor, parsed.data.quarter, { reason: parsed.data.reason });
      return redirect(`/rankings/${outcome.quarter}?version=${outcome.version}`);
    }
    if (intent === "publish") {
      const parsed = parseForm(PublishSchema, form);
      if (!parsed.ok) return invalidForm(parsed.errors);
      const outcome = await publishRanking(db, actor, parsed.data.rankingId, { reason: parsed.data.reason, origin: appOrigin() });
      return redirect(`/rankings/${outcome.quarter}?published=${outcome.version}`);
    }
    if (intent === "discard" || intent === "verify") {
      const parsed = parseForm(RankingIdSchema, form);
      if (!parsed.ok) return invalidForm(parsed.errors);
      if (intent === "discard") {
        await discardDraft(db, actor, parsed.data.rankingId);
        return redirect("/rankings");
      }
      const check = await reproduceRanking(db, parsed.data.rankingId);
      return { ok: true as const, check };
    }
    if (intent === "meeting") {
      const parsed = parseForm(MeetingSchema, form);
      if (!parsed.ok) return invalidForm(parsed.errors);
      const { meetingId } = await createMeeting(db, actor, params.quarter ?? "", parsed.data);
      return redirect(`/rankings/meetings/${meetingId}`);
    }
    return invalidForm({ form: ["validation.invalid"] });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RankingQuarter() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  const { ranking, state } = data;
  const href = (change: Record<string, string | number | null>, path?: string) => {
    const next = new URLSearchParams(search);
    next.delete("published");
    next.set("tab", data.tab);
    if (!next.get("group")) next.set("group", state.group);
    for (const [k, v] of Object.entries(change)) {
      if (v === null) next.delete(k);
      else next.set(k, String(v));
    }
    return `/rankings/${ranking.quarter}${path ? `/${path}` : ""}?${next.toString()}`;
  };
  const groupLabel = (g: string) => t(data.tab === "units" ? `unitKinds.${g}` : `rankings.bands.${g}`);
  const hidden: Record<string, string> = { tab: data.tab, ...(search.get("version") ? { version: search.get("version")! } : {}) };
  const check = result?.ok ? result.check : null;
  const published = search.get("published");
  const label = quarterLabel(ranking.quarter, i18n.language);
  const previousLabel = quarterLabel(previousQuarter(ranking.quarter), i18n.language);
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / {label}
      </nav>
      <div className="page-head">
        <h1>{data.title}</h1>
        <div className="actions">
          <span className={`badge ${ranking.status === "published" ? "ok" : ranking.status === "draft" ? "warn" : ""}`}>
            {t(`rankings.statuses.${ranking.status}`)}
          </span>
          <span className="muted small">
            {t("rankings.quarter.versionLine", { version: ranking.version, year: ranking.model.year, model: ranking.model.version })}
          </span>
          {ranking.meetingId ? (
            <Link className="button secondary" to={`/rankings/meetings/${ranking.meetingId}`}>
              {t("rankings.meeting.open")}
            </Link>
          ) : null}
        </div>
      </div>
      {published ? (
        <p className="notice" role="status">
          {t("rankings.quarter.publishedNotice", { version: published })}
        </p>
      ) : null}
      {ranking.status === "draft" ? <p className="notice warn">{t("rankings.quarter.draftNotice")}</p> : null}
      {ranking.status === "superseded" ? <p className="notice warn">{t("rankings.quarter.supersededNotice")}</p> : null}
      {ranking.correctionReason ? <p className="notice">{t("rankings.quarter.correction", { reason: ranking.correctionReason })}</p> : null}
      <p className="muted small">
        {ranking.publishedAt
          ? t("rankings.quarter.publishedAt", { at: formatDateTime(ranking.publishedAt, i18n.language) })
          : t("rankings.quarter.computedAt", { at: formatDateTime(ranking.computedAt, i18n.language) })}
        {ranking.inputsHash ? ` · ${t("rankings.quarter.hash")} ${ranking.inputsHash.slice(0, 16)}…` : ""}
        {` · ${t("rankings.quarter.weights")} `}
        {(data.tab === "units" ? ranking.model.unitWeights : ranking.model.cadreWeights)
          .map(([k, w]) => `${t(`rankings.indicators.${k}`)} ${w}`)
          .join(" / ")}
      </p>
      {ranking.versions.length > 1 ? (
        <p className="small no-print">
          {t("rankings.quarter.versions")}{" "}
          {ranking.versions.map((v) => (
            <Link key={v.id} to={`/rankings/${ranking.quarter}?version=${v.version}`} className="rk-version">
              v{v.version} {t(`rankings.statuses.${v.status}`)}
            </Link>
          ))}
        </p>
      ) : null}

      {data.admin ? (
        <section className="card no-print rk-admin" aria-labelledby="rk-admin">
          <h2 id="rk-admin">{t("rankings.quarter.manage")}</h2>
          <FormErrors errors={errors} />
          {check ? (
            <p className={`notice ${check.identical ? "" : "warn"}`} role="status">
              {check.identical
                ? t("rankings.quarter.verified", { hash: check.recomputedHash.slice(0, 16) })
                : t("rankings.quarter.notVerified", check.differing)}
            </p>
          ) : null}
          <div className="rk-admin-forms">
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="compute" />
              <input type="hidden" name="quarter" value={ranking.quarter} />
              {ranking.status !== "draft" ? (
                <Field
                  label={t("rankings.fields.correctionReason")}
                  name="reason"
                  errors={errors}
                  hint={t("rankings.quarter.correctionHint")}
                />
              ) : null}
              <button type="submit" className="secondary" disabled={busy}>
                {ranking.status === "draft" ? t("rankings.quarter.recompute") : t("rankings.quarter.correct")}
              </button>
            </Form>
            {ranking.status === "draft" ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="publish" />
                <input type="hidden" name="rankingId" value={ranking.id} />
                <p className="muted small">{data.ended ? t("rankings.quarter.publishHint") : t("rankings.quarter.notOverHint")}</p>
                <button type="submit" className="primary" disabled={busy || !data.ended}>
                  {t("rankings.quarter.publish")}
                </button>
              </Form>
            ) : null}
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="verify" />
              <input type="hidden" name="rankingId" value={ranking.id} />
              <p className="muted small">{t("rankings.quarter.verifyHint")}</p>
              <button type="submit" className="secondary" disabled={busy}>
                {t("rankings.quarter.verify")}
              </button>
            </Form>
            {ranking.status === "draft" ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="discard" />
                <input type="hidden" name="rankingId" value={ranking.id} />
                <button type="submit" className="danger" disabled={busy}>
                  {t("rankings.quarter.discard")}
                </button>
              </Form>
            ) : null}
          </div>
          {ranking.status === "published" && !ranking.meetingId ? (
            <Form method="post" className="rk-meeting-form" noValidate>
              <h3>{t("rankings.meeting.create")}</h3>
              <input type="hidden" name="intent" value="meeting" />
              <Field label={t("rankings.fields.date")} name="date" type="date" required errors={errors} />
              <Field label={t("rankings.fields.startTime")} name="startTime" type="time" defaultValue="09:30" required errors={errors} />
              <Field label={t("rankings.fields.endTime")} name="endTime" type="time" defaultValue="12:00" required errors={errors} />
              <Field label={t("rankings.fields.place")} name="place" required errors={errors} />
              <Field
                label={t("rankings.fields.agendaSize")}
                name="agendaSize"
                type="number"
                min={1}
                max={20}
                defaultValue={ranking.model.agendaSize}
                errors={errors}
              />
              <div className="actions">
                <button type="submit" className="primary" disabled={busy}>
                  {t("rankings.meeting.createButton")}
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}

      <nav className="rk-kinds no-print" aria-label={t("rankings.quarter.kinds")}>
        {(["units", "cadres"] as const)
          .filter((k) => data.tabs[k])
          .map((k) => (
            <Link
              key={k}
              to={`/rankings/${ranking.quarter}?tab=${k}${search.get("version") ? `&version=${search.get("version")}` : ""}`}
              className={data.tab === k ? "active" : undefined}
            >
              {t(`rankings.kinds.${k}`)}
            </Link>
          ))}
      </nav>
      <RankingTableView table={data.table} state={state} href={href} groupLabel={groupLabel} hidden={hidden} />
      {data.movement ? (
        <section className="card" aria-labelledby="rk-movement">
          <h2 id="rk-movement">{t("rankings.chart.movementTitle", { group: groupLabel(state.group) })}</h2>
          <MovementChart
            rows={data.movement}
            previousLabel={previousLabel}
            currentLabel={label}
            label={t("rankings.chart.movementTitle", { group: groupLabel(state.group) })}
          />
        </section>
      ) : null}
    </>
  );
}
