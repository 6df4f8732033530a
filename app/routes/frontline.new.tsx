import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { isFrontlineManager } from "~/modules/frontline/access";
import { RecordForm } from "~/modules/frontline/components/record-form";
import { createRecord } from "~/modules/frontline/records.server";
import { RecordFormSchema } from "~/modules/frontline/schema";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.new"));

async function requireRecorder(request: Request) {
  const user = await requireUser(request);
  if (!user.cadreId && !isFrontlineManager(user)) throw forbiddenResponse();
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRecorder(request);
  return { askStaffNo: isFrontlineManager(user), isCadre: user.cadreId !== null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRecorder(request);
  const form = parseForm(RecordFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const created = await createRecord(getDb(), user, form.data, { today: todayInShanghai() });
    const done = created.existing ? "existing" : form.data.intent === "submit" ? "submitted" : "saved";
    return redirect(`/frontline/${created.id}?done=${done}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewFrontlineRecord() {
  const { t } = useTranslation();
  const { askStaffNo, isCadre } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / {t("frontline.actions.new")}
      </nav>
      <h1>{t("frontline.actions.new")}</h1>
      <p className="muted small">{t(isCadre ? "frontline.new.intro" : "frontline.new.introOnBehalf")}</p>
      <section className="card">
        <RecordForm
          mode="new"
          values={{ staffNo: params.get("staffNo") ?? "" }}
          errors={result?.errors}
          busy={busy}
          askStaffNo={askStaffNo}
          cancelTo="/frontline"
        />
      </section>
    </>
  );
}
