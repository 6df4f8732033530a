import { sql } from "drizzle-orm";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";

/** Who gets the weekly digest: unit heads, and the liaisons of units that copy them. */

export interface DigestRecipient {
  cadreId: number;
  userId: number | null;
  name: string;
  email: string;
  locale: Locale;
}

export interface DigestHead extends DigestRecipient {
  /** The units this cadre heads, by code. */
  units: { unitId: number; code: string; name: string; copiesLiaisons: boolean }[];
}

/**
 * Heads who get a digest: the active head of each unit, with an email; one entry per head with every
 * unit they head. With `unitIds`, only the heads of those units (still with all their units: the
 * digest is one per head and week, so it is never sent with part of a head's units). Liaisons per
 * unit, for units that copy them.
 */
export async function digestRecipients(db: DbOrTx, options: { unitIds?: readonly number[] } = {}) {
  const only = options.unitIds ? sql`and h.id in (select head_cadre_id from units where id in ${idList(options.unitIds)})` : sql``;
  const heads = await db.execute<{
    unit_id: number;
    code: string;
    unit_name: string;
    copies: boolean;
    cadre_id: number;
    name: string;
    email: string;
    user_id: number | null;
    locale: string | null;
  }>(sql`
    select u.id as unit_id, u.code, u.name as unit_name, u.digest_copies_liaisons as copies,
      h.id as cadre_id, h.name, h.email, hu.id as user_id, hu.locale
    from units u
    join cadres h on h.id = u.head_cadre_id and h.status = 'active' and coalesce(trim(h.email), '') <> ''
    left join users hu on hu.cadre_id = h.id
    where true ${only}
    order by u.code`);
  const byHead = new Map<number, DigestHead>();
  for (const r of heads) {
    const cadreId = Number(r.cadre_id);
    const head = byHead.get(cadreId) ?? {
      cadreId,
      userId: r.user_id === null ? null : Number(r.user_id),
      name: r.name,
      email: r.email.trim(),
      locale: toLocale(r.locale) ?? DEFAULT_LOCALE,
      units: [],
    };
    head.units.push({ unitId: Number(r.unit_id), code: r.code, name: r.unit_name, copiesLiaisons: Boolean(r.copies) });
    byHead.set(cadreId, head);
  }
  const copying = heads.filter((h) => h.copies).map((h) => Number(h.unit_id));
  const liaisons = new Map<number, DigestRecipient[]>();
  if (copying.length) {
    const rows = await db.execute<{
      unit_id: number;
      cadre_id: number;
      name: string;
      email: string;
      user_id: number | null;
      locale: string | null;
    }>(sql`
      select l.unit_id, c.id as cadre_id, c.name, c.email, lu.id as user_id, lu.locale
      from unit_liaisons l
      join cadres c on c.id = l.cadre_id and c.status = 'active' and coalesce(trim(c.email), '') <> ''
      left join users lu on lu.cadre_id = c.id
      where l.unit_id in ${idList(copying)}
      order by l.unit_id, c.staff_no`);
    for (const r of rows) {
      const list = liaisons.get(Number(r.unit_id)) ?? [];
      list.push({
        cadreId: Number(r.cadre_id),
        userId: r.user_id === null ? null : Number(r.user_id),
        name: r.name,
        email: r.email.trim(),
        locale: toLocale(r.locale) ?? DEFAULT_LOCALE,
      });
      liaisons.set(Number(r.unit_id), list);
    }
  }
  return { heads: [...byHead.values()], liaisons };
}
