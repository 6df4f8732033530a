import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { isRankingsAdmin, mayUseRankings } from "~/modules/rankings/access";
import { formatScore } from "~/modules/rankings/format";
import { sendInvitations } from "~/modules/rankings/meeting-invitations.server";
import {
  addAgendaItem,
  meetingView,
  removeAgendaItem,
  saveCommitment,
  saveMinutes,
  updateMeeting,
} from "~/modules/rankings/meetings.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { AddItemSchema, CommitmentSchema, MeetingSchema, MinutesSchema, RemoveItemSchema } from "~/modules/rankings/schema";
import { changeText } from "~/modules/rankings/tables";
import { listUnitChoices } from "~/modules/rankings/unit-choices.server";
import { formatDateTime, shanghaiDateOf, shanghaiTimeOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { fields, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";
import { MEETING_ROLES } from "~db/schema/rankings";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("rankings.titles.meeting", { quarter: data.meeting.quarter }) : t("rankings.titles.someMeeting")));

async function meetingId(params: { meetingId?: string }) {
  const id = fields.id().safeParse(params.meetingId);
  if (!id.success) throw notFoundResponse();
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const id = await meetingId(params);
  try {
    const db = getDb();
    const meeting = await meetingView(db, user, id);
    const admin = isRankingsAdmin(user);
    return { meeting, admin, units: admin ? await listUnitChoices(db) : [] };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Every change to a meeting is the organization department's, audited with its reason. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!isRankingsAdmin(user)) throw forbiddenResponse();
  const id = await meetingId(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const db = getDb();
  const actor = { userId: user.id };
  const fail = (errors: Record<string, unknown>) =>
    data({ ok: false as const, intent, errors: errors as Record<string, string[]> }, { status: 400 });
  try {
    switch (intent) {
      case "details": {
        const parsed = parseForm(MeetingSchema, form);
        if (!parsed.ok) return fail(parsed.errors);
        const { changed } = await updateMeeting(db, actor, id, parsed.data);
        return { ok: true as const, intent, message: changed ? "rankings.meeting.detailsSaved" : "rankings.meeting.unchanged" };
      }
      case "remove": {
        const parsed = parseForm(RemoveItemSchema, form);
        if (!parsed.ok) return fail({ ...parsed.errors, itemId: [String(form.get("itemId"))] });
        await removeAgendaItem(db, actor, id, parsed.data.itemId, parsed.data.reason);
        return { ok: true as const, intent, message: "rankings.meeting.removed" };
      }
      case "add": {
        const parsed = parseForm(AddItemSchema, form);
        if (!parsed.ok) return fail(parsed.errors);
        await addAgendaItem(db, actor, id, parsed.data);
        return { ok: true as const, intent, message: "rankings.meeting.added" };
      }
      case "invite": {
        const { queued, withoutEmail } = await sendInvitations(db, actor, id, appOrigin());
        return { ok: true as const, intent, message: "rankings.meeting.invited", params: { queued, withoutEmail } };
      }
      case "minutes": {
        const parsed = parseForm(MinutesSchema, form);
        if (!parsed.ok) return fail(parsed.errors);
        await saveMinutes(db, actor, id, parsed.data.minutes);
        return { ok: true as const, intent, message: "rankings.meeting.minutesSaved" };
      }
      case "commitment": {
        const parsed = parseForm(CommitmentSchema, form);
        if (!parsed.ok) return fail({ ...parsed.errors, unitId: [String(form.get("unitId"))] });
        await saveCommitment(db, actor, id, parsed.data);
        return { ok: true as const, intent, message: "rankings.meeting.commitmentSaved" };
      }
      default:
        return fail({ form: ["validation.invalid"] });
    }
  } catch (error) {
    const response = domainErrorResponse(error);
    return data(
      { ok: false as const, intent, errors: response.data.errors as Record<string, string[]> },
      { status: response.init?.status ?? 400 },
    );
  }
}

export default function MeetingPage() {
  const { t, i18n } = useTranslation();
  const { meeting, admin, units } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? errors : undefined);
  const busy = useNavigation().state !== "idle";
  const live = meeting.items.filter((i) => !i.removedAt);
  const removed = meeting.items.filter((i) => i.removedAt);
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> /{" "}
        <Link to={`/rankings/${meeting.quarter}`}>{quarterLabel(meeting.quarter, i18n.language)}</Link> / {t("rankings.meeting.title")}
      </nav>
      <div className="page-head">
        <h1>{t("rankings.meeting.heading", { quarter: quarterLabel(meeting.quarter, i18n.language) })}</h1>
        <div className="actions no-print">
          <Link className="button secondary" to={`/rankings/meetings/${meeting.id}/print`}>
            {t("rankings.meeting.print")}
          </Link>
          <a className="button secondary" href={`/rankings/meetings/${meeting.id}/calendar`} download>
            {t("rankings.meeting.ics")}
          </a>
        </div>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message, "params" in result ? result.params : undefined)}
        </p>
      ) : null}
      {meeting.rankingSuperseded ? (
        <p className="notice warn">{t("rankings.meeting.supersededNotice", { version: meeting.rankingVersion })}</p>
      ) : null}
      <dl className="facts card">
        <dt>{t("rankings.fields.time")}</dt>
        <dd>{`${formatDateTime(meeting.startsAt, i18n.language)}–${formatDateTime(meeting.endsAt, i18n.language).slice(-5)}`}</dd>
        <dt>{t("rankings.fields.place")}</dt>
        <dd>{meeting.place}</dd>
        <dt>{t("rankings.meeting.source")}</dt>
        <dd>{t("rankings.meeting.sourceLine", { version: meeting.rankingVersion, k: meeting.agendaSize })}</dd>
        <dt>{t("rankings.meeting.invitations")}</dt>
        <dd>{meeting.invitationsSentAt ? formatDateTime(meeting.invitationsSentAt, i18n.language) : t("rankings.meeting.notSent")}</dd>
      </dl>

      {(["experience", "commitment"] as const).map((role) => (
        <section key={role} className="card" aria-labelledby={`rk-${role}`}>
          <h2 id={`rk-${role}`}>{t(`rankings.meeting.roles.${role}`)}</h2>
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th>{t("rankings.table.group")}</th>
                  <th className="num">{t("rankings.table.rank")}</th>
                  <th>{t("rankings.table.unit")}</th>
                  <th className="num">{t("rankings.table.score")}</th>
                  <th>{t("rankings.meeting.speaker")}</th>
                  {meeting.nextPublished ? (
                    <th className="num">{t("rankings.meeting.nextChange", { quarter: meeting.nextQuarter })}</th>
                  ) : null}
                  {admin ? <th className="no-print">{t("rankings.meeting.adjust")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {live
                  .filter((i) => i.role === role)
                  .map((i) => (
                    <tr key={i.id}>
                      <td>{t(`unitKinds.${i.peerGroup}`)}</td>
                      <td className="num">{i.rank ? `${i.rank}/${i.groupSize}` : "—"}</td>
                      <td>
                        <Link to={`/rankings/${meeting.quarter}/units/${i.unitId}`}>{i.unitName}</Link>
                        {i.source === "added" ? (
                          <div className="muted small">{t("rankings.meeting.addedBecause", { reason: i.reason })}</div>
                        ) : null}
                      </td>
                      <td className="num">{formatScore(i.score)}</td>
                      <td>
                        {i.speakerName ?? <span className="badge warn">{t("rankings.meeting.noHead")}</span>}
                        {i.speakerName && !i.speakerHasEmail ? <div className="muted small">{t("rankings.meeting.noEmail")}</div> : null}
                        {i.headChanged ? <div className="muted small">{t("rankings.meeting.headChanged")}</div> : null}
                      </td>
                      {meeting.nextPublished ? (
                        <td className={`num ${(i.change ?? 0) > 0 ? "rk-ok" : (i.change ?? 0) < 0 ? "rk-danger" : ""}`}>
                          {changeText(i.change) || "—"}
                        </td>
                      ) : null}
                      {admin ? (
                        <td className="no-print">
                          <Form method="post" className="rk-inline">
                            <input type="hidden" name="intent" value="remove" />
                            <input type="hidden" name="itemId" value={i.id} />
                            <input
                              name="reason"
                              required
                              placeholder={t("rankings.meeting.removeReason")}
                              aria-label={t("rankings.meeting.removeReason")}
                            />
                            <button type="submit" className="secondary" disabled={busy}>
                              {t("rankings.meeting.remove")}
                            </button>
                          </Form>
                          {errorsFor("remove")?.itemId?.[0] === String(i.id) ? (
                            <span className="field-errors">{t("rankings.validation.reasonRequired")}</span>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {removed.length ? (
        <section className="card">
          <h2>{t("rankings.meeting.removedTitle")}</h2>
          <ul className="small">
            {removed.map((i) => (
              <li key={i.id}>
                {i.unitName}（{t(`rankings.meeting.roles.${i.role}`)}）：{i.removedReason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="rk-commitments">
        <h2 id="rk-commitments">{t("rankings.meeting.commitments")}</h2>
        {live.filter((i) => i.role === "commitment").length ? null : <p className="muted">{t("rankings.meeting.noCommitting")}</p>}
        {live
          .filter((i) => i.role === "commitment")
          .map((i) => (
            <div key={i.id} className="rk-commitment">
              <h3>{i.unitName}</h3>
              {i.commitment ? (
                <>
                  <p className="leave-reason">{i.commitment.text}</p>
                  <p className="muted small">
                    {t("rankings.meeting.responsible")}：{i.commitment.responsibleName}
                  </p>
                </>
              ) : (
                <p className="muted small">{t("rankings.meeting.noCommitment")}</p>
              )}
              {admin ? (
                <Form method="post" className="stack no-print">
                  <input type="hidden" name="intent" value="commitment" />
                  <input type="hidden" name="unitId" value={i.unitId} />
                  <TextareaField
                    label={t("rankings.fields.commitment")}
                    name="text"
                    rows={3}
                    defaultValue={i.commitment?.text ?? ""}
                    errors={errorsFor("commitment")?.unitId?.[0] === String(i.unitId) ? errorsFor("commitment") : undefined}
                  />
                  <SelectField
                    label={t("rankings.meeting.responsible")}
                    name="responsibleCadreId"
                    defaultValue={String(i.commitment?.responsibleCadreId ?? i.members[0]?.id ?? "")}
                    options={i.members.map((m) => ({ value: String(m.id), label: `${m.name}（${m.staffNo}）` }))}
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

      <section className="card" aria-labelledby="rk-minutes">
        <h2 id="rk-minutes">{t("rankings.meeting.minutes")}</h2>
        {meeting.minutesRecordedAt ? (
          <p className="muted small">
            {t("rankings.meeting.minutesBy", {
              at: formatDateTime(meeting.minutesRecordedAt, i18n.language),
              by: meeting.minutesRecordedBy ?? "",
            })}
          </p>
        ) : null}
        {admin ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="minutes" />
            <TextareaField
              label={t("rankings.meeting.minutes")}
              name="minutes"
              rows={8}
              defaultValue={meeting.minutes}
              errors={errorsFor("minutes")}
            />
            <div className="actions">
              <button type="submit" className="secondary" disabled={busy}>
                {t("actions.save")}
              </button>
            </div>
          </Form>
        ) : (
          <p className="leave-reason">{meeting.minutes || t("rankings.meeting.noMinutes")}</p>
        )}
      </section>

      {admin ? (
        <section className="card no-print" aria-labelledby="rk-manage">
          <h2 id="rk-manage">{t("rankings.meeting.manage")}</h2>
          <FormErrors errors={errorsFor("invite")} />
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="invite" />
            <p className="muted small">{t("rankings.meeting.inviteHint")}</p>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("rankings.meeting.invite")}
              </button>
            </div>
          </Form>
          <Form method="post" className="stack" noValidate>
            <h3>{t("rankings.meeting.add")}</h3>
            <FormErrors errors={errorsFor("add")} />
            <input type="hidden" name="intent" value="add" />
            <SelectField
              label={t("rankings.table.unit")}
              name="unitId"
              options={units.map((u) => ({ value: String(u.id), label: `${u.name}（${u.code}）` }))}
              errors={errorsFor("add")}
            />
            <SelectField
              label={t("rankings.fields.role")}
              name="role"
              options={MEETING_ROLES.map((r) => ({ value: r, label: t(`rankings.meeting.roles.${r}`) }))}
            />
            <Field label={t("rankings.fields.reason")} name="reason" required errors={errorsFor("add")} />
            <div className="actions">
              <button type="submit" className="secondary" disabled={busy}>
                {t("rankings.meeting.addButton")}
              </button>
            </div>
          </Form>
          <Form method="post" className="stack" noValidate>
            <h3>{t("rankings.meeting.details")}</h3>
            <FormErrors errors={errorsFor("details")} />
            <input type="hidden" name="intent" value="details" />
            <Field
              label={t("rankings.fields.date")}
              name="date"
              type="date"
              defaultValue={shanghaiDateOf(meeting.startsAt)}
              errors={errorsFor("details")}
            />
            <Field
              label={t("rankings.fields.startTime")}
              name="startTime"
              type="time"
              defaultValue={shanghaiTimeOf(meeting.startsAt)}
              errors={errorsFor("details")}
            />
            <Field
              label={t("rankings.fields.endTime")}
              name="endTime"
              type="time"
              defaultValue={shanghaiTimeOf(meeting.endsAt)}
              errors={errorsFor("details")}
            />
            <Field label={t("rankings.fields.place")} name="place" defaultValue={meeting.place} errors={errorsFor("details")} />
            <input type="hidden" name="agendaSize" value={meeting.agendaSize} />
            <div className="actions">
              <button type="submit" className="secondary" disabled={busy}>
                {t("actions.save")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
