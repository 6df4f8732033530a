import { and, desc, eq, gte, inArray, like, lt, or, type SQL, sql } from "drizzle-orm";
import { accountIdsMatching, accountNames, actorSnapshot } from "~/modules/auth/people.server";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { auditLog } from "~db/schema";
import type { AuditAction } from "./actions";

export interface Actor {
  userId: number | null;
  /** For changes made outside a signed-in request: "cli", "seed", "system". */
  label?: string;
}

export interface AuditEntry {
  action: AuditAction;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Write inside the transaction that makes the change, so the log and the change stand or fall together.
 * The actor is kept as they are now (name, roles, units), so the log still says who acted and in what
 * capacity after a transfer or a change of roles. Rows are sealed into the hash chain after commit.
 * Many entries (an import's chunk) go as one JSON parameter: a statement with a parameter per value
 * costs several times as much to build and to bind as the rows cost to insert.
 */
export async function audit(db: DbOrTx, actor: Actor, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (entries.length === 0) return;
  const who = actor.userId ? await actorSnapshot(db, actor.userId) : null;
  // A text[] as one parameter (drizzle spreads a JavaScript array into a list of parameters).
  const roles = who?.roles ? sql`array${textList(who.roles)}` : sql`null`;
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
      insert into ${auditLog} (actor_user_id, actor_label, actor_name, actor_roles, actor_units,
                               action, entity_type, entity_id, before, after, reason)
      select ${actor.userId}::int, ${actor.label ?? null}::text, ${who?.name ?? null}::text, ${roles}::text[],
             ${who?.units ?? null}::text, x.action, x.entity_type, x.entity_id, x.before, x.after, x.reason
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(action text, entity_type text, entity_id text, before jsonb, after jsonb, reason text)`);
  }
}

export interface AuditFilter {
  /** A person by name, staff number or email: what they did. */
  person?: string;
  /** An action category ("account", "ranking", …) or one action. */
  category?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
}

export const AUDIT_PAGE_SIZE = 50;
/** An export is the whole filtered result, up to this many rows (narrow the filter beyond). */
export const AUDIT_EXPORT_LIMIT = 50_000;

async function auditConditions(db: DbOrTx, filter: AuditFilter): Promise<SQL | undefined> {
  const where: SQL[] = [];
  if (filter.category) where.push(like(auditLog.action, `${filter.category.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.entityType) where.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  if (filter.person) {
    const ids = await accountIdsMatching(db, filter.person);
    const term = filter.person.trim().toLowerCase();
    where.push(
      or(
        ids.length ? inArray(auditLog.actorUserId, ids) : undefined,
        sql`strpos(lower(${auditLog.actorName}), ${term}) > 0`,
        sql`strpos(lower(${auditLog.actorLabel}), ${term}) > 0`,
      )!,
    );
  }
  return where.length ? and(...where) : undefined;
}

const rowColumns = {
  id: auditLog.id,
  at: auditLog.at,
  actorUserId: auditLog.actorUserId,
  actorName: auditLog.actorName,
  actorRoles: auditLog.actorRoles,
  actorUnits: auditLog.actorUnits,
  actorLabel: auditLog.actorLabel,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  before: auditLog.before,
  after: auditLog.after,
  reason: auditLog.reason,
  hash: auditLog.hash,
};

export type AuditRow = Awaited<ReturnType<typeof listAudit>>["rows"][number];

/** Rows written before actors were kept with them get the account's current name. */
async function withNames<T extends { actorUserId: number | null; actorName: string | null }>(db: DbOrTx, rows: T[]): Promise<T[]> {
  const missing = [...new Set(rows.filter((r) => r.actorUserId && !r.actorName).map((r) => r.actorUserId!))];
  if (!missing.length) return rows;
  const names = await accountNames(db, missing);
  return rows.map((r) => (r.actorUserId && !r.actorName ? { ...r, actorName: names.get(r.actorUserId) ?? null } : r));
}

export async function listAudit(db: DbOrTx, filter: AuditFilter, page = 1) {
  const rows = await db
    .select(rowColumns)
    .from(auditLog)
    .where(await auditConditions(db, filter))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { rows: await withNames(db, rows.slice(0, AUDIT_PAGE_SIZE)), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/** Everything the filter finds, oldest first, for the CSV/XLSX export. */
export async function auditForExport(db: DbOrTx, filter: AuditFilter) {
  const rows = await db
    .select(rowColumns)
    .from(auditLog)
    .where(await auditConditions(db, filter))
    .orderBy(auditLog.id)
    .limit(AUDIT_EXPORT_LIMIT + 1);
  return { rows: await withNames(db, rows.slice(0, AUDIT_EXPORT_LIMIT)), truncated: rows.length > AUDIT_EXPORT_LIMIT };
}

/** The kinds of object the log names, for the filter's list. */
export async function auditEntityTypes(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ t: string }>(sql`select distinct entity_type as t from audit_log order by 1`);
  return rows.map((r) => r.t);
}
