import { and, eq } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { type RequestOrigin, recordSecurityEvent } from "~/modules/security/events.server";
import { invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { sessions } from "~db/schema";
import { forgetRememberedDevices } from "./devices.server";
import { queueSecurityNotice } from "./notices.server";
import { invalidateUserSessions, listUserSessions } from "./session.server";
import { accountKey, clearThrottle, lockedUntil } from "./throttle.server";

/**
 * What the security administrator sees of an account beyond its details: whether it is locked (by
 * failed passwords or failed codes), and its live sign-ins.
 */
export async function accountSecurityState(db: DbOrTx, userId: number, now = new Date()) {
  const key = accountKey(userId, "");
  const [byPassword, byCode, live] = await Promise.all([
    lockedUntil(db, "account", key, now),
    lockedUntil(db, "second_factor", key, now),
    listUserSessions(db, userId),
  ]);
  const until = [byPassword, byCode].filter((d): d is Date => Boolean(d)).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return { lockedUntil: until, sessions: live };
}

/** A security administrator ends every sign-in of an account (a lost phone, a leaver); the owner is told. */
export async function endAccountSessions(
  db: Database,
  actor: Actor & { userId: number },
  userId: number,
  reason: string,
  origin: RequestOrigin,
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    const ended = await invalidateUserSessions(tx, userId);
    await forgetRememberedDevices(tx, userId);
    await audit(tx, actor, {
      action: "account.sessions_ended",
      entityType: "user",
      entityId: userId,
      after: { sessionsEnded: ended },
      reason,
    });
    await recordSecurityEvent(
      tx,
      {
        kind: "session.ended",
        userId,
        actorUserId: actor.userId,
        reason: "by_security_admin",
        ...origin,
        details: { sessions: ended, reason },
      },
      now,
    );
    await queueSecurityNotice(
      tx,
      userId,
      { notice: "sessions_ended", at: now.toISOString(), reason },
      `sessions-ended/${userId}/${now.getTime()}`,
    );
    return ended;
  });
}

/** Lifts a lock before it runs out (the owner called, their identity checked). */
export async function unlockAccount(
  db: Database,
  actor: Actor & { userId: number },
  userId: number,
  reason: string,
  origin: RequestOrigin,
  now = new Date(),
) {
  await db.transaction(async (tx) => {
    const key = accountKey(userId, "");
    const cleared = [await clearThrottle(tx, "account", key), await clearThrottle(tx, "second_factor", key)].some(Boolean);
    if (!cleared) throw invalid("admin.security.notLocked", "form");
    await audit(tx, actor, { action: "account.unlocked", entityType: "user", entityId: userId, reason });
    await recordSecurityEvent(tx, { kind: "account.unlocked", userId, actorUserId: actor.userId, ...origin, details: { reason } }, now);
  });
}

/** "Sign out elsewhere": one other sign-in of one's own, or all but this one. */
export async function endOwnSessions(
  db: Database,
  user: { id: number; sessionId: string },
  which: { only: string } | { allButCurrent: true },
  origin: RequestOrigin,
  now = new Date(),
): Promise<number> {
  return db.transaction(async (tx) => {
    let ended: number;
    if ("only" in which) {
      if (which.only === user.sessionId) throw invalid("account.sessions.notThisOne", "form");
      const removed = await tx
        .delete(sessions)
        .where(and(eq(sessions.id, which.only), eq(sessions.userId, user.id)))
        .returning({ id: sessions.id });
      ended = removed.length;
    } else {
      ended = await invalidateUserSessions(tx, user.id, user.sessionId);
    }
    if (ended) {
      await recordSecurityEvent(
        tx,
        {
          kind: "session.ended",
          userId: user.id,
          actorUserId: user.id,
          reason: "signed_out_elsewhere",
          ...origin,
          details: { sessions: ended },
        },
        now,
      );
    }
    return ended;
  });
}
