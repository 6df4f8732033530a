import { orgAdminRecipients } from "~/modules/email/recipients.server";
import type { DbOrTx } from "~db/client";
import { recipientsOf } from "./notify.server";
import { currentEntries, pendingChanges } from "./publish.server";
import type { Round } from "./rounds.server";
import { mayPublish } from "./rules";

/**
 * What publishing a round will do, said before it is done: the version it freezes with each entry's
 * evidence, the decisions, whom the emails go to, and the nominees who moved to another unit since
 * they were nominated (they are listed under their unit at publication, and both heads hear).
 */
export interface ShortlistPublicationPreview {
  version: number;
  mayPublish: boolean;
  counts: { shortlisted: number; deferred: number; rejected: number; undecided: number };
  quota: number;
  transfers: { cadreId: number; name: string; from: string; to: string }[];
  adminRecipients: number;
  headRecipients: number;
  /** From version 2: how many decisions changed since the published version. */
  changes: number;
}

export async function shortlistPublicationPreview(db: DbOrTx, round: Round, now = new Date()): Promise<ShortlistPublicationPreview> {
  const { entries, undecided } = await currentEntries(db, round, { now });
  const heads = await recipientsOf(db, entries);
  const [admins, changes] = await Promise.all([orgAdminRecipients(db), pendingChanges(db, round)]);
  return {
    version: round.publishedVersion + 1,
    mayPublish: round.publishedVersion > 0 || mayPublish(round, now),
    counts: {
      shortlisted: entries.filter((e) => e.decision === "shortlisted").length,
      deferred: entries.filter((e) => e.decision === "deferred").length,
      rejected: entries.filter((e) => e.decision === "rejected").length,
      undecided,
    },
    quota: round.quota,
    transfers: entries
      .filter((e) => e.transferred && e.nominatedUnit)
      .map((e) => ({ cadreId: e.cadreId, name: e.name, from: e.nominatedUnit!.unitName, to: e.unitName })),
    adminRecipients: admins.length,
    headRecipients: new Set([...heads.values()].flat()).size,
    changes: changes.length,
  };
}
