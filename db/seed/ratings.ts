import { sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { ensureUnitPoints } from "~/modules/ratings/points.server";
import { addWorkingDays } from "~/utils/china-calendar";
import { addDays, shanghaiInstant, todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "../client";
import { prng } from "./demo-city";

/**
 * Public ratings for the demo city, relative to the day the seed runs: every unit's own rating point,
 * service windows and a hotline desk at the units that serve the public most (and one window retired),
 * a hundred days of ratings at the public-facing units (departments, towns, parks) — most satisfied,
 * the city's weak units less so, a few repeats that do not count — with the follow-up case of each
 * 不满意 in the state its age suggests (recent ones open, some overdue; older ones reported, reviewed,
 * closed, a few with accountability), one burst waiting for review, and a few open and overdue cases at
 * the demo head's bureau. Deterministic for a given day (prng); written before the rankings seed so the
 * quarter's satisfaction includes them.
 */

const DAYS = 100;
const EXTRA_POINTS: Record<string, string[]> = {
  市行政审批服务局: ["政务服务大厅1号窗口", "政务服务大厅2号窗口", "政务服务大厅3号窗口", "12345热线席位"],
  市政务服务中心: ["不动产登记窗口", "企业开办窗口"],
  市公安局: ["户政业务窗口", "出入境业务窗口"],
  市人力资源和社会保障局: ["社保业务窗口"],
  市医疗保障局: ["医保经办窗口"],
  东城街道: ["便民服务大厅"],
};
const RETIRED = { unit: "市行政审批服务局", name: "原二楼综合窗口", reason: "窗口并入政务服务大厅，二维码停用" };
/** Weaker service: the rankings demo's slipping units. */
const WEAK = ["市人民防空办公室", "市供销合作社", "太平镇", "新华镇", "市住房和城乡建设局", "市综合行政执法局"];
const HEAD_UNITS = ["市教育和体育局", "市第一中学", "市实验小学", "市职业教育中心"];

const COMMENTS = [
  "窗口工作人员态度冷淡，问两遍就不耐烦。",
  "排队一个多小时，只开了一个窗口。",
  "材料说不齐，让我跑了三趟。",
  "让我去别的部门问，那边又说归这里管。",
  "收了复印费，没有任何公示。",
  "电话一直打不通。",
  "办事指南和实际要求不一样。",
  "",
];
const FINDING_NOTES = {
  confirmed: "调取窗口录音录像并询问当班人员，群众反映情况属实。",
  not_confirmed: "经调取录像、核对办件记录，未发现群众反映的问题，已向群众说明。",
  unverifiable: "群众未留联系方式，现场记录无法对应，无法核实。",
};
const RECTIFICATIONS = [
  "对当事人进行批评教育，窗口开展服务规范培训，高峰时段增开窗口。",
  "修订一次性告知清单并在大厅公示，实行首问负责制。",
  "清退违规收取的费用，收费项目全部上墙公示。",
];

export async function seedDemoRatings(tx: DbOrTx, options: { now: Date }) {
  const today = todayInShanghai(options.now);
  const random = prng(20261207);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  await ensureUnitPoints(tx);

  const units = await tx.execute<{ id: number; code: string; name: string; kind: string; head: number | null }>(
    sql`select id, code, name, kind, head_cadre_id as head from units order by code`,
  );
  const byName = new Map(units.map((u) => [u.name, u]));
  const extra = Object.entries(EXTRA_POINTS).flatMap(([unit, names]) => {
    const u = byName.get(unit);
    return u ? names.map((name, i) => ({ unit_id: Number(u.id), code: `${u.code}-${i + 2}`, name })) : [];
  });
  const retiredUnit = byName.get(RETIRED.unit);
  if (retiredUnit)
    extra.push({
      unit_id: Number(retiredUnit.id),
      code: `${retiredUnit.code}-${extra.filter((e) => e.unit_id === Number(retiredUnit.id)).length + 2}`,
      name: RETIRED.name,
    });
  await tx.execute(sql`
    insert into rating_points (unit_id, code, name)
    select x.unit_id, x.code, x.name from jsonb_to_recordset(${JSON.stringify(extra)}::jsonb) as x(unit_id integer, code text, name text)
    on conflict do nothing`);
  await tx.execute(sql`update rating_points set retired_at = ${shanghaiInstant(addDays(today, -40), "09:00").toISOString()}::timestamptz,
    retire_reason = ${RETIRED.reason} where name = ${RETIRED.name}`);

  const points = await tx.execute<{ id: number; unit_id: number; unit_name: string; kind: string; name: string; retired: boolean }>(sql`
    select p.id, p.unit_id, u.name as unit_name, u.kind, p.name, p.retired_at is not null as retired
    from rating_points p join units u on u.id = p.unit_id
    where u.kind in ('department', 'town', 'park') and u.code <> 'SF000'
    order by p.id`);

  type Rating = {
    point_id: number;
    unit_id: number;
    at: string;
    day: string;
    satisfied: boolean;
    reasons: string;
    comment: string | null;
    device: string;
    address: string;
    counted: boolean;
    not_counted: string | null;
    phone: string | null;
  };
  const ratings: Rating[] = [];
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
  const device = () =>
    Array.from({ length: 22 }, () => pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split(""))).join("");
  const burstPoint = points.find((p) => p.name === "政务服务大厅2号窗口");
  const burstDay = addDays(today, -3);
  for (const p of points) {
    const busy = p.name ? 3 : p.kind === "town" ? 1.6 : 1;
    const share = WEAK.includes(p.unit_name) ? 0.8 : HEAD_UNITS.includes(p.unit_name) ? 0.95 : 0.9;
    for (let d = DAYS; d >= 0; d--) {
      const day = addDays(today, -d);
      if (p.retired && day >= addDays(today, -40)) continue;
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const rate = weekday === 0 || weekday === 6 ? busy * 0.3 : busy;
      let n = 0;
      for (let k = 0; k < 4; k++) if (random() < rate / 4) n++;
      if (burstPoint && p.id === burstPoint.id && day === burstDay) n += 46;
      for (let k = 0; k < n; k++) {
        const burst = burstPoint && p.id === burstPoint.id && day === burstDay && k >= n - 46;
        const hour = burst ? 14 : 9 + Math.floor(random() * 8);
        const at = shanghaiInstant(day, `${hour}:${Math.floor(random() * 60)}`);
        if (at > options.now) continue;
        const satisfied = burst ? random() < 0.1 : random() < share;
        const reasons = satisfied ? [] : [pick(["attitude", "efficiency", "buck_passing", "fees", "other", "efficiency", "attitude"])];
        const base = {
          point_id: Number(p.id),
          unit_id: Number(p.unit_id),
          at: at.toISOString(),
          day,
          satisfied,
          reasons: reasons.join(","),
          comment: satisfied ? null : pick(COMMENTS) || null,
          device: device(),
          address: burst ? `burst-${k % 3}` : hex(16),
          counted: true,
          not_counted: null,
          phone: !satisfied && random() < 0.55 ? `139${String(Math.floor(random() * 1e8)).padStart(8, "0")}` : null,
        };
        ratings.push(base);
        // Now and then a second tap on the same phone the same day: kept, not counted.
        if (random() < 0.04) ratings.push({ ...base, counted: false, not_counted: "repeat", phone: null });
      }
    }
  }
  // The demo head's bureau: a few recent 不满意, one of them already past its follow-up day.
  const headPoints = points.filter((p) => HEAD_UNITS.includes(p.unit_name) && !p.name);
  for (const [i, p] of headPoints.slice(0, 3).entries()) {
    const day = addDays(today, i === 0 ? -8 : -i);
    ratings.push({
      point_id: Number(p.id),
      unit_id: Number(p.unit_id),
      at: shanghaiInstant(day, `10:${10 + i}`).toISOString(),
      day,
      satisfied: false,
      reasons: i === 1 ? "buck_passing" : "efficiency",
      comment: i === 1 ? "咨询学籍转入，让我去教育局问，教育局又让回学校。" : "办理证明等了很久，窗口只有一人。",
      device: device(),
      address: hex(16),
      counted: true,
      not_counted: null,
      phone: `1390000${String(1000 + i)}`,
    });
  }

  const inserted: { id: number; point_id: number; unit_id: number; day: string; satisfied: boolean; counted: boolean; at: string }[] = [];
  for (let i = 0; i < ratings.length; i += 4000) {
    const chunk = ratings.slice(i, i + 4000);
    const rows = await tx.execute<{
      id: number;
      point_id: number;
      unit_id: number;
      day: string;
      satisfied: boolean;
      counted: boolean;
      at: string;
    }>(sql`
      insert into public_ratings (point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, counted, not_counted)
      select x.point_id, x.unit_id, x.at, x.day, x.satisfied, coalesce(string_to_array(nullif(x.reasons, ''), ','), '{}')::rating_reason[], x.comment,
        x.device, x.address, x.counted, x.not_counted::rating_not_counted
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(point_id integer, unit_id integer, at timestamptz, day date,
        satisfied boolean, reasons text, comment text, device text, address text, counted boolean, not_counted text)
      on conflict do nothing
      returning id, point_id, unit_id, rated_on::text as day, satisfied, counted, rated_at::text as at`);
    inserted.push(...rows);
  }

  const phoneOf = new Map<string, string | null>();
  for (const r of ratings) if (r.counted) phoneOf.set(`${r.point_id}|${r.at}|${r.device}`, r.phone);
  const phones = await tx.execute<{ id: number; key: string }>(sql`
    select id, point_id || '|' || to_char(rated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || device_id as key
    from public_ratings where counted and not satisfied`);
  const phoneById = new Map(phones.map((p) => [Number(p.id), phoneOf.get(p.key) ?? null]));

  // Cases: by age, as the follow-up would have gone.
  type Case = {
    rating_id: number;
    unit_id: number;
    point_id: number;
    opened_at: string;
    due_on: string;
    state: string;
    phone: string | null;
    finding: string | null;
    finding_note: string | null;
    rectification: string | null;
    submitted_at: string | null;
    outcome: string | null;
    review_note: string | null;
    closed_at: string | null;
    call: { reached: boolean; note: string; at: string } | null;
  };
  const cases: Case[] = [];
  const at = (day: string, hour: number) => shanghaiInstant(day, `${hour}:30`).toISOString();
  for (const r of inserted.filter((x) => x.counted && !x.satisfied)) {
    const due = addWorkingDays(r.day, 3);
    const age = Math.round((Date.parse(today) - Date.parse(r.day)) / 86_400_000);
    const phone = phoneById.get(Number(r.id)) ?? null;
    const c: Case = {
      rating_id: Number(r.id),
      unit_id: Number(r.unit_id),
      point_id: Number(r.point_id),
      opened_at: new Date(r.at).toISOString(),
      due_on: due,
      state: "open",
      phone,
      finding: null,
      finding_note: null,
      rectification: null,
      submitted_at: null,
      outcome: null,
      review_note: null,
      closed_at: null,
      call: null,
    };
    const isHeadUnit = headPoints.some((p) => Number(p.id) === Number(r.point_id)) && age <= 10;
    const handled = !isHeadUnit && (age > 10 || (age > 4 && random() < 0.85));
    if (handled) {
      const callDay = addWorkingDays(r.day, 1 + Math.floor(random() * 2));
      c.call = phone
        ? { reached: true, note: "已电话联系群众，了解具体经过，并致歉。", at: at(callDay, 10) }
        : { reached: false, note: "群众未留电话，调取现场记录核实。", at: at(callDay, 10) };
      const roll = random();
      // Weak units' complaints are confirmed more often.
      const confirmedShare = WEAK.includes(points.find((p) => Number(p.id) === Number(r.point_id))?.unit_name ?? "") ? 0.7 : 0.4;
      c.finding = roll < confirmedShare ? "confirmed" : roll < 0.85 ? "not_confirmed" : "unverifiable";
      c.finding_note = FINDING_NOTES[c.finding as keyof typeof FINDING_NOTES];
      c.rectification = c.finding === "confirmed" ? pick(RECTIFICATIONS) : null;
      c.submitted_at = at(callDay, 16);
      c.state = "submitted";
      if (age > 8 || random() < 0.5) {
        const closeDay = addWorkingDays(callDay, 2);
        if (closeDay <= today) {
          c.state = "closed";
          c.closed_at = at(closeDay, 11);
          const accountable = c.finding === "confirmed" && random() < 0.12;
          c.outcome = accountable ? "accountability" : "closed";
          c.review_note = accountable
            ? "同类问题反复出现，约谈单位分管负责人。"
            : c.finding === "confirmed"
              ? "整改措施到位，同意结案。"
              : "核实过程完整，同意结案。";
        }
      }
    }
    cases.push(c);
  }
  const caseIds: number[] = [];
  for (let i = 0; i < cases.length; i += 2000) {
    const chunk = cases.slice(i, i + 2000);
    const rows = await tx.execute<{ id: number }>(sql`
      insert into rating_cases (rating_id, unit_id, point_id, opened_at, due_on, state, phone, finding, finding_note, rectification,
        submitted_at, outcome, review_note, closed_at, reminded_at, escalated_at)
      select x.rating_id, x.unit_id, x.point_id, x.opened_at, x.due_on, x.state::rating_case_state, x.phone, x.finding::rating_finding,
        x.finding_note, x.rectification, x.submitted_at, x.outcome::rating_case_outcome, x.review_note, x.closed_at,
        case when x.due_on <= ${today}::date then x.due_on::timestamptz end, case when x.due_on < ${today}::date and x.state = 'open' then now() end
      from jsonb_to_recordset(${JSON.stringify(chunk.map(({ call: _, ...c }) => c))}::jsonb) as x(rating_id bigint, unit_id integer,
        point_id integer, opened_at timestamptz, due_on date, state text, phone text, finding text, finding_note text,
        rectification text, submitted_at timestamptz, outcome text, review_note text, closed_at timestamptz)
      returning id`);
    caseIds.push(...rows.map((r) => Number(r.id)));
  }
  const calls = cases.flatMap((c, i) => (c.call ? [{ case_id: caseIds[i]!, ...c.call }] : []));
  if (calls.length) {
    await tx.execute(sql`
      insert into rating_case_calls (case_id, reached, note, called_at)
      select x.case_id, x.reached, x.note, x.at from jsonb_to_recordset(${JSON.stringify(calls)}::jsonb) as x(case_id integer, reached boolean, note text, at timestamptz)`);
  }
  await tx.execute(sql`
    insert into rating_accountability_requests (source, case_id, unit_id, cadre_id, note, requested_at)
    select 'case', c.id, c.unit_id, u.head_cadre_id, c.review_note, c.closed_at
    from rating_cases c join units u on u.id = c.unit_id where c.outcome = 'accountability'`);
  // The burst: flagged by the job as it would have been, waiting for review.
  if (burstPoint) {
    await tx.execute(sql`
      insert into rating_bursts (point_id, unit_id, day, ratings, unsatisfied, usual, devices, addresses)
      select point_id, unit_id, rated_on, count(*)::int, count(*) filter (where not satisfied)::int,
        (select round(count(*)::numeric / 28, 2) from public_ratings h where h.point_id = r.point_id and h.counted
          and h.rated_on >= ${addDays(burstDay, -28)}::date and h.rated_on < ${burstDay}::date),
        count(distinct device_id)::int, count(distinct address_hash)::int
      from public_ratings r where point_id = ${Number(burstPoint.id)} and rated_on = ${burstDay}::date and counted
      group by point_id, unit_id, rated_on`);
  }
  await audit(
    tx,
    { userId: null, label: "seed" },
    {
      action: "seed.demo_ratings",
      entityType: "rating_point",
      after: { points: points.length, ratings: inserted.length, cases: cases.length },
    },
  );
  return { ratings: inserted.length, cases: cases.length };
}
