import { type SQL, sql } from "drizzle-orm";

/**
 * SQL helpers every capability uses, in one place.
 *
 *   where c.id in ${idList(cadreIds)}          -- however many ids: one parameter
 *   where u.code in ${textList(codes)}
 *   ilike(cadres.name, `%${escapeLike(term)}%`)
 */

/** A list of ids as a single parameter however long it is (one parameter per id would hit PostgreSQL's limit). */
export function idList(ids: readonly number[]): SQL {
  return sql`(select value::integer from jsonb_array_elements_text(${JSON.stringify(ids.map(Number))}::jsonb))`;
}

/** The same for text values (codes, staff numbers, emails). */
export function textList(values: readonly string[]): SQL {
  return sql`(select value from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

/** A search term for LIKE/ILIKE with its wildcards (`%`, `_`) and the escape character taken literally. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
