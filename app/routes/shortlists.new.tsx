import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/modules/auth/guards.server";
import { RoundForm, roundFormValues } from "~/modules/shortlists/components/round-form";
import { createRound, roundFormContext } from "~/modules/shortlists/rounds.server";
import { RoundFormSchema } from "~/modules/shortlists/schema";
import styles from "~/modules/shortlists/shortlists.css";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("shortlists.titles.new"));
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  return roundFormContext(getDb());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(RoundFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const { roundId } = await createRound(getDb(), user, form.data);
    return redirect(`/shortlists/${roundId}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewShortlistRound() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/shortlists">{t("shortlists.title")}</Link> / {t("shortlists.form.newTitle")}
      </nav>
      <h1>{t("shortlists.form.newTitle")}</h1>
      <RoundForm
        values={roundFormValues()}
        errors={result?.errors}
        busy={busy}
        submitLabel={t("shortlists.form.create")}
        frontlineDays={data.frontlineDays}
        year={data.year}
      />
    </>
  );
}
