import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { UnitFields } from "~/components/unit-fields";
import { requireRole } from "~/modules/auth/guards.server";
import { UnitCreateSchema } from "~/modules/organization/schema";
import { createUnit } from "~/modules/organization/unit-edits.server";
import { unitFormOptions } from "~/modules/organization/units.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("organization.titles.newUnit"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const { parents } = await unitFormOptions(getDb(), user.scope);
  return { parents, parentId: new URL(request.url).searchParams.get("parentId") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(UnitCreateSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const unit = await createUnit(getDb(), user, form.data);
    return redirect(`/units/${unit.id}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewUnit() {
  const { t } = useTranslation();
  const { parents, parentId } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/units">{t("organization.units.pageTitle")}</Link> / {t("organization.units.newUnit")}
      </nav>
      <div className="card">
        <h1>{t("organization.units.newUnit")}</h1>
        <Form method="post" className="stack" noValidate>
          <FormErrors errors={errors} />
          <UnitFields
            errors={errors}
            parents={parents}
            values={{ code: "", name: "", kind: "department", parentId: parentId && /^\d+$/.test(parentId) ? Number(parentId) : null }}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("actions.create")}
            </button>
            <Link to="/units">{t("actions.cancel")}</Link>
          </div>
        </Form>
      </div>
    </>
  );
}
