import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

export async function databaseIsUp(db: DbOrTx): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
