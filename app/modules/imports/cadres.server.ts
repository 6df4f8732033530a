import { sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { nameInitials } from "~/modules/organization/rules";
import { changeTerms, correctTermStarts, type TermValue } from "~/modules/organization/terms.server";
import { idList, textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { type ApplyContext, chunked, importReason } from "./batching.server";
import { type CadreRow, cadreKind, PERSONAL_FIELDS } from "./cadres";
import {
  type CadreChunkPlan,
  type CadreImportState,
  type CadreSnapshot,
  cadreChanges,
  createCadreState,
  headChanges,
  planCadreChunk,
} from "./cadres-plan.server";
import { countActions, type ImportKindHandler } from "./registry.server";
import type { ImportProblem } from "./types";

/**
 * The roster import's writes, a chunk of rows at a time inside the applying transaction: cadres
 * upserted by staff number with one statement per chunk, first memberships, disabled accounts and
 * first rank and post terms for new cadres, memberships closed and opened for transfers, rank and post
 * terms for changes; unit heads last (finish), once every cadre of the file exists. Every created or
 * changed cadre and every head change is audited, personal fields by name only.
 */

/** What the audit log keeps of a cadre: everything but the personal fields' values, which it names. */
function auditSnapshot(s: CadreSnapshot | null, changed: readonly string[]) {
  if (!s) return null;
  const kept: Record<string, unknown> = { ...s };
  for (const f of PERSONAL_FIELDS) delete kept[f];
  const personal = changed.filter((f) => (PERSONAL_FIELDS as readonly string[]).includes(f));
  return personal.length ? { ...kept, personalFieldsChanged: personal } : kept;
}

const ROSTER_COLUMNS: Record<string, string> = {
  gender: "gender",
  ethnicity: "ethnicity",
  birthDate: "birth_date",
  nativePlace: "native_place",
  politicalStatus: "political_status",
  education: "education",
  degree: "degree",
  workStartDate: "work_start_date",
};
const COLUMN_TYPES: Record<string, string> = {
  gender: "cadre_gender",
  degree: "cadre_degree",
  birth_date: "date",
  work_start_date: "date",
};

export async function applyCadreChunk(tx: DbOrTx, plan: CadreChunkPlan, ctx: ApplyContext, state: CadreImportState): Promise<void> {
  const reason = importReason(ctx.batchId);
  const items = plan.items;
  const has = (f: string) => state.columns.has(f);

  // Addresses this chunk takes: from cadres of the chunk who give theirs up, and from cadres of later
  // chunks (finish checks they are in the file), who are noted so their own change shows what they had.
  const taking = items.filter((i) => i.after.email && i.after.email !== i.before?.email).map((i) => i.after.email!);
  if (taking.length) {
    const chunkStaffNos = items.map((i) => i.row.staffNo);
    const released = await tx.execute<{ staff_no: string; email: string }>(sql`
      update cadres c set email = null
      from (select id, email from cadres where lower(email) in ${textList(taking)} and staff_no not in ${textList(chunkStaffNos)}) old
      where c.id = old.id
      returning c.staff_no, old.email`);
    for (const r of released) state.released.set(r.staff_no, r.email);
  }
  const giving = items.filter((i) => i.before?.email && i.before.email !== i.after.email).map((i) => i.cadreId!);
  if (giving.length) await tx.execute(sql`update cadres set email = null where id in ${idList(giving)}`);

  const writes = items.filter((i) => i.writeCadre);
  const idOf = new Map<string, number>(items.filter((i) => i.cadreId).map((i) => [i.row.staffNo, i.cadreId!]));
  if (writes.length) {
    const roster = Object.keys(ROSTER_COLUMNS).filter(has);
    const optional = [...(has("email") ? ["email"] : []), ...(has("phone") ? ["phone"] : []), ...roster.map((f) => ROSTER_COLUMNS[f]!)];
    const records = writes.map((i) => {
      const a = i.after;
      const record: Record<string, unknown> = {
        staff_no: a.staffNo,
        name: a.name,
        name_initials: i.before?.name === a.name ? undefined : nameInitials(a.name),
        unit_id: i.unitId,
        rank: a.rank,
        title: a.title,
        email: a.email,
        phone: a.phone,
        rank_since: i.action === "create" ? (i.row.rankSince ?? null) : undefined,
        post_since: i.action === "create" ? (i.row.postSince ?? null) : undefined,
      };
      for (const f of roster) record[ROSTER_COLUMNS[f]!] = a[f as keyof CadreSnapshot];
      return record;
    });
    const columns = ["staff_no", "name", "unit_id", "rank", "title", ...optional];
    // When the rank and post began: set for new cadres here; for others a change moves them (changeTerms).
    const startColumns = ["rank_since", "post_since"];
    const type = (c: string) =>
      c === "unit_id" ? "integer" : c === "rank" ? "cadre_rank" : c.endsWith("_since") ? "date" : (COLUMN_TYPES[c] ?? "text");
    const recordset = sql.raw(["name_initials text", ...[...columns, ...startColumns].map((c) => `${c} ${type(c)}`)].join(", "));
    const insertColumns = sql.raw(["name_initials", ...columns, ...startColumns].join(", "));
    const selected = sql.raw(["coalesce(x.name_initials, '')", ...[...columns, ...startColumns].map((c) => `x.${c}`)].join(", "));
    const updates = sql.raw(
      [
        "name = excluded.name",
        // Initials are computed only for new names; an unchanged name keeps its own.
        "name_initials = case when cadres.name = excluded.name then cadres.name_initials else excluded.name_initials end",
        ...columns.filter((c) => c !== "staff_no" && c !== "name").map((c) => `${c} = excluded.${c}`),
        "updated_at = now()",
      ].join(", "),
    );
    const written = await tx.execute<{ id: number; staff_no: string }>(sql`
      insert into cadres (${insertColumns})
      select ${selected} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(${recordset})
      on conflict (staff_no) do update set ${updates}
      returning id, staff_no`);
    for (const w of written) idOf.set(w.staff_no, Number(w.id));
  }

  const created = items.filter((i) => i.action === "create");
  if (created.length) {
    // One JSON parameter per statement: a parameter per value costs more to bind than the rows to insert.
    const firsts = JSON.stringify(created.map((i) => ({ c: idOf.get(i.after.staffNo)!, u: i.unitId, d: i.row.since })));
    await tx.execute(sql`
      insert into unit_memberships (cadre_id, unit_id, start_date)
      select x.c, x.u, x.d from jsonb_to_recordset(${firsts}::jsonb) as x(c integer, u integer, d date)`);
    // Accounts stay disabled until the organization department issues one-time passwords.
    await tx.execute(sql`
      insert into users (cadre_id, disabled)
      select x.c, true from jsonb_to_recordset(${firsts}::jsonb) as x(c integer)
      on conflict do nothing`);
  }

  const moves = items.filter((i) => i.action === "transfer");
  if (moves.length) {
    const moving = JSON.stringify(moves.map((i) => ({ c: i.cadreId, u: i.unitId, d: i.transferDate })));
    await tx.execute(sql`
      update unit_memberships m set end_date = x.d
      from jsonb_to_recordset(${moving}::jsonb) as x(c integer, u integer, d date)
      where m.cadre_id = x.c and m.end_date is null`);
    await tx.execute(sql`
      insert into unit_memberships (cadre_id, unit_id, start_date)
      select x.c, x.u, x.d from jsonb_to_recordset(${moving}::jsonb) as x(c integer, u integer, d date)`);
  }

  const termed = items.filter((i) => i.terms.length);
  if (termed.length) {
    const value = (_i: unknown, kind: "rank" | "post", s: CadreSnapshot): TermValue =>
      kind === "rank" ? { kind, value: s.rank } : { kind, value: s.title };
    await changeTerms(
      tx,
      termed.flatMap((i) =>
        i.terms
          .filter((t) => t.change === "new")
          .map((t) => ({ cadreId: i.cadreId!, before: value(i, t.kind, i.before!), term: value(i, t.kind, i.after), since: t.since })),
      ),
      "import",
    );
    await correctTermStarts(
      tx,
      termed.flatMap((i) =>
        i.terms.filter((t) => t.change === "start").map((t) => ({ cadreId: i.cadreId!, kind: t.kind, start: t.since })),
      ),
    );
  }

  const entries: AuditEntry[] = items
    .filter((i) => i.action !== "unchanged")
    .map((i) => {
      const changed = i.action === "create" ? PERSONAL_FIELDS.filter((f) => i.after[f] !== null) : i.fields.map((f) => f.field);
      const after = auditSnapshot(i.after, changed)!;
      return {
        action: i.action === "create" ? "cadre.created" : i.action === "transfer" ? "cadre.transferred" : "cadre.updated",
        entityType: "cadre",
        entityId: i.cadreId ?? idOf.get(i.after.staffNo),
        before: auditSnapshot(i.before, []),
        after:
          i.action === "create" ? { ...after, since: i.row.since } : i.transferDate ? { ...after, transferDate: i.transferDate } : after,
        reason,
      };
    });
  await audit(tx, ctx.actor, entries);
}

/**
 * After the last chunk: an address taken from a cadre who is not in the file after all is a problem
 * (previewing and applying alike); applying also sets the heads the file names.
 */
async function finishCadres(
  tx: DbOrTx,
  options: { state: CadreImportState; fileKeys: ReadonlySet<string>; apply: ApplyContext | null },
): Promise<ImportProblem[]> {
  const { state } = options;
  const problems = state.pendingOwners
    .filter((p) => !options.fileKeys.has(p.ownerStaffNo))
    .map((p) => ({
      row: p.row,
      column: p.column,
      messageKey: "imports.errors.emailTaken",
      params: { value: p.email, staffNo: p.ownerStaffNo },
    }));
  if (problems.length || !options.apply) return problems;
  const reason = importReason(options.apply.batchId);
  for (const chunk of chunked(headChanges(state))) {
    const heads = chunk.map((h) => ({ unit_id: h.unitId, staff_no: h.after }));
    await tx.execute(sql`
      update units u set head_cadre_id = c.id, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as x(unit_id integer, staff_no text)
      left join cadres c on c.staff_no = x.staff_no
      where u.id = x.unit_id`);
    await audit(
      tx,
      options.apply.actor,
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
  return [];
}

/** Rows planned and written together: enough for set-based statements, few enough to keep memory flat. */
const CHUNK_ROWS = 2000;

export const cadreImport: ImportKindHandler<CadreRow, CadreChunkPlan, CadreImportState> = {
  ...cadreKind,
  chunkRows: CHUNK_ROWS,
  createState: createCadreState,
  async plan(db, rows, options, state) {
    const { items, problems } = await planCadreChunk(db, rows, options, state);
    return { problems, changes: cadreChanges(items), counts: countActions(items, cadreKind.counts), plan: { items } };
  },
  apply: applyCadreChunk,
  finish: (db, options) => finishCadres(db, options),
};
