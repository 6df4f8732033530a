import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { RoundForm, roundFormValues } from "~/modules/shortlists/components/round-form";
import { getRound, roundFormContext, updateRound } from "~/modules/shortlists/rounds.server";
import { RoundFormSchema } from "~/modules/shortlists/schema";
import styles from "~/modules/shortlists/shortlists.css";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.round.name ?? t("shortlists.titles.editRound"));
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const db = getDb();
  try {
    const round = await getRound(db, user, roundId);
    return {
      round: { id: round.id, name: round.name, status: round.status, values: roundFormValues(round) },
      ...(await roundFormContext(db)),
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const form = parseForm(RoundFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await updateRound(getDb(), user, roundId, form.data);
    return redirect(`/shortlists/${roundId}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditShortlistRound() {
  const { t } = useTranslation();
  const { round, frontlineDays, year } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/shortlists">{t("shortlists.title")}</Link> / <Link to={`/shortlists/${round.id}`}>{round.name}</Link> /{" "}
        {t("shortlists.round.edit")}
      </nav>
      <h1>{t("shortlists.form.editTitle")}</h1>
      <RoundForm
        values={round.values}
        errors={result?.errors}
        busy={busy}
        submitLabel={t("shortlists.form.save")}
        frontlineDays={frontlineDays}
        year={year}
        note={round.status === "published" ? t("shortlists.form.publishedNote") : undefined}
      />
    </>
  );
}
