import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, SelectField, TextareaField } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import type { CommitmentState } from "../commitments";
import { defaultCommitmentDeadline } from "../commitments";
import type { MeetingView } from "../meetings.server";

/** A commitment's state as a badge: open, done, overdue. */
export function CommitmentBadge({ state }: { state: CommitmentState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${state === "done" ? "ok" : state === "overdue" ? "danger" : "warn"}`}>
      {t(`rankings.commitments.states.${state}`)}
    </span>
  );
}

/**
 * The lagging units' commitments at a meeting: what each committed to, who answers for it, by when and
 * its state; the department records them here (the owner is one of the unit's cadres).
 */
export function MeetingCommitments({
  meeting,
  admin,
  errorsFor,
  busy,
}: {
  meeting: MeetingView;
  admin: boolean;
  errorsFor: (unitId: number) => FieldErrors | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const committing = meeting.items.filter((i) => !i.removedAt && i.role === "commitment");
  const deadline = defaultCommitmentDeadline(meeting.quarter);
  return (
    <section className="card" aria-labelledby="rk-commitments">
      <h2 id="rk-commitments">{t("rankings.meeting.commitments")}</h2>
      {committing.length ? null : <p className="muted">{t("rankings.meeting.noCommitting")}</p>}
      {committing.map((i) => (
        <div key={i.id} className="rk-commitment">
          <h3>{i.unitName}</h3>
          {i.commitment ? (
            <>
              <p className="leave-reason">{i.commitment.text}</p>
              <p className="muted small">
                {t("rankings.commitments.line", { owner: i.commitment.responsibleName, deadline: i.commitment.deadline })}{" "}
                <CommitmentBadge state={i.commitment.state} />{" "}
                <Link to={`/rankings/commitments/${i.commitment.id}`}>{t("rankings.commitments.progress")}</Link>
              </p>
            </>
          ) : (
            <p className="muted small">{t("rankings.meeting.noCommitment")}</p>
          )}
          {admin ? (
            <Form method="post" className="stack no-print" noValidate>
              <input type="hidden" name="intent" value="commitment" />
              <input type="hidden" name="unitId" value={i.unitId} />
              <TextareaField
                label={t("rankings.fields.commitment")}
                name="text"
                rows={3}
                defaultValue={i.commitment?.text ?? ""}
                errors={errorsFor(i.unitId)}
              />
              <SelectField
                label={t("rankings.meeting.responsible")}
                name="responsibleCadreId"
                defaultValue={String(i.commitment?.responsibleCadreId ?? i.members[0]?.id ?? "")}
                options={i.members.map((m) => ({ value: String(m.id), label: `${m.name}（${m.staffNo}）` }))}
                errors={errorsFor(i.unitId)}
              />
              <Field
                label={t("rankings.commitments.deadline")}
                name="deadline"
                type="date"
                defaultValue={i.commitment?.deadline ?? deadline}
                errors={errorsFor(i.unitId)}
              />
              <div className="actions">
                <button type="submit" className="secondary" disabled={busy}>
                  {t("rankings.meeting.saveCommitment")}
                </button>
              </div>
            </Form>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** Earlier meetings' commitments overdue on this meeting's day: an item of its agenda. */
export function OverdueCommitments({ rows }: { rows: MeetingView["overdueEarlier"] }) {
  const { t, i18n } = useTranslation();
  if (!rows.length) return null;
  return (
    <section className="card rk-overdue" aria-labelledby="rk-overdue">
      <h2 id="rk-overdue">{t("rankings.commitments.overdueTitle", { count: rows.length })}</h2>
      <p className="muted small">{t("rankings.commitments.overdueIntro")}</p>
      <ul className="rk-overdue-list">
        {rows.map((c) => (
          <li key={c.id}>
            <strong>{c.unitName}</strong>{" "}
            <span className="muted small">
              {t("rankings.commitments.from", { quarter: c.quarter })} ·{" "}
              {t("rankings.commitments.line", { owner: c.responsibleName, deadline: c.deadline })}
            </span>{" "}
            <CommitmentBadge state={c.state} />
            <div className="small">
              <Link to={`/rankings/commitments/${c.id}`} lang={i18n.language}>
                {c.text}
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
