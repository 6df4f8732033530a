import { sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { nameInitials } from "~/modules/organization/rules";
import { idList, textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, unitMemberships, units, users } from "~db/schema";
import type { Rank } from "~db/schema/enums";
import { type ApplyContext, chunked, importReason } from "./batching.server";
import { type CadreRow, cadreKind } from "./cadres";
import { countActions, type ImportKindHandler } from "./registry.server";
import type { FieldChange, ImportProblem, RowChange } from "./types";

type ChangeAction = "create" | "update" | "transfer" | "unchanged";

export interface CadreSnapshot {
  staffNo: string;
  name: string;
  unitCode: string;
  rank: Rank;
  title: string;
  email: string | null;
  phone: string | null;
  isHead: boolean;
}

export interface CadrePlanItem {
  row: CadreRow;
  action: ChangeAction;
  cadreId: number | null;
  unitId: number;
  before: CadreSnapshot | null;
  after: CadreSnapshot;
  fields: FieldChange[];
  /** False when only the headship changes: the cadre row itself is left alone. */
  writeCadre: boolean;
  /** A move to another unit: the open membership ends on `date` and a new one starts on it. */
  transferDate?: string;
}

/** A unit whose head the import changes: set to a cadre of the file, or cleared because its head left. */
export interface HeadChange {
  unitId: number;
  unitCode: string;
  before: string | null;
  after: string | null;
}

export interface CadrePlan {
  items: CadrePlanItem[];
  headChanges: HeadChange[];
  problems: ImportProblem[];
  /** The file has a phone column; without one, phones are left as they are. */
  hasPhone: boolean;
}

export interface CadreHeaders {
  unitCode: string;
  email: string;
  since: string | null;
}

interface ExistingCadre extends CadreSnapshot {
  id: number;
  unitId: number;
  membershipStart: string | null;
}

/**
 * What importing these rows would do, and what stops it: unknown unit codes, an email another cadre
 * uses, a move dated on or before the day the cadre joined the current unit. Reads only.
 */
export async function planCadres(db: DbOrTx, rows: CadreRow[], options: { today: string; headers: CadreHeaders }): Promise<CadrePlan> {
  const problems: ImportProblem[] = [];
  const { headers } = options;
  const hasPhone = rows.some((r) => r.phone !== undefined);

  const unitCodes = [...new Set(rows.map((r) => r.unitCode))];
  const unitByCode = new Map<string, { id: number; code: string; headCadreId: number | null; headStaffNo: string | null }>();
  if (unitCodes.length) {
    const found = await db.execute<{ id: number; code: string; head_cadre_id: number | null; head_staff_no: string | null }>(sql`
      select u.id, u.code, u.head_cadre_id, h.staff_no as head_staff_no
      from ${units} u left join ${cadres} h on h.id = u.head_cadre_id
      where u.code in ${textList(unitCodes)}`);
    for (const u of found) {
      unitByCode.set(u.code, { id: Number(u.id), code: u.code, headCadreId: u.head_cadre_id, headStaffNo: u.head_staff_no });
    }
  }

  const staffNos = rows.map((r) => r.staffNo);
  const existing = new Map<string, ExistingCadre>();
  if (staffNos.length) {
    const found = await db.execute<{
      id: number;
      staff_no: string;
      name: string;
      unit_id: number;
      unit_code: string;
      rank: Rank;
      title: string;
      email: string | null;
      phone: string | null;
      is_head: boolean;
      start_date: string | null;
    }>(sql`
      select c.id, c.staff_no, c.name, c.unit_id, u.code as unit_code, c.rank, c.title, c.email, c.phone,
             coalesce(u.head_cadre_id = c.id, false) as is_head, m.start_date::text as start_date
      from ${cadres} c
      join ${units} u on u.id = c.unit_id
      left join ${unitMemberships} m on m.cadre_id = c.id and m.end_date is null
      where c.staff_no in ${textList(staffNos)}`);
    for (const c of found) {
      existing.set(c.staff_no, {
        id: Number(c.id),
        staffNo: c.staff_no,
        name: c.name,
        unitId: Number(c.unit_id),
        unitCode: c.unit_code,
        rank: c.rank,
        title: c.title,
        email: c.email,
        phone: c.phone,
        isHead: c.is_head,
        membershipStart: c.start_date,
      });
    }
  }

  // An address is free if nobody has it, or only cadres of this file do (who may be swapping addresses).
  const fileStaffNos = new Set(staffNos);
  const emails = [...new Set(rows.map((r) => r.email).filter((e): e is string => !!e))];
  const emailOwner = new Map<string, string>();
  if (emails.length) {
    const found = await db.execute<{ staff_no: string; email: string }>(sql`
      select staff_no, lower(email) as email from ${cadres} where lower(email) in ${textList(emails)}`);
    for (const o of found) if (!fileStaffNos.has(o.staff_no)) emailOwner.set(o.email, o.staff_no);
  }

  const items: CadrePlanItem[] = [];
  for (const r of rows) {
    const unit = unitByCode.get(r.unitCode);
    let ok = true;
    if (!unit) {
      problems.push({ row: r.row, column: headers.unitCode, messageKey: "imports.errors.unitNotFound", params: { value: r.unitCode } });
      ok = false;
    }
    const owner = r.email ? emailOwner.get(r.email) : undefined;
    if (owner) {
      problems.push({
        row: r.row,
        column: headers.email,
        messageKey: "imports.errors.emailTaken",
        params: { value: r.email!, staffNo: owner },
      });
      ok = false;
    }
    if (!ok || !unit) continue;

    const before = existing.get(r.staffNo) ?? null;
    const after: CadreSnapshot = {
      staffNo: r.staffNo,
      name: r.name,
      unitCode: r.unitCode,
      rank: r.rank,
      title: r.title,
      email: r.email,
      phone: r.phone === undefined ? (before?.phone ?? null) : r.phone,
      isHead: r.isHead,
    };
    if (!before) {
      items.push({ row: r, action: "create", cadreId: null, unitId: unit.id, before: null, after, fields: [], writeCadre: true });
      continue;
    }
    const fields = diffCadre(snapshotOf(before), after);
    const moved = before.unitId !== unit.id;
    let transferDate: string | undefined;
    if (moved) {
      transferDate = r.since ?? options.today;
      if (before.membershipStart && transferDate <= before.membershipStart) {
        problems.push({
          row: r.row,
          column: r.since ? (headers.since ?? headers.unitCode) : headers.unitCode,
          messageKey: "imports.errors.transferNotAfterStart",
          params: { date: transferDate, start: before.membershipStart },
        });
        continue;
      }
    }
    items.push({
      row: r,
      action: moved ? "transfer" : fields.length ? "update" : "unchanged",
      cadreId: before.id,
      unitId: unit.id,
      before: snapshotOf(before),
      after,
      fields,
      writeCadre: fields.some((f) => f.field !== "isHead"),
      transferDate,
    });
  }

  return {
    items,
    headChanges: planHeads(items, existing, unitByCode),
    problems: problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    hasPhone,
  };
}

function snapshotOf(c: ExistingCadre): CadreSnapshot {
  return {
    staffNo: c.staffNo,
    name: c.name,
    unitCode: c.unitCode,
    rank: c.rank,
    title: c.title,
    email: c.email,
    phone: c.phone,
    isHead: c.isHead,
  };
}

const COMPARED = ["name", "unitCode", "rank", "title", "email", "phone", "isHead"] as const;

function diffCadre(before: CadreSnapshot, after: CadreSnapshot): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const field of COMPARED) {
    if (before[field] !== after[field]) fields.push({ field, before: before[field], after: after[field] });
  }
  return fields;
}

/**
 * The file is the truth about the heads of the units it names: 是 makes the cadre head of their unit
 * (replacing whoever was), and a head who leaves the unit or is marked 否 stops being its head.
 */
function planHeads(
  items: CadrePlanItem[],
  existing: Map<string, ExistingCadre>,
  unitByCode: Map<string, { id: number; code: string; headStaffNo: string | null }>,
): HeadChange[] {
  const current = new Map<number, { code: string; head: string | null }>();
  const final = new Map<number, string | null>();
  for (const u of unitByCode.values()) current.set(u.id, { code: u.code, head: u.headStaffNo });
  for (const i of items) {
    const was = existing.get(i.row.staffNo);
    if (was?.isHead && (was.unitId !== i.unitId || !i.row.isHead)) {
      current.set(was.unitId, { code: was.unitCode, head: was.staffNo });
      final.set(was.unitId, null);
    }
  }
  for (const i of items) if (i.row.isHead) final.set(i.unitId, i.row.staffNo);
  const changes: HeadChange[] = [];
  for (const [unitId, head] of final) {
    const now = current.get(unitId)!;
    if (now.head !== head) changes.push({ unitId, unitCode: now.code, before: now.head, after: head });
  }
  return changes;
}

/** A transfer also carries its date, for whoever reads the stored summary. */
export interface CadreRowChange extends RowChange {
  transferDate?: string;
}

export function cadreChanges(plan: CadrePlan): CadreRowChange[] {
  return plan.items
    .filter((i) => i.action !== "unchanged")
    .map((i) => ({
      row: i.row.row,
      key: i.row.staffNo,
      name: i.row.name,
      action: i.action,
      fields: i.fields,
      ...(i.transferDate
        ? { transferDate: i.transferDate, note: { messageKey: "imports.transferOn", params: { date: i.transferDate } } }
        : {}),
    }));
}

/**
 * Writes a clean plan a chunk at a time: cadres upserted by staff number, first memberships and disabled
 * accounts for new cadres, memberships closed and opened for transfers; heads last, once every cadre
 * of the file exists. Every created or changed cadre and every head change is audited.
 */
export async function applyCadres(tx: DbOrTx, plan: CadrePlan, ctx: ApplyContext): Promise<void> {
  const reason = importReason(ctx.batchId);

  // Free the addresses that move first, so two cadres can swap theirs without tripping the unique index.
  const releasing = plan.items.filter((i) => i.before?.email && i.before.email !== i.after.email).map((i) => i.cadreId!);
  for (const ids of chunked(releasing)) {
    await tx.execute(sql`update ${cadres} set email = null where id in ${idList(ids)}`);
  }

  let processed = 0;
  for (const chunk of chunked(plan.items)) {
    const writes = chunk.filter((i) => i.writeCadre);
    const idOf = new Map<string, number>();
    if (writes.length) {
      const set: Record<string, ReturnType<typeof sql>> = {
        name: sql`excluded.name`,
        nameInitials: sql`excluded.name_initials`,
        unitId: sql`excluded.unit_id`,
        rank: sql`excluded.rank`,
        title: sql`excluded.title`,
        email: sql`excluded.email`,
        updatedAt: sql`now()`,
      };
      if (plan.hasPhone) set.phone = sql`excluded.phone`;
      const written = await tx
        .insert(cadres)
        .values(
          writes.map((i) => ({
            staffNo: i.after.staffNo,
            name: i.after.name,
            nameInitials: nameInitials(i.after.name),
            unitId: i.unitId,
            rank: i.after.rank,
            title: i.after.title,
            email: i.after.email,
            phone: i.after.phone,
          })),
        )
        .onConflictDoUpdate({ target: cadres.staffNo, set })
        .returning({ id: cadres.id, staffNo: cadres.staffNo });
      for (const w of written) idOf.set(w.staffNo, w.id);
    }

    const created = chunk.filter((i) => i.action === "create");
    if (created.length) {
      await tx
        .insert(unitMemberships)
        .values(created.map((i) => ({ cadreId: idOf.get(i.after.staffNo)!, unitId: i.unitId, startDate: i.row.since })));
      // Accounts stay disabled until the organization department issues one-time passwords.
      await tx
        .insert(users)
        .values(created.map((i) => ({ cadreId: idOf.get(i.after.staffNo)!, disabled: true })))
        .onConflictDoNothing();
    }

    const moves = chunk.filter((i) => i.action === "transfer");
    if (moves.length) {
      const closing = moves.map((i) => ({ cadre_id: i.cadreId, d: i.transferDate }));
      await tx.execute(sql`
        update ${unitMemberships} m set end_date = x.d
        from jsonb_to_recordset(${JSON.stringify(closing)}::jsonb) as x(cadre_id integer, d date)
        where m.cadre_id = x.cadre_id and m.end_date is null`);
      await tx.insert(unitMemberships).values(moves.map((i) => ({ cadreId: i.cadreId!, unitId: i.unitId, startDate: i.transferDate! })));
    }

    const entries: AuditEntry[] = chunk
      .filter((i) => i.action !== "unchanged")
      .map((i) => ({
        action: i.action === "create" ? "cadre.created" : i.action === "transfer" ? "cadre.transferred" : "cadre.updated",
        entityType: "cadre",
        entityId: i.cadreId ?? idOf.get(i.after.staffNo),
        before: i.before,
        after:
          i.action === "create"
            ? { ...i.after, since: i.row.since }
            : i.transferDate
              ? { ...i.after, transferDate: i.transferDate }
              : i.after,
        reason,
      }));
    await audit(tx, ctx.actor, entries);
    processed += chunk.length;
    await ctx.progress(processed);
  }

  for (const chunk of chunked(plan.headChanges)) {
    const heads = chunk.map((h) => ({ unit_id: h.unitId, staff_no: h.after }));
    await tx.execute(sql`
      update ${units} u set head_cadre_id = c.id, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as x(unit_id integer, staff_no text)
      left join ${cadres} c on c.staff_no = x.staff_no
      where u.id = x.unit_id`);
    await audit(
      tx,
      ctx.actor,
      chunk.map((h) => ({
        action: "unit.head_changed",
        entityType: "unit",
        entityId: h.unitId,
        before: { code: h.unitCode, headStaffNo: h.before },
        after: { code: h.unitCode, headStaffNo: h.after },
        reason,
      })),
    );
  }
}

export const cadreImport: ImportKindHandler<CadreRow, CadrePlan> = {
  ...cadreKind,
  async plan(db, rows, options) {
    const plan = await planCadres(db, rows, {
      today: options.today,
      headers: { unitCode: options.column("unitCode"), email: options.column("email"), since: options.headers.since ?? null },
    });
    return { problems: plan.problems, changes: cadreChanges(plan), counts: countActions(plan.items, cadreKind.counts), plan };
  },
  apply: applyCadres,
};
