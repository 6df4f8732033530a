import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import type { Reproduction } from "../compute.server";

/**
 * The organization department's tools on a quarter's page: recompute (or compute a correction with its
 * reason), publish (which first asks for confirmation, see PublishConfirmation), verify against the
 * frozen inputs, discard a draft, and call the ranking meeting once published.
 */
export function QuarterAdmin({
  ranking,
  errors,
  check,
  busy,
  ended,
}: {
  ranking: {
    id: number;
    quarter: string;
    version: number;
    status: "draft" | "published" | "superseded";
    meetingId: number | null;
    model: { agendaSize: number };
  };
  errors?: FieldErrors | null;
  check: Reproduction | null;
  busy: boolean;
  ended: boolean;
}) {
  const { t } = useTranslation();
  return (
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
          <Form method="get" className="stack">
            <input type="hidden" name="version" value={ranking.version} />
            <input type="hidden" name="confirm" value="publish" />
            <p className="muted small">{ended ? t("rankings.quarter.publishHint") : t("rankings.quarter.notOverHint")}</p>
            <button type="submit" className="primary" disabled={busy || !ended}>
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
  );
}
