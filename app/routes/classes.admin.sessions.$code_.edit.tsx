import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { AudienceFields, RankChecks } from "~/modules/classes/components";
import { parseSessionCode, SessionEditActionSchema } from "~/modules/classes/schema";
import {
  addSessionVenue,
  addVenueStaff,
  removeSessionVenue,
  removeVenueStaff,
  sessionEditForm,
  updateSession,
  updateSessionVenue,
} from "~/modules/classes/session-edit.server";
import { unitOptions } from "~/modules/organization/units.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("classes.titles.editSession", { title: data?.session.title ?? t("classes.titles.session") }));

function codeOf(params: { code?: string }): string {
  const code = parseSessionCode(params.code);
  if (!code) throw notFoundResponse();
  return code;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const code = codeOf(params);
  try {
    const [form, units] = await Promise.all([sessionEditForm(getDb(), code), unitOptions(getDb(), user.scope)]);
    return { ...form, units };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const code = codeOf(params);
  const form = parseForm(SessionEditActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const actor = { userId: user.id };
  try {
    switch (form.data.intent) {
      case "update":
        await updateSession(db, actor, code, form.data, { origin: appOrigin() });
        return redirect(`/classes/admin/sessions/${code}`);
      case "addVenue":
        await addSessionVenue(db, actor, code, form.data);
        return { ok: true as const, message: "classes.venues.added" };
      case "updateVenue":
        await updateSessionVenue(db, actor, code, form.data, { origin: appOrigin() });
        return { ok: true as const, message: "classes.venues.saved" };
      case "removeVenue":
        await removeSessionVenue(db, actor, code, form.data.venueId);
        return { ok: true as const, message: "classes.venues.removed" };
      case "addStaff":
        await addVenueStaff(db, actor, code, form.data.venueId, form.data.identifier);
        return { ok: true as const, message: "classes.venues.staffAdded" };
      case "removeStaff":
        await removeVenueStaff(db, actor, code, form.data.venueId, form.data.userId);
        return { ok: true as const, message: "classes.venues.staffRemoved" };
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditSession() {
  const { t } = useTranslation();
  const { session, values, venues, otherVenues, units } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  const locked = session.status === "closed" || session.status === "cancelled";
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes/admin">{t("classes.admin.title")}</Link> /{" "}
        <Link to={`/classes/admin/sessions/${session.code}`}>{session.code}</Link> / {t("actions.edit")}
      </nav>
      <h1>{t("classes.edit.title", { code: session.code })}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="update" />
        <div className="grid two">
          <section className="card stack">
            <Field label={t("classes.edit.sessionTitle")} name="title" defaultValue={session.title} errors={errors} />
            <div className="grid two">
              <Field label={t("classes.session.lecturer")} name="lecturer" defaultValue={session.lecturer} errors={errors} />
              <Field
                label={t("classes.edit.affiliation")}
                name="lecturerAffiliation"
                defaultValue={session.lecturerAffiliation}
                errors={errors}
              />
            </div>
            <Field
              label={t("classes.session.tags")}
              name="topicTags"
              defaultValue={values.topicTags}
              errors={errors}
              placeholder="基层治理、数字政府"
            />
            <TextareaField
              label={t("classes.edit.description")}
              name="description"
              rows={3}
              defaultValue={session.description}
              errors={errors}
            />
            <div className="grid two">
              <Field
                label={t("classes.series.date")}
                name="date"
                type="date"
                defaultValue={values.date}
                errors={errors}
                readOnly={session.status === "closed"}
              />
              <Field
                label={t("classes.session.hours")}
                name="trainingHours"
                type="number"
                step="0.5"
                min={0}
                defaultValue={session.trainingHours}
                errors={errors}
              />
              <Field
                label={t("classes.series.startTime")}
                name="startTime"
                type="time"
                defaultValue={values.startTime}
                errors={errors}
                readOnly={session.status === "closed"}
              />
              <Field
                label={t("classes.series.endTime")}
                name="endTime"
                type="time"
                defaultValue={values.endTime}
                errors={errors}
                readOnly={session.status === "closed"}
              />
            </div>
            <Field
              label={t("classes.session.deadline")}
              name="registrationDeadline"
              type="datetime-local"
              defaultValue={values.registrationDeadline}
              errors={errors}
            />
            <Field label={t("classes.session.liveUrl")} name="liveUrl" type="url" defaultValue={session.liveUrl ?? ""} errors={errors} />
            <Field label={t("classes.edit.replayUrl")} name="replayUrl" type="url" defaultValue={session.replayUrl ?? ""} errors={errors} />
            <TextareaField
              label={t("classes.session.materials")}
              name="materials"
              rows={3}
              defaultValue={values.materials}
              errors={errors}
              placeholder="讲义 | https://…"
            />
          </section>
          <section className="card stack">
            <AudienceFields
              units={units}
              errors={errors}
              values={{ ...values, audienceMandatory: session.audienceMandatory, openRegistration: session.openRegistration }}
            />
          </section>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || session.status === "cancelled"}>
            {t("actions.save")}
          </button>
          <Link to={`/classes/admin/sessions/${session.code}`}>{t("actions.cancel")}</Link>
        </div>
      </Form>

      <h2>{t("classes.venues.sessionVenues")}</h2>
      <div className="grid two">
        {venues.map((v) => (
          <section key={v.venueId} className="card" data-venue={v.venueId}>
            <h3>{v.name}</h3>
            <p className="muted small">{t("classes.venues.taken", { taken: v.occupied, capacity: v.capacity, waiting: v.waiting })}</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="venueId" value={v.venueId} />
              <Field
                label={t("classes.venues.capacity")}
                name="capacity"
                type="number"
                min={1}
                defaultValue={v.capacity}
                errors={errors}
                disabled={locked}
              />
              <RankChecks name="ranks" checked={v.ranks} errors={errors} />
              {!locked ? (
                <div className="actions">
                  <button type="submit" name="intent" value="updateVenue" className="secondary" disabled={busy}>
                    {t("actions.save")}
                  </button>
                  <button type="submit" name="intent" value="removeVenue" className="danger" disabled={busy}>
                    {t("classes.venues.remove")}
                  </button>
                </div>
              ) : null}
            </Form>
            <h4>{t("classes.venues.staff")}</h4>
            {v.staff.length ? (
              <ul>
                {v.staff.map((s) => (
                  <li key={s.userId}>
                    <Form method="post" className="actions">
                      <input type="hidden" name="venueId" value={v.venueId} />
                      <input type="hidden" name="userId" value={s.userId} />
                      <span>{s.name}</span>
                      <button type="submit" name="intent" value="removeStaff" className="link-button" disabled={busy}>
                        {t("classes.venues.removeStaff")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">{t("classes.venues.noStaff")}</p>
            )}
            <Form method="post" className="actions">
              <input type="hidden" name="venueId" value={v.venueId} />
              <input name="identifier" placeholder={t("classes.venues.staffPlaceholder")} aria-label={t("classes.venues.addStaff")} />
              <button type="submit" name="intent" value="addStaff" className="secondary" disabled={busy}>
                {t("classes.venues.addStaff")}
              </button>
            </Form>
            <ErrorList errors={errors?.identifier} />
          </section>
        ))}
        {!locked && otherVenues.length ? (
          <section className="card">
            <h3>{t("classes.venues.add")}</h3>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="addVenue" />
              <SelectField
                label={t("classes.venues.venue")}
                name="venueId"
                errors={errors}
                options={otherVenues.map((v) => ({ value: String(v.id), label: v.name }))}
              />
              <Field
                label={t("classes.venues.capacity")}
                name="capacity"
                type="number"
                min={1}
                defaultValue={otherVenues[0]!.capacity}
                errors={errors}
              />
              <RankChecks name="ranks" checked={otherVenues[0]!.ranks} errors={errors} />
              <button type="submit" className="secondary" disabled={busy}>
                {t("classes.venues.add")}
              </button>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}
