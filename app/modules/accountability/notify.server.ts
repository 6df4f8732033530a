import { eq, inArray } from "drizzle-orm";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import { linkOrigin } from "~/utils/origin.server";
import type { DbOrTx } from "~db/client";
import { type accountabilityRecords, cadres, unitLiaisons, units, users } from "~db/schema";

type RecordRow = typeof accountabilityRecords.$inferSelect;

/**
 * A record's emails, queued in the transaction that causes them: the notice when it is opened, and the
 * reminders before and at its rectification deadline. They go to whom must answer it — the cadre of a
 * cadre record; the head, the principal named and the liaisons of a unit record — and, once the
 * deadline has come without a report, to the official who opened it too. One message per record,
 * stage, deadline and recipient, however often the job runs.
 */
export async function queueRecordNotice(
  tx: DbOrTx,
  record: RecordRow,
  stage: "opened" | "before" | "due",
  options: { origin?: string } = {},
): Promise<number> {
  const [unit] = await tx.select({ name: units.name, headCadreId: units.headCadreId }).from(units).where(eq(units.id, record.unitId));
  const cadreIds = new Set<number>();
  if (record.cadreId) cadreIds.add(record.cadreId);
  if (record.subject === "unit") {
    if (unit?.headCadreId) cadreIds.add(unit.headCadreId);
    for (const l of await tx.select({ cadreId: unitLiaisons.cadreId }).from(unitLiaisons).where(eq(unitLiaisons.unitId, record.unitId)))
      cadreIds.add(l.cadreId);
  }
  const people = cadreIds.size
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
        .where(inArray(cadres.id, [...cadreIds]))
    : [];
  const [subjectCadre] = record.cadreId ? people.filter((p) => p.cadreId === record.cadreId) : [];
  const concerns = record.subject === "unit" || !subjectCadre ? (unit?.name ?? "") : `${subjectCadre.name}（${unit?.name ?? ""}）`;
  const url = `${linkOrigin(options.origin)}/accountability/${record.id}`;
  const names = new Map<Locale, string>();
  const orgName = async (locale: Locale) => names.get(locale) ?? names.set(locale, await organizationName(tx, locale)).get(locale)!;
  const base = {
    stage,
    kind: record.kind,
    concerns,
    heldOn: record.heldOn,
    rectification: record.rectification,
    rectificationDue: record.rectificationDue,
    url,
  };
  const prepared: PreparedEmail[] = [];
  const key = (who: string) => `accountability/${record.id}/${stage}/${record.rectificationDue ?? "-"}/${who}`;
  for (const p of people) {
    const to = p.email ?? p.userEmail;
    if (!to) continue;
    const locale = toLocale(p.locale) ?? DEFAULT_LOCALE;
    prepared.push(
      await prepareEmail({
        template: "accountability-notice",
        to,
        userId: p.userId,
        idempotencyKey: key(`cadre-${p.cadreId}`),
        props: { ...base, locale, organizationName: await orgName(locale), name: p.name },
      }),
    );
  }
  if (stage === "due" && record.createdBy) {
    const [opener] = await tx
      .select({
        id: users.id,
        email: users.email,
        cadreEmail: cadres.email,
        name: users.displayName,
        cadreName: cadres.name,
        locale: users.locale,
      })
      .from(users)
      .leftJoin(cadres, eq(cadres.id, users.cadreId))
      .where(eq(users.id, record.createdBy));
    const to = opener?.email ?? opener?.cadreEmail;
    if (opener && to) {
      const locale = toLocale(opener.locale) ?? DEFAULT_LOCALE;
      prepared.push(
        await prepareEmail({
          template: "accountability-notice",
          to,
          userId: opener.id,
          idempotencyKey: key(`user-${opener.id}`),
          props: {
            ...base,
            locale,
            organizationName: await orgName(locale),
            name: opener.cadreName ?? (opener.name || to),
            forOrganization: true,
          },
        }),
      );
    }
  }
  return (await enqueuePrepared(tx, prepared)).length;
}
