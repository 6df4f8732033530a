import { and, desc, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { rankingModels, settings, users } from "~db/schema";
import {
  DEFAULT_MODEL,
  DEFAULT_SHARING,
  type ModelSpec,
  ModelSpecSchema,
  readModelSpec,
  SharingSchema,
  type SharingSettings,
} from "./model";

/**
 * Model versions per year and the sharing settings. Every edit of a model is a new row, audited with
 * what changed and why; rankings point at the row they used, so an old ranking keeps its weights.
 */

export interface StoredModel {
  id: number;
  year: number;
  version: number;
  spec: ModelSpec;
  reason: string | null;
  createdAt: Date;
  createdByName: string | null;
}

/** The row a spec is stored as (jsonb columns). */
function modelRow(spec: ModelSpec) {
  return {
    cadreWeights: spec.cadreWeights as Record<string, number>,
    unitWeights: spec.unitWeights as Record<string, number>,
    params: spec.params as unknown as Record<string, unknown>,
  };
}

function toStored(row: typeof rankingModels.$inferSelect, createdByName: string | null = null): StoredModel {
  return {
    id: row.id,
    year: row.year,
    version: row.version,
    spec: readModelSpec(row),
    reason: row.reason,
    createdAt: row.createdAt,
    createdByName,
  };
}

/** The latest version of a year's model, or null while the year still uses the default. */
export async function latestModel(db: DbOrTx, year: number): Promise<StoredModel | null> {
  const [row] = await db.select().from(rankingModels).where(eq(rankingModels.year, year)).orderBy(desc(rankingModels.version)).limit(1);
  return row ? toStored(row) : null;
}

export async function modelById(db: DbOrTx, id: number): Promise<StoredModel> {
  const [row] = await db.select().from(rankingModels).where(eq(rankingModels.id, id));
  if (!row) throw new Error(`ranking model ${id} not found`);
  return toStored(row);
}

/** What the model page shows for a year: its versions, newest first, and the spec in force. */
export async function modelVersions(db: DbOrTx, year: number): Promise<{ current: ModelSpec; versions: StoredModel[] }> {
  const rows = await db
    .select({ model: rankingModels, name: users.displayName })
    .from(rankingModels)
    .leftJoin(users, eq(users.id, rankingModels.createdByUserId))
    .where(eq(rankingModels.year, year))
    .orderBy(desc(rankingModels.version));
  const versions = rows.map((r) => toStored(r.model, r.name || null));
  return { current: versions[0]?.spec ?? DEFAULT_MODEL, versions };
}

/**
 * The stored model a computation uses: the year's latest version, or version 1 with the defaults,
 * written (and audited) the first time a year is computed, so every ranking names a stored version.
 */
export async function ensureModel(tx: DbOrTx, actor: Actor, year: number): Promise<StoredModel> {
  const existing = await latestModel(tx, year);
  if (existing) return existing;
  const [row] = await tx
    .insert(rankingModels)
    .values({ year, version: 1, ...modelRow(DEFAULT_MODEL), reason: null, createdByUserId: actor.userId })
    .onConflictDoNothing()
    .returning();
  if (!row) return (await latestModel(tx, year))!;
  await audit(tx, actor, {
    action: "ranking.model_created",
    entityType: "ranking_model",
    entityId: row.id,
    after: { year, version: 1, ...DEFAULT_MODEL },
  });
  return toStored(row);
}

/**
 * A new version of a year's model. Nothing happens when the spec equals the latest version (a second
 * click). The reason is required: the model decides who speaks at the meeting and who is promoted.
 */
export async function saveModel(
  db: Database,
  actor: Actor,
  year: number,
  next: ModelSpec,
  reason: string,
): Promise<{ version: number; changed: boolean }> {
  const spec = ModelSpecSchema.parse(next);
  if (!reason.trim()) throw invalid("rankings.validation.reasonRequired", "reason");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`luoshi:ranking-model:${year}`}))`);
    const current = await latestModel(tx, year);
    const before = current?.spec ?? DEFAULT_MODEL;
    if (JSON.stringify(before) === JSON.stringify(spec) && current) return { version: current.version, changed: false };
    const version = (current?.version ?? 0) + 1;
    const [row] = await tx
      .insert(rankingModels)
      .values({ year, version, ...modelRow(spec), reason: reason.trim(), createdByUserId: actor.userId })
      .returning({ id: rankingModels.id });
    await audit(tx, actor, {
      action: "ranking.model_changed",
      entityType: "ranking_model",
      entityId: row!.id,
      before: { year, version: current?.version ?? null, ...before },
      after: { year, version, ...spec },
      reason: reason.trim(),
    });
    return { version, changed: true };
  });
}

export const SHARING_KEY = "rankings.sharing";

export async function getSharing(db: DbOrTx): Promise<SharingSettings> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SHARING_KEY));
  const parsed = SharingSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_SHARING;
}

export async function updateSharing(db: Database, actor: Actor, next: SharingSettings): Promise<boolean> {
  const value = SharingSchema.parse(next);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ value: settings.value })
      .from(settings)
      .where(and(eq(settings.key, SHARING_KEY)))
      .for("update");
    const before = SharingSchema.safeParse(current?.value).data ?? DEFAULT_SHARING;
    if (JSON.stringify(before) === JSON.stringify(value)) return false;
    await tx
      .insert(settings)
      .values({ key: SHARING_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    await audit(tx, actor, { action: "ranking.sharing_changed", entityType: "settings", entityId: SHARING_KEY, before, after: value });
    return true;
  });
}
