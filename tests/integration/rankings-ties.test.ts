import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { computeRanking, reproduceRanking } from "~/modules/rankings/compute.server";
import { listFlags } from "~/modules/rankings/flags.server";
import { createMeeting, meetingView } from "~/modules/rankings/meetings.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { rankingTable } from "~/modules/rankings/tables";
import { rankingFor, tableView } from "~/modules/rankings/views.server";
import { evaluateCadres } from "~/modules/shortlists/eligibility.server";
import { translator } from "~/utils/i18n";
import { MIGRATIONS_FOLDER } from "~db/migrate";
import { attendanceRecords, classRegistrations, rankingCadreResults, rankingUnitResults } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };
const admin = { id: 0, roles: ["org_admin" as const], scope: { all: true, unitIds: [], cadreId: null } };
const TODAY = "2026-08-01";

/**
 * Hand-made ties at every boundary. Ten departments, one deputy-section cadre each; eight closed
 * evenings a quarter, and a unit's (and its cadre's) score follows how many of them its cadre attended,
 * so equal counts are equal scores with equal attendance — a tie that only the staff number used to
 * break. With K = 3 the agenda's top takes places 1–3 and its bottom 8–10; the cadres' band has n = 10.
 *
 * 2026Q1 attended: U01 8, U02 7, U03 6, U04 6, U05 5, U06 4, U07 3, U08 3, U09 2, U10 1
 *   → ranks 1, 2, 3, 3, 5, 6, 7, 7, 9, 10: a tie across the top boundary (3–4) and the bottom one (7–8).
 * 2026Q2 attended: U01 8, U02 8, U03 6, U04 5, U05 5, U06 4, U07 4, U08 3, U09 2, U10 2
 *   → ranks 1, 1, 3, 4, 4, 6, 6, 8, 9, 9: a tie just after the top (4–5) and just above the bottom (6–7).
 */
const CODES = ["U01", "U02", "U03", "U04", "U05", "U06", "U07", "U08", "U09", "U10"];
const Q1 = [8, 7, 6, 6, 5, 4, 3, 3, 2, 1];
const Q2 = [8, 8, 6, 5, 5, 4, 4, 3, 2, 2];
const unitId: Record<string, number> = {};
const cadreId: Record<string, number> = {};
const rankingIds: Record<string, number> = {};

async function quarter(firstEvening: string, attended: number[]) {
  for (let evening = 0; evening < 8; evening++) {
    const startsAt = new Date(new Date(firstEvening).getTime() + evening * 7 * 86_400_000);
    const s = await createClassSession(db, { startsAt, status: "closed" });
    for (const [i, code] of CODES.entries()) {
      await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: cadreId[code]!, source: "admin" });
      await db
        .insert(attendanceRecords)
        .values({ sessionId: s.id, cadreId: cadreId[code]!, status: evening < attended[i]! ? "present" : "absent", source: "roster" });
    }
  }
}

beforeAll(async () => {
  // Staff numbers run against the order of the places, so that a tie broken by them would show.
  for (const [i, code] of CODES.entries()) {
    unitId[code] = (await createUnit(db, { code, kind: "department" })).id;
    cadreId[code] = (await createCadre(db, { staffNo: `S${String(20 - i).padStart(2, "0")}`, unitId: unitId[code]! })).id;
  }
  await quarter("2026-01-07T11:30:00Z", Q1);
  await quarter("2026-04-01T11:30:00Z", Q2);
  for (const q of ["2026Q1", "2026Q2"]) {
    const { rankingId } = await computeRanking(db, actor, q, { today: TODAY });
    await publishRanking(db, actor, rankingId, { today: TODAY, notify: false });
    rankingIds[q] = rankingId;
  }
});

async function places(table: "units" | "cadres", quarter: string) {
  const rows =
    table === "units"
      ? await db
          .select({ id: rankingUnitResults.unitId, rank: rankingUnitResults.rank, tie: rankingUnitResults.tieSize })
          .from(rankingUnitResults)
          .where(eq(rankingUnitResults.rankingId, rankingIds[quarter]!))
      : await db
          .select({ id: rankingCadreResults.cadreId, rank: rankingCadreResults.rank, tie: rankingCadreResults.tieSize })
          .from(rankingCadreResults)
          .where(eq(rankingCadreResults.rankingId, rankingIds[quarter]!));
  const ids = table === "units" ? unitId : cadreId;
  return CODES.map((code) => {
    const row = rows.find((r) => r.id === ids[code])!;
    return [row.rank, row.tie];
  });
}

describe("tied ranks in the database", () => {
  it("share the rank, competition style, for units and cadres alike", async () => {
    const q1 = [
      [1, 1],
      [2, 1],
      [3, 2],
      [3, 2],
      [5, 1],
      [6, 1],
      [7, 2],
      [7, 2],
      [9, 1],
      [10, 1],
    ];
    expect(await places("units", "2026Q1")).toEqual(q1);
    expect(await places("cadres", "2026Q1")).toEqual(q1);
    expect(await places("units", "2026Q2")).toEqual([
      [1, 2],
      [1, 2],
      [3, 1],
      [4, 2],
      [4, 2],
      [6, 2],
      [6, 2],
      [8, 1],
      [9, 2],
      [9, 2],
    ]);
    for (const id of Object.values(rankingIds)) expect((await reproduceRanking(db, id)).identical).toBe(true);
  });

  it("the agenda takes every unit tied at a boundary, and says how many share the place", async () => {
    const { meetingId } = await createMeeting(db, actor, "2026Q1", {
      startsAt: new Date("2026-04-16T01:30:00Z"),
      endsAt: new Date("2026-04-16T04:00:00Z"),
      place: "报告厅",
    });
    const view = await meetingView(db, admin, meetingId);
    const role = (r: string) => view.items.filter((i) => i.role === r).map((i) => [i.unitCode, i.rank, i.tieSize]);
    expect(role("experience")).toEqual([
      ["U01", 1, 1],
      ["U02", 2, 1],
      ["U03", 3, 2],
      ["U04", 3, 2],
    ]);
    expect(role("commitment")).toEqual([
      ["U07", 7, 2],
      ["U08", 7, 2],
      ["U09", 9, 1],
      ["U10", 10, 1],
    ]);
  });

  it("flags only units in the bottom both times: the tie just above the bottom is not, the tie at its boundary was", async () => {
    const flagged = (await listFlags(db)).map((f) => f.unitCode).sort();
    // Q2's bottom: U08 (8), U09 and U10 (tied 9). Q1's: U07 and U08 (tied 7), U09, U10. U07 is tied
    // at 6–7 in Q2, just above the bottom: not flagged.
    expect(flagged).toEqual(["U08", "U09", "U10"]);
  });

  it("marks the tie on the page's table and in its exports, and the top/bottom notes follow the shared rank", async () => {
    const ranking = await rankingFor(db, admin, "2026Q2");
    const view = await tableView(db, ranking, "units", { group: "department" });
    expect(view.rows.map((r) => [r.code, r.rank, r.tieSize, r.top, r.bottom])).toEqual([
      ["U01", 1, 2, true, false],
      ["U02", 1, 2, true, false],
      ["U03", 3, 1, true, false],
      ["U04", 4, 2, false, false],
      ["U05", 4, 2, false, false],
      ["U06", 6, 2, false, false],
      ["U07", 6, 2, false, false],
      ["U08", 8, 1, false, true],
      ["U09", 9, 2, false, true],
      ["U10", 9, 2, false, true],
    ]);
    const table = rankingTable("units", "2026Q2", view.rows, translator("zh-CN"), () => "");
    const tie = table.columns.findIndex((c) => c.key === "tie");
    expect(table.columns[tie]!.label).toBe("并列");
    expect(table.rows.map((r) => [r[0]!.value, r[tie]!.value])).toEqual([
      [1, "并列（共 2 个）"],
      [1, "并列（共 2 个）"],
      [3, ""],
      [4, "并列（共 2 个）"],
      [4, "并列（共 2 个）"],
      [6, "并列（共 2 个）"],
      [6, "并列（共 2 个）"],
      [8, ""],
      [9, "并列（共 2 个）"],
      [9, "并列（共 2 个）"],
    ]);
  });
});

describe("top P% in the shortlist: a tie passes or fails whole, and the evidence says so", () => {
  const evaluate = async (percent: number, quarters: number) => {
    const people = CODES.map((code) => ({ cadreId: cadreId[code]!, rank: "deputy_section" as const }));
    const round = { rules: { topPercent: { percent, quarters } }, deadline: new Date("2026-09-30T16:00:00Z") };
    const out = await evaluateCadres(db, round, people, { now: new Date("2026-08-01T02:00:00Z") });
    return Object.fromEntries(CODES.map((code) => [code, out.get(cadreId[code]!)!]));
  };

  it.each([
    // 2026Q2 alone, n = 10. 30% → ranks ≤ 3: the tie for first and U03; the tie at 4–5 (just after) fails whole.
    { percent: 30, quarters: 1, pass: ["U01", "U02", "U03"] },
    // 40% → ranks ≤ 4: the tie starting at the cut-off (4–5) passes whole.
    { percent: 40, quarters: 1, pass: ["U01", "U02", "U03", "U04", "U05"] },
    // 10% → rank ≤ 1: the tie for first (1–2) straddles the cut-off and passes whole.
    { percent: 10, quarters: 1, pass: ["U01", "U02"] },
    // Both quarters, 30%: Q1's tie at 3–4 straddles its cut-off and passes; U04 then fails in Q2.
    { percent: 30, quarters: 2, pass: ["U01", "U02", "U03"] },
  ])("top $percent% of the last $quarters published", async ({ percent, quarters, pass }) => {
    const results = await evaluate(percent, quarters);
    expect(CODES.filter((c) => results[c]!.eligible)).toEqual(pass);
  });

  it("shows the rank, n, the cut-off and the tie", async () => {
    const results = await evaluate(30, 2);
    const u04 = results.U04!.results[0]!;
    if (u04.rule !== "topPercent") throw new Error("expected the top-P% rule");
    expect(u04.rankings.map((r) => [r.quarter, r.rank, r.tieSize, r.bandSize, r.cutoff])).toEqual([
      ["2026Q2", 4, 2, 10, 3],
      ["2026Q1", 3, 2, 10, 3],
    ]);
  });
});

describe("the migration that shares the ranks of rankings stored before", () => {
  it("re-ranks stored rows exactly as a computation now does, and records that it did", async () => {
    const id = rankingIds["2026Q1"]!;
    const before = await places("cadres", "2026Q1");
    // As the old rule stored them: one place per row, ties broken by staff number.
    for (const table of ["ranking_cadre_results", "ranking_unit_results"]) {
      const [group, key] = table === "ranking_cadre_results" ? ["band", "staff_no"] : ["peer_group", "code"];
      await db.execute(
        sql.raw(`update ${table} r set tie_size = null, rank = x.n from (
          select ctid as c, row_number() over (partition by ${group} order by (score * 10000)::bigint desc, attendance_value desc nulls last, ${key} collate "C") as n
          from ${table} where ranking_id = ${id} and score is not null) x where r.ctid = x.c`),
      );
    }
    expect(await places("cadres", "2026Q1")).not.toEqual(before);
    expect((await reproduceRanking(db, id)).identical).toBe(false);
    // The migration's hand-written part about ties (the lead may renumber the file, not rename it).
    const name = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith("_defensible_evaluation.sql"))!;
    const file = readFileSync(path.join(MIGRATIONS_FOLDER, name), "utf8");
    const part = file.slice(file.indexOf("-- Hand-written: tied ranks"), file.indexOf("-- Hand-written: who is ranked"));
    const statements = part.split("--> statement-breakpoint").filter((s) => s.trim());
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
    });
    expect(await places("cadres", "2026Q1")).toEqual(before);
    expect((await reproduceRanking(db, id)).identical).toBe(true);
    const [audit] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'ranking.ranks_shared' and entity_id = ${String(id)}`,
    );
    expect(Number(audit!.n)).toBe(1);
  });
});
