import { eq, inArray } from "drizzle-orm";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { orgAdminRecipients } from "~/modules/email/recipients.server";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import { linkOrigin } from "~/utils/origin.server";
import type { DbOrTx } from "~db/client";
import { cadres, units, users } from "~db/schema";
import type { Round } from "./rounds.server";
import { decisionChanges, type VersionEntry } from "./rules";

/**
 * The emails of a publication, queued in its transaction: the summary to every org admin with an
 * address, and to each unit head the outcomes of their own cadres only — the head of the cadre's unit,
 * or of the nearest unit above when the cadre heads it themself. From version 2, a head hears only
 * when one of their cadres' outcomes changed. One message per round, version and recipient, however
 * often the publication is retried.
 */

const SUMMARY_LIST = 50;

/** For each entry, the cadre id of the head who hears about it (walking up past a head's own entry). */
async function headsOf(tx: DbOrTx, entries: readonly VersionEntry[]): Promise<Map<number, number>> {
  const tree = await tx.select({ id: units.id, parentId: units.parentId, headCadreId: units.headCadreId }).from(units);
  const byId = new Map(tree.map((u) => [u.id, u]));
  const out = new Map<number, number>();
  for (const e of entries) {
    let unit = byId.get(e.unitId);
    for (let depth = 0; unit && depth < 50; depth++) {
      if (unit.headCadreId && unit.headCadreId !== e.cadreId) {
        out.set(e.cadreId, unit.headCadreId);
        break;
      }
      unit = unit.parentId ? byId.get(unit.parentId) : undefined;
    }
  }
  return out;
}

export async function queuePublicationEmails(
  tx: DbOrTx,
  input: { round: Round; version: number; reason: string | null; entries: VersionEntry[]; previous: VersionEntry[]; origin?: string },
): Promise<number> {
  const { round, version, reason, entries } = input;
  const url = `${linkOrigin(input.origin)}/shortlists/${round.id}`;
  const prepared: PreparedEmail[] = [];
  const names = new Map<Locale, string>();
  const orgName = async (locale: Locale) => names.get(locale) ?? names.set(locale, await organizationName(tx, locale)).get(locale)!;

  const shortlisted = entries.filter((e) => e.decision === "shortlisted");
  const counts = {
    shortlisted: shortlisted.length,
    deferred: entries.filter((e) => e.decision === "deferred").length,
    rejected: entries.filter((e) => e.decision === "rejected").length,
  };
  for (const admin of await orgAdminRecipients(tx)) {
    prepared.push(
      await prepareEmail({
        template: "shortlist-summary",
        to: admin.email,
        userId: admin.userId,
        idempotencyKey: `shortlist-summary/${round.id}/v${version}/${admin.userId}`,
        props: {
          locale: admin.locale,
          organizationName: await orgName(admin.locale),
          name: admin.name,
          roundName: round.name,
          version,
          reason,
          quota: round.quota,
          counts,
          overrides: entries.filter((e) => !e.eligibleAtNomination).length,
          shortlisted: shortlisted.slice(0, SUMMARY_LIST).map((e) => ({ name: e.name, unitName: e.unitName, rank: e.rank })),
          more: Math.max(0, shortlisted.length - SUMMARY_LIST),
          url,
        },
      }),
    );
  }

  const changed = new Set(decisionChanges(input.previous, entries).map((c) => c.cadreId));
  const heads = await headsOf(tx, entries);
  const byHead = new Map<number, VersionEntry[]>();
  for (const e of entries) {
    const head = heads.get(e.cadreId);
    if (head) byHead.set(head, [...(byHead.get(head) ?? []), e]);
  }
  // After publication the nominations are fixed (no new ones, no withdrawals): only decisions change.
  const headIds = [...byHead.keys()];
  const people = headIds.length
    ? await tx
        .select({
          cadreId: cadres.id,
          name: cadres.name,
          email: cadres.email,
          userId: users.id,
          userEmail: users.email,
          locale: users.locale,
        })
        .from(cadres)
        .leftJoin(users, eq(users.cadreId, cadres.id))
        .where(inArray(cadres.id, headIds))
    : [];
  for (const head of people) {
    const mine = byHead.get(head.cadreId) ?? [];
    const email = head.email ?? head.userEmail;
    if (!email || (version > 1 && !mine.some((e) => changed.has(e.cadreId)))) continue;
    const locale = toLocale(head.locale) ?? DEFAULT_LOCALE;
    prepared.push(
      await prepareEmail({
        template: "shortlist-outcome",
        to: email,
        userId: head.userId,
        idempotencyKey: `shortlist-outcome/${round.id}/v${version}/${head.cadreId}`,
        props: {
          locale,
          organizationName: await orgName(locale),
          name: head.name,
          roundName: round.name,
          version,
          reason,
          entries: mine.map((e) => ({
            name: e.name,
            unitName: e.unitName,
            decision: e.decision,
            reason: e.decisionReason,
            changed: changed.has(e.cadreId),
          })),
          url,
        },
      }),
    );
  }
  const created = await enqueuePrepared(tx, prepared);
  return created.length;
}
