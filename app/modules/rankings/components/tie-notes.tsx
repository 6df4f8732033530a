import { useTranslation } from "react-i18next";

/** The agenda's word on ties: a peer group whose top or bottom K took more units because of a tie at the boundary. */
export function TieNotes({ notes, role, k }: { notes: { role: string; peerGroup: string; count: number }[]; role: string; k: number }) {
  const { t } = useTranslation();
  const mine = notes.filter((n) => n.role === role);
  if (!mine.length) return null;
  return (
    <p className="notice small rk-tie-note">
      {mine
        .map((n) => t("rankings.meeting.tieNote", { group: t(`unitKinds.${n.peerGroup}`), count: n.count, k }))
        .join(t("rankings.table.noteSeparator"))}
    </p>
  );
}
