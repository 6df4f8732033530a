import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { mayUseRankings } from "~/modules/rankings/access";
import { TieNotes } from "~/modules/rankings/components/tie-notes";
import { formatPlace, formatScore } from "~/modules/rankings/format";
import { meetingView } from "~/modules/rankings/meetings.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { fields } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.titles.meetingAgenda"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const id = fields.id().safeParse(params.meetingId);
  if (!id.success) throw notFoundResponse();
  try {
    return { meeting: await meetingView(getDb(), user, id.data) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** The agenda on A4: who speaks, in which order, with the ranking it follows from. */
export default function MeetingPrint() {
  const { t, i18n } = useTranslation();
  const { meeting } = useLoaderData<typeof loader>();
  const live = meeting.items.filter((i) => !i.removedAt);
  let order = 0;
  return (
    <article className="rk-print">
      <div className="no-print actions rk-print-tools">
        <Link to={`/rankings/meetings/${meeting.id}`}>{t("actions.back")}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("actions.print")}
        </button>
      </div>
      <header className="rk-print-title">
        <h1>{t("rankings.meeting.heading", { quarter: quarterLabel(meeting.quarter, i18n.language) })}</h1>
        <p>{t("rankings.print.agenda")}</p>
        <p className="small">
          {`${formatDateTime(meeting.startsAt, i18n.language)}–${formatDateTime(meeting.endsAt, i18n.language).slice(-5)}`} ·{" "}
          {meeting.place}
        </p>
      </header>
      <ol className="rk-agenda">
        <li>{t("rankings.print.opening")}</li>
        {(["experience", "commitment"] as const).map((role) => (
          <li key={role}>
            <strong>{t(`rankings.meeting.roles.${role}`)}</strong>
            <TieNotes notes={meeting.tieNotes} role={role} k={meeting.agendaSize} />
            <table className="rk-data compact">
              <thead>
                <tr>
                  <th className="num">{t("rankings.print.order")}</th>
                  <th>{t("rankings.table.group")}</th>
                  <th>{t("rankings.table.unit")}</th>
                  <th className="num">{t("rankings.table.rank")}</th>
                  <th className="num">{t("rankings.table.score")}</th>
                  <th>{t("rankings.meeting.speaker")}</th>
                </tr>
              </thead>
              <tbody>
                {live
                  .filter((i) => i.role === role)
                  .map((i) => (
                    <tr key={i.id}>
                      <td className="num">{++order}</td>
                      <td>{t(`unitKinds.${i.peerGroup}`)}</td>
                      <td>{i.unitName}</td>
                      <td className="num">{formatPlace(i.rank, i.groupSize, i.tieSize, t("rankings.table.tie"))}</td>
                      <td className="num">{formatScore(i.score)}</td>
                      <td>{i.speakerName ?? "—"}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </li>
        ))}
        {meeting.overdueEarlier.length ? (
          <li>
            <strong>{t("rankings.commitments.overdueTitle", { count: meeting.overdueEarlier.length })}</strong>
            <table className="rk-data compact">
              <thead>
                <tr>
                  <th>{t("rankings.table.unit")}</th>
                  <th>{t("rankings.fields.commitment")}</th>
                  <th>{t("rankings.meeting.responsible")}</th>
                  <th>{t("rankings.commitments.deadline")}</th>
                </tr>
              </thead>
              <tbody>
                {meeting.overdueEarlier.map((c) => (
                  <tr key={c.id}>
                    <td>{c.unitName}</td>
                    <td className="rk-wrap">{c.text}</td>
                    <td>{c.responsibleName}</td>
                    <td>{c.deadline}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ) : null}
        <li>{t("rankings.print.closing")}</li>
      </ol>
      <footer className="small muted">
        {t("rankings.print.agendaFooter", { version: meeting.rankingVersion, k: meeting.agendaSize })}
      </footer>
    </article>
  );
}
