import { eq, sql } from "drizzle-orm";
import { closeSessionAttendance } from "~/modules/attendance/closing/close.server";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { type ApplyContext, chunked, countActions, type ImportKindHandler, importReason } from "~/modules/imports/registry.server";
import type { FieldChange, ImportProblem, RowChange } from "~/modules/imports/types";
import { parseShanghaiLocal, shanghaiDateOf, shanghaiLocalInput } from "~/utils/dates";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { classSessions } from "~db/schema";
import type { AudienceRule, ClassSessionStatus } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";
import { enrolPastAudience, syncEnrolments } from "./enrolment.server";
import { type SessionImportRow, sessionKind } from "./import-kinds";
import { deadlineBefore, EMPTY_AUDIENCE } from "./rules";
import { lockSessionCodes } from "./series.server";
import { lockSession } from "./sessions.server";

/**
 * Importing the year's lecture plan. A session is found again by its code, so the same file twice
 * changes nothing the second time. The file may move a session along draft → published → closed, never
 * back; a session published by the file enrols its mandatory audience (the minimum rank and above,
 * active cadres) at once, online unless one of its venues seats them. Times of a closed session, and
 * anything of a cancelled one, are left alone and reported.
 *
 * Past sessions come in closed (历史补录, a department adopting Luoshi mid-year): each is created,
 * its mandatory audience enrolled as it was on the session's date (the rank and unit each cadre had
 * then), and closed with every enrolled cadre absent; the session's viewing log, imported next by the
 * organization department, turns them present or late as corrections.
 */

/** Registration closes this long before an imported session starts, as in the series' default. */
const DEADLINE_HOURS = 6;

interface Existing {
  id: number;
  code: string;
  title: string;
  lecturer: string;
  startsAt: Date;
  endsAt: Date;
  trainingHours: number;
  status: ClassSessionStatus;
  audience: AudienceRule;
  audienceMandatory: boolean;
}

interface Snapshot {
  title: string;
  lecturer: string;
  start: string;
  end: string;
  hours: number;
  minRank: Rank | null;
  status: ClassSessionStatus;
}

export interface SessionPlanItem {
  row: SessionImportRow;
  action: "create" | "update" | "unchanged";
  existing: Existing | null;
  after: Snapshot;
  fields: FieldChange[];
}

export interface SessionPlan {
  items: SessionPlanItem[];
}

const wall = (d: Date) => shanghaiLocalInput(d).replace("T", " ");

const ORDER: ClassSessionStatus[] = ["draft", "published", "closed"];

/** What importing these rows would do, and what stops it. Reads only. */
export async function planSessions(db: DbOrTx, rows: SessionImportRow[], options: { now: Date; column: (field: string) => string }) {
  const problems: ImportProblem[] = [];
  const codes = [...new Set(rows.map((r) => r.code))];
  const found = codes.length
    ? await db
        .select({
          id: classSessions.id,
          code: classSessions.code,
          title: classSessions.title,
          lecturer: classSessions.lecturer,
          startsAt: classSessions.startsAt,
          endsAt: classSessions.endsAt,
          trainingHours: classSessions.trainingHours,
          status: classSessions.status,
          audience: classSessions.audience,
          audienceMandatory: classSessions.audienceMandatory,
        })
        .from(classSessions)
        .where(sql`${classSessions.code} in ${textList(codes)}`)
    : [];
  const byCode = new Map<string, Existing>(found.map((s) => [s.code, s]));

  const items: SessionPlanItem[] = [];
  for (const r of rows) {
    const existing = byCode.get(r.code) ?? null;
    const problem = (field: string, messageKey: string, params?: Record<string, string | number>) =>
      problems.push({ row: r.row, column: options.column(field), messageKey, params });
    // A row with problems of its own is still checked for the session's state, as far as it was read.
    if (r.invalid && (!r.start || !r.end || !r.status)) continue;
    const startsAt = parseShanghaiLocal(r.start);
    const before: Snapshot | null = existing
      ? {
          title: existing.title,
          lecturer: existing.lecturer,
          start: wall(existing.startsAt),
          end: wall(existing.endsAt),
          hours: existing.trainingHours,
          minRank: existing.audience.minRank,
          status: existing.status,
        }
      : null;
    const after: Snapshot = {
      title: r.title,
      lecturer: r.lecturer ?? existing?.lecturer ?? "",
      start: r.start,
      end: r.end,
      hours: r.hours,
      minRank: r.minRank,
      status: r.status,
    };
    const moved = before !== null && (before.start !== after.start || before.end !== after.end);
    const statusChanges = before === null || before.status !== after.status;
    const problemsBefore = problems.length;
    if (before?.status === "cancelled") problem("status", "classes.import.cancelledSession");
    else if (before && ORDER.indexOf(after.status) < ORDER.indexOf(before.status)) {
      problem("status", "classes.import.statusBack", { from: before.status, to: after.status });
    } else {
      if (moved && before!.status === "closed") problem("start", "classes.errors.closedTime");
      if (after.status === "published" && startsAt <= options.now && (statusChanges || moved))
        problem("start", "classes.import.publishPast");
      if (after.status === "closed" && statusChanges && startsAt > options.now) problem("status", "classes.errors.closeBeforeStart");
    }
    if (problems.length > problemsBefore || r.invalid) continue;

    const fields: FieldChange[] = [];
    if (before) {
      for (const field of ["title", "lecturer", "start", "end", "hours", "minRank", "status"] as const) {
        if (before[field] !== after[field]) {
          fields.push({
            field,
            before: before[field] === null ? null : String(before[field]),
            after: after[field] === null ? null : String(after[field]),
          });
        }
      }
    }
    items.push({ row: r, action: !existing ? "create" : fields.length ? "update" : "unchanged", existing, after, fields });
  }
  return { plan: { items } satisfies SessionPlan, problems };
}

export function sessionChanges(plan: SessionPlan): RowChange[] {
  return plan.items
    .filter((i) => i.action !== "unchanged")
    .map((i) => ({ row: i.row.row, key: i.row.code, name: i.row.title, action: i.action as "create" | "update", fields: i.fields }));
}

/**
 * Writes a clean plan a chunk at a time, each change audited with the batch; then enrols the mandatory
 * audience of every session the file leaves published and not yet started.
 */
export async function applySessions(tx: DbOrTx, plan: SessionPlan, ctx: ApplyContext, now = new Date()): Promise<void> {
  const reason = importReason(ctx.batchId);
  await lockSessionCodes(tx);
  const toEnrol: number[] = [];
  // Sessions the file closes: past ones it brings in (历史补录) get their audience of that day first.
  const toClose: { id: number; enrolPast: boolean; day: string }[] = [];
  let processed = 0;
  for (const chunk of chunked(plan.items)) {
    const entries: AuditEntry[] = [];
    for (const item of chunk.filter((i) => i.action !== "unchanged")) {
      const a = item.after;
      const startsAt = parseShanghaiLocal(a.start);
      const endsAt = parseShanghaiLocal(a.end);
      const audience: AudienceRule = { ...(item.existing?.audience ?? EMPTY_AUDIENCE), minRank: a.minRank };
      const was = item.existing?.status ?? null;
      // When the session was published or closed: now, unless it already was.
      const stamps = {
        ...(a.status !== "draft" && (was === null || was === "draft") ? { publishedAt: now } : {}),
        ...(a.status === "closed" && was !== "closed" ? { closedAt: now } : {}),
      };
      const values = {
        title: a.title,
        lecturer: a.lecturer,
        startsAt,
        endsAt,
        trainingHours: a.hours,
        status: a.status,
        audience,
        audienceMandatory: a.minRank !== null || audience.unitIds.length > 0 || audience.cadreIds.length > 0,
        ...stamps,
      };
      let id: number;
      if (item.existing) {
        const moved = item.existing.startsAt.getTime() !== startsAt.getTime() || item.existing.endsAt.getTime() !== endsAt.getTime();
        await tx
          .update(classSessions)
          .set({
            ...values,
            ...(moved
              ? { registrationDeadline: deadlineBefore(startsAt, DEADLINE_HOURS), revision: sql`${classSessions.revision} + 1` }
              : {}),
          })
          .where(eq(classSessions.id, item.existing.id));
        id = item.existing.id;
      } else {
        const [created] = await tx
          .insert(classSessions)
          .values({
            code: item.row.code,
            ...values,
            registrationDeadline: deadlineBefore(startsAt, DEADLINE_HOURS),
            createdByUserId: ctx.actor.userId,
          })
          .returning({ id: classSessions.id });
        id = created!.id;
      }
      if (a.status === "published" && startsAt > now) toEnrol.push(id);
      if (a.status === "closed" && was !== "closed")
        toClose.push({ id, enrolPast: was === null || was === "draft", day: shanghaiDateOf(startsAt) });
      entries.push({
        action: item.existing ? "class.session.updated" : "class.session.imported",
        entityType: "class_session",
        entityId: id,
        before: item.existing ? Object.fromEntries(item.fields.map((f) => [f.field, f.before])) : null,
        after: item.existing ? Object.fromEntries(item.fields.map((f) => [f.field, f.after])) : { code: item.row.code, ...a },
        reason,
      });
    }
    await audit(tx, ctx.actor, entries);
    processed += chunk.length;
    await ctx.progress(processed);
  }
  for (const id of toEnrol) {
    await lockSession(tx, id);
    const [session] = await tx.select().from(classSessions).where(eq(classSessions.id, id));
    await syncEnrolments(tx, session!, ctx.actor, { now });
  }
  for (const { id, enrolPast, day } of toClose) {
    await lockSession(tx, id);
    const [session] = await tx.select().from(classSessions).where(eq(classSessions.id, id));
    if (enrolPast) await enrolPastAudience(tx, session!, ctx.actor, day);
    // Closing freezes attendance: everyone enrolled with nothing recorded becomes excused or absent.
    await closeSessionAttendance(tx, id, ctx.actor);
  }
}

export const sessionImport: ImportKindHandler<SessionImportRow, SessionPlan> = {
  ...sessionKind,
  async plan(db, rows, options) {
    const { plan, problems } = await planSessions(db, rows, { now: new Date(), column: options.column });
    return { problems, changes: sessionChanges(plan), counts: countActions(plan.items, sessionKind.counts), plan };
  },
  apply: (tx, plan, ctx) => applySessions(tx, plan, ctx),
};
