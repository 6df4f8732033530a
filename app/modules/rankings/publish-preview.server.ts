import { and, eq } from "drizzle-orm";
import { orgAdminRecipients } from "~/modules/email/recipients.server";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { rankings } from "~db/schema";
import { agendaPlaces } from "./agenda.server";
import { type CorrectionDiff, correctionDiff } from "./corrections.server";
import type { SharingSettings } from "./model";
import { getSharing, modelById } from "./model.server";
import { previousQuarter } from "./quarter";
import { publishedRankingId } from "./views.server";

/**
 * What publishing a draft will do, said before it is done (the confirmation on the quarter page): it
 * freezes the version, shows it to whom the sharing settings say, mails the summary to the
 * organization department, raises the 约谈 flags it predicts here, feeds the shortlists' top-P% rule,
 * and — for a correction — supersedes the published version, with the difference row by row.
 */
export interface PublicationPreview {
  rankingId: number;
  quarter: string;
  version: number;
  sharing: SharingSettings;
  /** Org admins with an address, who get the quarterly summary. */
  summaryRecipients: number;
  /** Units in the bottom K of this draft and of the previous published quarter: flagged for 约谈. */
  wouldFlag: string[];
  previousQuarterPublished: boolean;
  /** For a correction: the version it replaces and the difference; null for a first publication. */
  correction: CorrectionDiff | null;
  correctionReason: string | null;
}

export async function publicationPreview(db: DbOrTx, rankingId: number): Promise<PublicationPreview> {
  const [draft] = await db
    .select()
    .from(rankings)
    .where(and(eq(rankings.id, rankingId), eq(rankings.status, "draft")));
  if (!draft) throw notFound();
  const k = (await modelById(db, draft.modelId)).spec.params.agendaSize;
  const previousId = await publishedRankingId(db, previousQuarter(draft.quarter));
  const bottom = async (id: number) => (await agendaPlaces(db, id, k)).filter((p) => p.role === "commitment");
  const wouldFlag = previousId
    ? await (async () => {
        const before = new Set((await bottom(previousId)).map((p) => `${p.unitId}/${p.peerGroup}`));
        return (await bottom(rankingId)).filter((p) => before.has(`${p.unitId}/${p.peerGroup}`)).map((p) => p.name);
      })()
    : [];
  const [sharing, recipients, correction] = await Promise.all([
    getSharing(db),
    orgAdminRecipients(db),
    correctionDiff(db, rankingId, { limit: 0 }),
  ]);
  return {
    rankingId,
    quarter: draft.quarter,
    version: draft.version,
    sharing,
    summaryRecipients: recipients.length,
    wouldFlag,
    previousQuarterPublished: previousId !== null,
    correction,
    correctionReason: draft.correctionReason,
  };
}
