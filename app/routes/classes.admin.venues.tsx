import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { RankChecks } from "~/modules/classes/components";
import { VenueActionSchema } from "~/modules/classes/schema";
import { createVenue, listVenues, updateVenue } from "~/modules/classes/venues.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.venues"));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  return { venues: await listVenues(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(VenueActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const { intent, ...input } = form.data;
  try {
    if (intent === "create") await createVenue(getDb(), { userId: user.id }, input);
    else await updateVenue(getDb(), { userId: user.id }, form.data.venueId, input);
    return { ok: true as const, message: intent === "create" ? "classes.venues.created" : "classes.venues.saved" };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Venues() {
  const { t } = useTranslation();
  const { venues } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes/admin">{t("classes.admin.title")}</Link> / <span aria-current="page">{t("classes.venues.title")}</span>
      </nav>
      <h1>{t("classes.venues.title")}</h1>
      <p className="muted">{t("classes.venues.intro")}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <div className="grid two">
        {venues.map((v) => (
          <section key={v.id} className="card">
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="venueId" value={v.id} />
              <Field label={t("classes.venues.name")} name="name" defaultValue={v.name} />
              <Field label={t("classes.venues.address")} name="address" defaultValue={v.address} />
              <Field label={t("classes.venues.capacity")} name="capacity" type="number" min={1} defaultValue={v.capacity} />
              <RankChecks name="ranks" checked={v.ranks} />
              <label className="check">
                <input type="checkbox" name="active" defaultChecked={v.active} /> {t("classes.venues.active")}
              </label>
              <p className="muted small">{t("classes.venues.usedBy", { count: v.sessions })}</p>
              <button type="submit" className="secondary" disabled={busy}>
                {t("actions.save")}
              </button>
            </Form>
          </section>
        ))}
        <section className="card">
          <h2>{t("classes.venues.new")}</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="create" />
            <Field label={t("classes.venues.name")} name="name" errors={errors} />
            <Field label={t("classes.venues.address")} name="address" errors={errors} />
            <Field label={t("classes.venues.capacity")} name="capacity" type="number" min={1} errors={errors} />
            <RankChecks name="ranks" checked={[]} errors={errors} />
            <input type="hidden" name="active" value="on" />
            <button type="submit" className="primary" disabled={busy}>
              {t("classes.venues.create")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
