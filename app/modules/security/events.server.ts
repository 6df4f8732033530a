import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { accountIdsMatching, accountNames } from "~/modules/auth/people.server";
import type { DbOrTx } from "~db/client";
import { type SecurityEventKind, securityEvents } from "~db/schema";

export interface SecurityEvent {
  kind: SecurityEventKind;
  userId?: number | null;
  actorUserId?: number | null;
  identifier?: string | null;
  address?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

/** Where a request came from, as the security log records it. */
export interface RequestOrigin {
  address: string;
  userAgent: string;
}

const clip = (v: string | null | undefined, n: number) => (v == null ? null : v.slice(0, n));

/**
 * Appends to the security log. Sign-in failures are written on their own (not inside a transaction
 * that may roll back), so a refused attempt is always on record.
 */
export async function recordSecurityEvent(db: DbOrTx, event: SecurityEvent | SecurityEvent[], at = new Date()): Promise<void> {
  const events = Array.isArray(event) ? event : [event];
  if (!events.length) return;
  await db.insert(securityEvents).values(
    events.map((e) => ({
      at,
      kind: e.kind,
      userId: e.userId ?? null,
      actorUserId: e.actorUserId ?? null,
      identifier: clip(e.identifier, 200),
      address: clip(e.address, 100),
      userAgent: clip(e.userAgent, 300),
      reason: clip(e.reason, 100),
      details: e.details ?? null,
    })),
  );
}

export interface SecurityEventFilter {
  person?: string;
  kind?: string;
  /** "failures": every failed or refused sign-in and second factor, and lockouts. */
  outcome?: "failures";
  address?: string;
  from?: Date;
  to?: Date;
}

export const SECURITY_EVENTS_PAGE_SIZE = 50;
export const SECURITY_EVENTS_EXPORT_LIMIT = 50_000;
const FAILURE_KINDS: SecurityEventKind[] = ["sign_in.failed", "second_factor.failed", "account.locked", "password.refused"];

async function conditions(db: DbOrTx, filter: SecurityEventFilter): Promise<SQL | undefined> {
  const where: SQL[] = [];
  if (filter.kind) where.push(eq(securityEvents.kind, filter.kind as SecurityEventKind));
  if (filter.outcome === "failures") where.push(inArray(securityEvents.kind, FAILURE_KINDS));
  if (filter.address) where.push(eq(securityEvents.address, filter.address));
  if (filter.from) where.push(gte(securityEvents.at, filter.from));
  if (filter.to) where.push(lt(securityEvents.at, filter.to));
  if (filter.person) {
    const ids = await accountIdsMatching(db, filter.person);
    const term = filter.person.trim().toLowerCase();
    where.push(
      or(
        ids.length ? inArray(securityEvents.userId, ids) : undefined,
        ids.length ? inArray(securityEvents.actorUserId, ids) : undefined,
        sql`lower(${securityEvents.identifier}) = ${term}`,
      )!,
    );
  }
  return where.length ? and(...where) : undefined;
}

async function named<T extends { userId: number | null; actorUserId: number | null }>(db: DbOrTx, rows: T[]) {
  const names = await accountNames(db, [...new Set(rows.flatMap((r) => [r.userId, r.actorUserId]).filter((v): v is number => v != null))]);
  return rows.map((r) => ({
    ...r,
    userName: r.userId ? (names.get(r.userId) ?? `#${r.userId}`) : null,
    actorName: r.actorUserId ? (names.get(r.actorUserId) ?? `#${r.actorUserId}`) : null,
  }));
}

const columns = {
  id: securityEvents.id,
  at: securityEvents.at,
  kind: securityEvents.kind,
  userId: securityEvents.userId,
  actorUserId: securityEvents.actorUserId,
  identifier: securityEvents.identifier,
  address: securityEvents.address,
  userAgent: securityEvents.userAgent,
  reason: securityEvents.reason,
  details: securityEvents.details,
};

export async function listSecurityEvents(db: DbOrTx, filter: SecurityEventFilter, page = 1) {
  const rows = await db
    .select(columns)
    .from(securityEvents)
    .where(await conditions(db, filter))
    .orderBy(desc(securityEvents.id))
    .limit(SECURITY_EVENTS_PAGE_SIZE + 1)
    .offset((page - 1) * SECURITY_EVENTS_PAGE_SIZE);
  return { rows: await named(db, rows.slice(0, SECURITY_EVENTS_PAGE_SIZE)), hasMore: rows.length > SECURITY_EVENTS_PAGE_SIZE };
}

export async function securityEventsForExport(db: DbOrTx, filter: SecurityEventFilter) {
  const rows = await db
    .select(columns)
    .from(securityEvents)
    .where(await conditions(db, filter))
    .orderBy(securityEvents.id)
    .limit(SECURITY_EVENTS_EXPORT_LIMIT + 1);
  return { rows: await named(db, rows.slice(0, SECURITY_EVENTS_EXPORT_LIMIT)), truncated: rows.length > SECURITY_EVENTS_EXPORT_LIMIT };
}

/** The latest events of one account, for its page. */
export async function recentSecurityEvents(db: DbOrTx, userId: number, limit = 20) {
  const rows = await db
    .select(columns)
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.id))
    .limit(limit);
  return named(db, rows);
}
