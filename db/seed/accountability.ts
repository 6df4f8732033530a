import { and, eq, inArray, sql } from "drizzle-orm";
import { closeRecord, openAccountabilityRecord, recordFollowUp, submitReport } from "~/modules/accountability/records.server";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { quarterPeriod } from "~/modules/rankings/quarter";
import { addDays, shanghaiInstant, todayInShanghai } from "~/utils/dates";
import type { Database, DbOrTx } from "../client";
import { accountabilityRecords, cadres, rankingFlags, units, userRoles, users } from "../schema";

/**
 * The demo's accountability records, through the capability's own services and by the demo
 * organization department official: the 约谈 flags of the earlier published quarters answered by a
 * talk each (rectified, followed up, closed); an admonition (诫勉) of a cadre still in its six-month
 * effect period, which keeps them off the shortlists; and an ordered self-review due in two days
 * without a report yet (its reminder comes up). The latest quarter's flags are left to act on.
 */
export async function seedDemoAccountability(tx: DbOrTx, options: { now: Date; published: string[] }) {
  const db = tx as unknown as Database;
  const today = todayInShanghai(options.now);
  const [adminRow] = await tx
    .select({ id: userRoles.userId })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.role, "org_admin"), eq(users.disabled, false)))
    .orderBy(userRoles.userId)
    .limit(1);
  if (!adminRow) return null;
  const admin = (await loadCurrentUser(tx, adminRow.id, "seed"))!;
  const actor = { userId: admin.id };
  const backdate = async (recordId: number, day: string) =>
    tx
      .update(accountabilityRecords)
      .set({ createdAt: shanghaiInstant(day, "10:00") })
      .where(eq(accountabilityRecords.id, recordId));

  const older = options.published.slice(0, -1);
  const flags = older.length
    ? await tx
        .select({ id: rankingFlags.id, quarter: rankingFlags.quarter, unitName: units.name })
        .from(rankingFlags)
        .innerJoin(units, eq(units.id, rankingFlags.unitId))
        .where(and(eq(rankingFlags.status, "open"), inArray(rankingFlags.quarter, older)))
        .orderBy(rankingFlags.id)
    : [];
  let talks = 0;
  for (const f of flags) {
    const heldOn = addDays(quarterPeriod(f.quarter).to, 20);
    if (heldOn > today) continue;
    const due = addDays(heldOn, 30);
    const { recordId } = await openAccountabilityRecord(
      db,
      actor,
      {
        subject: "unit",
        kind: "admonishment_talk",
        source: { type: "flag", flagId: f.id },
        heldOn,
        interviewers: "市委组织部副部长、干部监督科科长",
        findings: `${f.unitName}连续两个季度在同类单位中排名靠后：夜课堂参学率偏低，班子成员下沉一线天数不足。`,
        rectification: "制定整改方案，主要负责同志带头参加夜课堂，每月向组织部报送整改进展。",
        rectificationDue: due,
      },
      { today },
    );
    await backdate(recordId, heldOn);
    if (due <= today) {
      await submitReport(
        db,
        admin,
        recordId,
        "已召开班子会专题研究，制定整改方案；本季度参学率提升至 96%，班子成员每月下沉一线 5 天以上。",
      );
      await recordFollowUp(db, admin, recordId, "经回访核实，整改措施已落实，参学率和一线天数明显改善。");
      await closeRecord(db, admin, recordId, "整改到位，予以办结。");
    }
    talks++;
  }

  // A deputy head of one of the slipping units was admonished (诫勉) two months ago: in effect for six.
  const [slipping] = await tx
    .select({ id: cadres.id, unitId: cadres.unitId })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(and(eq(units.name, "市供销合作社"), eq(cadres.status, "active"), sql`${cadres.id} <> coalesce(${units.headCadreId}, 0)`))
    .orderBy(sql`${cadres.rank} desc`, cadres.staffNo)
    .limit(1);
  let admonitions = 0;
  if (slipping) {
    const heldOn = addDays(today, -60);
    const { recordId } = await openAccountabilityRecord(
      db,
      actor,
      {
        subject: "cadre",
        cadreId: slipping.id,
        kind: "admonition",
        source: { type: "initiative" },
        heldOn,
        interviewers: "市委组织部副部长",
        findings: "分管的农资保供项目推进不力，未按时完成阶段任务，群众反映较多。",
        rectification: "深刻检查，限期完成项目阶段任务并书面报告。",
        rectificationDue: addDays(heldOn, 20),
      },
      { today },
    );
    await backdate(recordId, heldOn);
    await submitReport(db, admin, recordId, "已作书面检查，项目阶段任务已于期限内完成。");
    await closeRecord(db, admin, recordId, "检查深刻，整改到位，予以办结；诫勉影响期内不得提拔。");
    admonitions++;
  }

  // An ordered self-review of a town, due the day after tomorrow, not yet reported.
  const [town] = await tx.select({ id: units.id }).from(units).where(eq(units.name, "新华镇"));
  let pending = 0;
  if (town) {
    const heldOn = addDays(today, -12);
    const { recordId } = await openAccountabilityRecord(
      db,
      actor,
      {
        subject: "unit",
        unitId: town.id,
        kind: "ordered_review",
        source: { type: "initiative" },
        heldOn,
        interviewers: "市委组织部干部监督科",
        findings: "本季度夜课堂缺勤率偏高，部分干部请假未履行手续。",
        rectification: "查明原因，规范请假审批，书面报告整改情况。",
        rectificationDue: addDays(today, 2),
      },
      { today },
    );
    await backdate(recordId, heldOn);
    pending++;
  }
  return { talks, admonitions, pending };
}
