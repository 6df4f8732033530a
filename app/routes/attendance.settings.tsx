import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { RulesFormSchema } from "~/modules/attendance/schema";
import { getAttendanceRules, updateAttendanceRules } from "~/modules/attendance/settings.server";
import { requireRole } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.settings"));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  return { rules: await getAttendanceRules(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(RulesFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const f = form.data;
  await updateAttendanceRules(
    getDb(),
    { userId: user.id },
    {
      graceMinutes: f.graceMinutes,
      opensMinutesBefore: f.opensMinutesBefore,
      onlineShare: f.onlinePercent / 100,
      lateWeight: f.latePercent / 100,
      rotationSeconds: f.rotationSeconds,
      autoCloseHours: f.autoCloseHours,
      yearlyHours: { leading: f.hoursLeading, section: f.hoursSection, staff: f.hoursStaff },
      lowAttendance: { sessions: f.lowSessions, threshold: f.lowPercent / 100 },
      flags: { deviceCadres: f.deviceCadres, addressCadres: f.addressCadres, addressWindowSeconds: f.addressWindowSeconds },
    },
  );
  return { ok: true as const };
}

export default function AttendanceSettings() {
  const { t } = useTranslation();
  const { rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const num = (name: string, value: number, min: number, max: number, hint?: string) => (
    <Field
      label={t(`attendance.settings.${name}`)}
      name={name}
      type="number"
      min={min}
      max={max}
      inputMode="numeric"
      defaultValue={value}
      hint={hint}
      errors={errors}
    />
  );
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance/reports">{t("attendance.reports.title")}</Link> / {t("attendance.settings.title")}
      </nav>
      <h1>{t("attendance.settings.title")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" className="stack" noValidate>
          <FormErrors errors={errors} />
          <h2>{t("attendance.settings.checkIn")}</h2>
          {num("graceMinutes", rules.graceMinutes, 0, 120, t("attendance.settings.graceHint"))}
          {num("opensMinutesBefore", rules.opensMinutesBefore, 0, 240)}
          {num("rotationSeconds", rules.rotationSeconds, 10, 600)}
          {num("autoCloseHours", rules.autoCloseHours, 1, 72)}
          <h2>{t("attendance.settings.online")}</h2>
          {num("onlinePercent", Math.round(rules.onlineShare * 100), 5, 100)}
          <h2>{t("attendance.settings.rate")}</h2>
          {num("latePercent", Math.round(rules.lateWeight * 100), 0, 100)}
          <h2>{t("attendance.settings.hours")}</h2>
          {num("hoursLeading", rules.yearlyHours.leading, 0, 1000)}
          {num("hoursSection", rules.yearlyHours.section, 0, 1000)}
          {num("hoursStaff", rules.yearlyHours.staff, 0, 1000)}
          <h2>{t("attendance.settings.low")}</h2>
          {num("lowSessions", rules.lowAttendance.sessions, 1, 50)}
          {num("lowPercent", Math.round(rules.lowAttendance.threshold * 100), 5, 100)}
          <h2>{t("attendance.settings.flags")}</h2>
          {num("deviceCadres", rules.flags.deviceCadres, 2, 100)}
          {num("addressCadres", rules.flags.addressCadres, 2, 10000)}
          {num("addressWindowSeconds", rules.flags.addressWindowSeconds, 10, 3600)}
          <p className="muted small">{t("attendance.settings.audited")}</p>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("actions.save")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
