import { type ActionFunctionArgs, data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { isNominator, isShortlistAdmin, mayUseShortlists } from "~/modules/shortlists/access";
import { RuleEvidenceList } from "~/modules/shortlists/components/evidence";
import { NominationText } from "~/modules/shortlists/components/nomination-text";
import { DecisionForm, WithdrawForm } from "~/modules/shortlists/components/nominations-tab";
import { decide } from "~/modules/shortlists/decisions.server";
import { nominate, withdrawNomination } from "~/modules/shortlists/nominations.server";
import { getRound } from "~/modules/shortlists/rounds.server";
import { DecisionSchema, NominationSchema, WithdrawSchema } from "~/modules/shortlists/schema";
import styles from "~/modules/shortlists/shortlists.css";
import { candidatePage } from "~/modules/shortlists/views.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) =>
    t("shortlists.titles.cadre", {
      name: data?.detail.cadre.name ?? t("organization.titles.cadre"),
      round: data?.round.name ?? t("shortlists.titles.round"),
    }),
  );
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

function ids(params: LoaderFunctionArgs["params"]) {
  const roundId = parseIdParam(params.roundId);
  const cadreId = parseIdParam(params.cadreId);
  if (!roundId || !cadreId) throw notFoundResponse();
  return { roundId, cadreId };
}

/** One cadre in a round: each rule with its evidence, and the nomination (to make, withdraw or decide). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const { roundId, cadreId } = ids(params);
  const db = getDb();
  try {
    return await candidatePage(db, user, await getRound(db, user, roundId), cadreId, new Date());
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const { roundId, cadreId } = ids(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  // What was typed comes back with the errors, so nothing is lost even when the page reloads.
  const typed = { recommendation: String(form.get("recommendation") ?? ""), overrideReason: String(form.get("overrideReason") ?? "") };
  const failed = (errors: Record<string, unknown>, status = 400) => data({ ok: false as const, errors, typed }, { status });
  const db = getDb();
  const back = `/shortlists/${roundId}/cadres/${cadreId}`;
  try {
    const round = await getRound(db, user, roundId);
    if (intent === "nominate") {
      if (!isNominator(user)) throw forbiddenResponse();
      const parsed = parseForm(NominationSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      await nominate(db, user, round.id, {
        cadreId,
        recommendation: parsed.data.recommendation,
        overrideReason: parsed.data.overrideReason,
      });
      return redirect(`${back}?nominated=1`);
    }
    if (intent === "withdraw") {
      const parsed = parseForm(WithdrawSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      await withdrawNomination(db, user, round.id, parsed.data.nominationId);
      return redirect(back);
    }
    if (intent === "decide") {
      if (!isShortlistAdmin(user)) throw forbiddenResponse();
      const parsed = parseForm(DecisionSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      await decide(db, user, round.id, parsed.data.nominationId, parsed.data);
      return redirect(back);
    }
    return failed({ form: ["validation.invalid"] });
  } catch (error) {
    const response = domainErrorResponse(error);
    return failed(response.data.errors, response.init?.status ?? 400);
  }
}

export default function ShortlistCandidate() {
  const { t, i18n } = useTranslation();
  const { round, admin, detail, can, outcome, mayNominate, mayWithdraw } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const typed = result && !result.ok ? result.typed : undefined;
  const busy = useNavigation().state !== "idle";
  const { cadre, evaluation, nomination } = detail;
  const failing = evaluation.results.filter((r) => !r.pass).length;
  const active = nomination && !nomination.withdrawnAt ? nomination : null;
  const [params] = useSearchParams();
  const nominated = params.get("nominated") === "1";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/shortlists">{t("shortlists.title")}</Link> / <Link to={`/shortlists/${round.id}`}>{round.name}</Link> / {cadre.name}
      </nav>
      <div className="page-head">
        <h1>
          {cadre.name} <span className="muted small">{cadre.staffNo}</span>
        </h1>
        <div className="actions">
          <span className={`badge ${evaluation.eligible ? "ok" : "danger"}`}>
            {t(evaluation.eligible ? "shortlists.eligibility.eligible" : "shortlists.eligibility.ineligible")}
          </span>
          <span className="muted small">{t("shortlists.eligibility.asOf", { date: evaluation.asOf })}</span>
        </div>
      </div>
      {nominated && active ? (
        <p className="notice" role="status">
          {t("shortlists.round.nominatedNotice")}
        </p>
      ) : null}
      <p className="muted">
        {cadre.unitName} · {t(`ranks.${cadre.rank}`)}
        {cadre.title ? ` · ${cadre.title}` : ""}
      </p>

      <section aria-labelledby="sl-rules">
        <h2 id="sl-rules">{t("shortlists.candidate.rulesTitle")}</h2>
        {evaluation.results.length ? (
          <RuleEvidenceList
            cadreId={cadre.cadreId}
            evaluation={evaluation}
            can={can}
            extra={(r) =>
              r.rule === "frontline" ? (
                detail.frontline.length ? (
                  <details>
                    <summary className="small">{t("shortlists.candidate.frontlineRecords")}</summary>
                    <ul className="sl-records">
                      {detail.frontline.map((f) => (
                        <li key={f.id}>
                          <Link to={`/frontline/${f.id}`}>
                            {f.startDate} – {f.endDate} · {t(`frontline.categories.${f.category}`)} · {f.place}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : (
                  <p className="muted small">{t("shortlists.candidate.noFrontlineRecords")}</p>
                )
              ) : r.rule === "topPercent" && !can.rankingCadres ? (
                <p className="muted small">{t("shortlists.candidate.rankingsHidden")}</p>
              ) : null
            }
          />
        ) : (
          <p className="muted">{t("shortlists.round.rulesNone")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="sl-nomination">
        <h2 id="sl-nomination">{t("shortlists.candidate.nominationTitle")}</h2>
        {nomination ? (
          <>
            {nomination.withdrawnAt ? (
              <p className="badge">
                {t("shortlists.candidate.withdrawnAt", { at: formatDateTime(nomination.withdrawnAt, i18n.language) })}
              </p>
            ) : null}
            <NominationText
              recommendation={nomination.recommendation}
              overrideReason={nomination.overrideReason}
              nominatedBy={nomination.nominatedByName}
              createdAt={nomination.createdAt}
            />
          </>
        ) : null}
        {outcome ? (
          // Green only for a place on the list: a deferral or a rejection should not read as good news.
          <p className={outcome.decision === "shortlisted" ? "notice" : "notice warn"}>
            {t("shortlists.candidate.outcome", {
              version: outcome.version,
              decision: t(`shortlists.decisions.${outcome.decision}`),
              reason: outcome.reason,
            })}
          </p>
        ) : active && !admin ? (
          <p className="muted">{t("shortlists.candidate.decisionPending")}</p>
        ) : null}
        {admin && active ? <DecisionForm row={active} errors={errors} busy={busy} /> : null}
        {mayWithdraw && active ? <WithdrawForm nominationId={active.id} errors={errors} busy={busy} /> : null}
        {mayNominate ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="nominate" />
            <FormErrors errors={errors} />
            <div className="field">
              <label htmlFor="sl-recommendation">{t("shortlists.fields.recommendation")}</label>
              <textarea
                id="sl-recommendation"
                name="recommendation"
                rows={5}
                required
                maxLength={2000}
                defaultValue={typed?.recommendation}
                aria-invalid={errors?.recommendation ? true : undefined}
              />
              <p className="field-hint">{t("shortlists.candidate.recommendationHint")}</p>
              <ErrorList errors={errors?.recommendation} />
            </div>
            {!evaluation.eligible ? (
              <div className="field">
                <p className="notice warn">{t("shortlists.candidate.ineligibleWarning", { count: failing })}</p>
                <label htmlFor="sl-override">{t("shortlists.fields.overrideReason")}</label>
                <textarea
                  id="sl-override"
                  name="overrideReason"
                  rows={3}
                  required
                  maxLength={1000}
                  defaultValue={typed?.overrideReason}
                  aria-invalid={errors?.overrideReason ? true : undefined}
                />
                <p className="field-hint">{t("shortlists.candidate.overrideHint")}</p>
                <ErrorList errors={errors?.overrideReason} />
              </div>
            ) : null}
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("shortlists.candidate.submit")}
              </button>
            </div>
          </Form>
        ) : !nomination || nomination.withdrawnAt ? (
          <p className="muted">
            {round.window === "published"
              ? t("shortlists.candidate.publishedClosed")
              : round.window === "deadlinePassed" || round.window === "closedEarly"
                ? t("shortlists.candidate.closed")
                : t("shortlists.candidate.byHeads")}
          </p>
        ) : null}
      </section>
    </>
  );
}
