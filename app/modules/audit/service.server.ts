import { and, desc, eq, gte, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { auditLog, users } from "~db/schema";

export interface Actor {
  userId: number | null;
  /** For changes made outside a signed-in request: "cli", "seed", "system". */
  label?: string;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Write inside the transaction that makes the change, so the log and the change stand or fall together.
 * Many entries (an import's chunk) go as one JSON parameter: a statement with a parameter per value
 * costs several times as much to build and to bind as the rows cost to insert.
 */
export async function audit(db: DbOrTx, actor: Actor, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (entries.length === 0) return;
  for (let i = 0; i < entries.length; i += 5000) {
    const rows = entries.slice(i, i + 5000).map((e) => ({
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId == null ? null : String(e.entityId),
      before: e.before ?? null,
      after: e.after ?? null,
      reason: e.reason ?? null,
    }));
    await db.execute(sql`
      insert into ${auditLog} (actor_user_id, actor_label, action, entity_type, entity_id, before, after, reason)
      select ${actor.userId}::int, ${actor.label ?? null}::text, x.action, x.entity_type, x.entity_id, x.before, x.after, x.reason
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(action text, entity_type text, entity_id text, before jsonb, after jsonb, reason text)`);
  }
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: DbOrTx, filter: AuditFilter, page = 1) {
  const where: SQL[] = [];
  if (filter.action) where.push(ilike(auditLog.action, `%${escapeLike(filter.action)}%`));
  if (filter.entityType) where.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  if (filter.actor) {
    const term = `%${escapeLike(filter.actor)}%`;
    where.push(or(ilike(users.displayName, term), ilike(users.email, term), ilike(auditLog.actorLabel, term))!);
  }
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorUserId: auditLog.actorUserId,
      actorName: users.displayName,
      actorLabel: auditLog.actorLabel,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      reason: auditLog.reason,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
