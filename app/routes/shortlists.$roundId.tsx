import { type ActionFunctionArgs, data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { isShortlistAdmin, mayUseShortlists } from "~/modules/shortlists/access";
import { CandidatesTab } from "~/modules/shortlists/components/candidates-tab";
import { ListTab } from "~/modules/shortlists/components/list-tab";
import { NominationsTab } from "~/modules/shortlists/components/nominations-tab";
import { decide } from "~/modules/shortlists/decisions.server";
import { withdrawNomination } from "~/modules/shortlists/nominations.server";
import { publishRound } from "~/modules/shortlists/publish.server";
import { getRound } from "~/modules/shortlists/rounds.server";
import { CandidateQuerySchema, candidateFilter, DecisionSchema, PublishSchema, WithdrawSchema } from "~/modules/shortlists/schema";
import styles from "~/modules/shortlists/shortlists.css";
import { ruleLabel } from "~/modules/shortlists/tables";
import { candidatesTab, listTab, nominationsTab, type RoundTab, roundHead } from "~/modules/shortlists/views.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.round.name ?? t("shortlists.titles.round"));
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

/** The round: eligibility of every cadre the reader may see, the nominations and decisions, the list. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const query = CandidateQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const t = translator(getLocale(request, user));
  const now = new Date();
  try {
    const round = await getRound(db, user, roundId);
    const tab: RoundTab = query.tab ?? (round.status === "published" ? "list" : "candidates");
    return {
      round: roundHead(round, now),
      admin: isShortlistAdmin(user),
      tab,
      candidates: tab === "candidates" ? await candidatesTab(db, user, round, candidateFilter(query), t, { now }) : null,
      nominations: tab === "nominations" ? await nominationsTab(db, user, round, { now }) : null,
      list: tab === "list" ? await listTab(db, user, round, query.version, t) : null,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Withdrawing (heads and liaisons), deciding and publishing (the organization department). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const nominationId = Number(form.get("nominationId")) || undefined;
  // Errors go back beside the form that was sent: a nomination's card, or the publish form.
  const failed = (errors: Record<string, unknown>, status = 400) => data({ ok: false as const, errors, nominationId, intent }, { status });
  const db = getDb();
  try {
    const round = await getRound(db, user, roundId);
    if (intent === "withdraw") {
      const parsed = parseForm(WithdrawSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      await withdrawNomination(db, user, round.id, parsed.data.nominationId);
      return { ok: true as const, nominationId, intent };
    }
    if (intent === "decide") {
      if (!isShortlistAdmin(user)) throw forbiddenResponse();
      const parsed = parseForm(DecisionSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      await decide(db, user, round.id, parsed.data.nominationId, parsed.data);
      return { ok: true as const, nominationId, intent };
    }
    if (intent === "publish") {
      if (!isShortlistAdmin(user)) throw forbiddenResponse();
      const parsed = parseForm(PublishSchema, form);
      if (!parsed.ok) return failed(parsed.errors);
      const outcome = await publishRound(db, user, round.id, parsed.data, { origin: appOrigin() });
      return redirect(`/shortlists/${round.id}?tab=list&published=${outcome.version}`);
    }
    return failed({ form: ["validation.invalid"] });
  } catch (error) {
    const response = domainErrorResponse(error);
    return failed(response.data.errors, response.init?.status ?? 400);
  }
}

export default function ShortlistRound() {
  const { t, i18n } = useTranslation();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const { round } = page;
  const published = params.get("published");
  const deadline = formatDateTime(round.deadline, i18n.language);
  const tabs: RoundTab[] = ["candidates", "nominations", "list"];
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/shortlists">{t("shortlists.title")}</Link> / {round.name}
      </nav>
      <div className="page-head">
        <h1>{round.name}</h1>
        <div className="actions">
          <span className={`badge ${round.status === "published" ? "ok" : "warn"}`}>{t(`shortlists.statuses.${round.status}`)}</span>
          {round.publishedVersion > 0 ? (
            <span className="badge">{t("shortlists.index.version", { version: round.publishedVersion })}</span>
          ) : null}
          {page.admin ? (
            <Link className="button secondary" to={`/shortlists/${round.id}/edit`}>
              {t("shortlists.round.edit")}
            </Link>
          ) : null}
        </div>
      </div>
      {published ? (
        <p className="notice" role="status">
          {t("shortlists.round.publishedNotice", { version: published })}
        </p>
      ) : null}
      {round.description ? <p className="sl-quote">{round.description}</p> : null}
      <ul className="sl-meta">
        <li>
          {round.window === "open"
            ? t("shortlists.round.deadline", { at: deadline })
            : t("shortlists.round.deadlinePassed", { at: deadline })}
        </li>
        <li>{t("shortlists.round.quota", { quota: round.quota })}</li>
        <li>{t("shortlists.round.asOf", { date: round.asOf })}</li>
      </ul>
      <p className="small">
        {round.applied.length
          ? round.applied.map((r) => ruleLabel(r, round.rules, t)).join(t("shortlists.figures.separator"))
          : t("shortlists.round.rulesNone")}
      </p>
      {!page.admin ? <p className="muted small">{t("shortlists.round.mineOnly")}</p> : null}
      <nav className="sl-tabs" aria-label={t("shortlists.title")}>
        {tabs.map((tab) => (
          <Link
            key={tab}
            to={`/shortlists/${round.id}?tab=${tab}`}
            className={page.tab === tab ? "active" : undefined}
            aria-current={page.tab === tab ? "page" : undefined}
          >
            {t(`shortlists.round.tabs.${tab}`)}
          </Link>
        ))}
      </nav>
      {page.candidates ? <CandidatesTab roundId={round.id} data={page.candidates} open={round.window === "open"} /> : null}
      {page.nominations ? (
        <NominationsTab roundId={round.id} round={round} data={page.nominations} admin={page.admin} result={result} busy={busy} />
      ) : null}
      {page.tab === "list" ? <ListTab roundId={round.id} data={page.list} latestVersion={round.publishedVersion} /> : null}
    </>
  );
}
