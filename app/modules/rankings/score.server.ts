import { type SQL, sql } from "drizzle-orm";
import { configuredHashAlgorithm, evidenceHash, type HashAlgorithm } from "~/modules/security/digest.server";
import type { DbOrTx } from "~db/client";
import { ASSESSMENT_GRADES } from "~db/schema/rankings";
import { CADRE_INDICATORS, type Indicator, type ModelSpec, UNIT_INDICATORS } from "./model";

/**
 * Scoring, as SQL over a ranking's frozen inputs only. The same SELECT writes a ranking's rows when it
 * is computed (over the inputs being frozen) and recomputes them when a published ranking is checked
 * (over the inputs stored in its rows), so a ranking and its reproduction cannot take different
 * paths. The rules are scoring.ts's:
 *
 * - values are exact ratios (numeric with 30 decimals), capped at 1 where the rule says so;
 * - score = 100 × Σ wᵢvᵢ ÷ Σ wᵢ over the applicable indicators, rounded half-up to 4 decimals (numeric
 *   round() rounds half away from zero). A score exactly on a half (87.12345) may come out of the
 *   divisions as 87.1234499…9 in its 30th decimal; the 1e-20 added before rounding restores it, and is
 *   far below the distance of any other score from a half;
 * - ranks: row_number over the peer group by score, then the exact attendance value (not applicable
 *   last), then code / staff number in byte order (collate "C", the same on every server). The sort
 *   compares integers and doubles first and the exact value only between equal doubles: the double
 *   of a value is a monotone function of it, so the order is the exact order, at a fraction of the cost.
 *
 * Values, rescaled weights and contributions are stored as doubles for reading; the score and the
 * ranks come from the exact values. The values are computed in a subquery fenced with OFFSET 0:
 * folded into the expressions that use them, PostgreSQL would repeat every division.
 *
 * Speed (bench/ranking.ts): a cadre's values depend only on a handful of counts, hours, days and the
 * grade, and at province scale 100,000 cadres share a few thousand combinations of them. The exact
 * arithmetic is done once per combination, which also gets its place in the order (score, then
 * attendance); each cadre then takes its combination's figures, and the ranks sort cadres by place
 * and staff number only, on narrow rows (sorting the wide ones cost a sixth of the statement). Units
 * are few and nearly all different: they are scored row by row.
 */

/** An exact decimal literal: weights and parameters carry at most 4 decimals (model.ts). */
const dec = (x: number) => sql.raw(`${Number(x.toFixed(6))}::numeric`);
const dbl = (x: number) => sql.raw(`${Number(x.toFixed(6))}::float8`);
const EXACT = sql.raw("numeric(60,30)");

const prefix = (k: Indicator) => k.slice(0, 3);

/** The frozen inputs of a cadre row, in the order every SELECT here produces them. */
export const CADRE_INPUT_FIELDS = [
  "cadre_id",
  "staff_no",
  "name",
  "unit_id",
  "cadre_rank",
  "band",
  "enrolled",
  "present",
  "late",
  "excused",
  "hours_earned",
  "hours_makeup",
  "hours_required",
  "frontline_days",
  "frontline_quota",
  "grade",
] as const;

export const UNIT_INPUT_FIELDS = [
  "unit_id",
  "code",
  "name",
  "peer_group",
  "enrolled",
  "present",
  "late",
  "excused",
  "frontline_days",
  "satisfied",
  "unsatisfied",
] as const;

const indicatorColumns = (keys: readonly Indicator[]) =>
  keys.flatMap((k) => ["num", "den", "value", "weight", "contribution"].map((c) => `${k}_${c}`));

const CADRE_ROW = ["ranking_id", ...CADRE_INPUT_FIELDS, "score", "rank", ...indicatorColumns(CADRE_INDICATORS)];
const UNIT_ROW = [
  "ranking_id",
  ...UNIT_INPUT_FIELDS,
  "score",
  "rank",
  "members",
  "members_section_up",
  "frontline_raw",
  "frontline_min",
  "frontline_max",
  ...indicatorColumns(UNIT_INDICATORS),
];
export const cadreRowColumns = () => sql.raw(CADRE_ROW.join(", "));
export const unitRowColumns = () => sql.raw(UNIT_ROW.join(", "));

/**
 * From `base` (per indicator prefix p: the exact value p_v) to one row per row of `base` with the
 * `keep` columns, each value as a double, the applicable weight and the score.
 */
function scored(keys: readonly Indicator[], weights: Record<string, number>, base: SQL, keep: readonly string[]): SQL {
  const v = (k: Indicator) => sql.raw(`b.${prefix(k)}_v`);
  const applicableWeight = sql`(${sql.join(
    keys.map((k) => sql`(case when ${v(k)} is not null then ${dec(weights[k]!)} else 0 end)`),
    sql` + `,
  )})`;
  const weightedSum = sql`(${sql.join(
    keys.map((k) => sql`${dec(weights[k]!)} * coalesce(${sql.raw(`w.${prefix(k)}_v`)}, 0)`),
    sql` + `,
  )})`;
  const carried = sql.raw(
    keep
      .map((c) => `w.${c}`)
      .concat(keys.map((k) => `w.${prefix(k)}_v::float8 as ${prefix(k)}_f`))
      .join(", "),
  );
  return sql`
    scored as (
      select ${carried}, w.att_v, w.w_sum::float8 as w_total,
        case when w.w_sum > 0 then round(100 * ${weightedSum} / w.w_sum + 1e-20, 4) end as score
      from (select b.*, ${applicableWeight} as w_sum from (${base} offset 0) b offset 0) w
    )`;
}

/** The five explanation columns of each indicator, from `scored`. */
function explanation(keys: readonly Indicator[], weights: Record<string, number>): SQL {
  return sql.join(
    keys.map((k) => {
      const p = prefix(k);
      const f = sql.raw(`${p}_f`);
      return sql`${sql.raw(`${p}_num, ${p}_den, ${p}_f`)},
        case when w_total > 0 and ${f} is not null then ${dbl(weights[k]!)} / w_total end,
        case when w_total > 0 and ${f} is not null then 100 * ${dbl(weights[k]!)} * ${f} / w_total end`;
    }),
    sql`, `,
  );
}

/** The order of a peer group: integer score, then the attendance double and exact value (then the code). */
const PLACE_ORDER = "(score * 10000)::bigint desc nulls last, att_f desc nulls last, att_v desc nulls last";
const rankOrder = (code: string) => sql.raw(`${PLACE_ORDER}, ${code} collate "C"`);

const numDen = (keys: readonly Indicator[]) => keys.flatMap((k) => [`${prefix(k)}_num`, `${prefix(k)}_den`]);

/** What a cadre's values are computed from; the grade as a number, so that the join can hash it. */
const CADRE_VALUE_INPUTS = [
  "enrolled",
  "present",
  "late",
  "excused",
  "hours_earned",
  "hours_required",
  "frontline_days",
  "frontline_quota",
] as const;
const gradeKey = (grade: SQL) =>
  sql`(case ${grade} ${sql.raw(ASSESSMENT_GRADES.map((g, i) => `when '${g}' then ${i + 1}`).join(" "))} else 0 end)`;

/**
 * SELECT of a ranking's cadre rows, in the column order of `cadreRowColumns`, from `source`: a
 * relation with the CADRE_INPUT_FIELDS (being frozen, or stored). Its join of cadres to their
 * combination is meant to hash: run it with CADRE_PLANNER.
 */
export function cadreScoringSelect(source: SQL, rankingId: number, spec: ModelSpec): SQL {
  const g = spec.params.gradeValues;
  const grade = sql.join(
    ASSESSMENT_GRADES.map((k) => sql`when ${sql.raw(`'${k}'`)} then ${dec(g[k])}`),
    sql` `,
  );
  const lateWeight = dec(spec.params.lateWeight);
  const keys = [...CADRE_VALUE_INPUTS, "grade_key"];
  const base = sql`
    select i.*,
      (i.present + ${lateWeight} * i.late)::numeric as att_num, (i.enrolled - i.excused)::numeric as att_den,
      case when i.enrolled - i.excused > 0 then (i.present + ${lateWeight} * i.late)::${EXACT} / (i.enrolled - i.excused) end as att_v,
      case when i.hours_required > 0 then least(1, i.hours_earned::${EXACT} / i.hours_required) end as tra_v,
      i.frontline_days::numeric as fro_num, i.frontline_quota::numeric as fro_den,
      case when i.frontline_quota > 0 then least(1, i.frontline_days::${EXACT} / i.frontline_quota) end as fro_v,
      (case i.grade ${grade} end) as ass_num,
      case when i.grade is not null then 1::numeric end as ass_den,
      (case i.grade ${grade} end)::${EXACT} as ass_v
    from (select distinct ${sql.raw(keys.join(", "))}, grade from inputs) i`;
  // Training's numerator and denominator are the cadre's own hours, carried as they are: hours equal
  // as numbers share a combination, but a row keeps its own way of writing them.
  const keep = [...keys, "att_num", "att_den", "fro_num", "fro_den", "ass_num", "ass_den"];
  return sql`
    with inputs as not materialized (
      select ${sql.raw(CADRE_INPUT_FIELDS.map((f) => `i.${f}`).join(", "))}, ${gradeKey(sql`i.grade`)} as grade_key,
        i.hours_earned as tra_num, i.hours_required as tra_den
      from ${source} i
    ),
    ${scored(CADRE_INDICATORS, spec.cadreWeights, base, keep)},
    placed as (select s.*, row_number() over () as combo, dense_rank() over (order by ${sql.raw(PLACE_ORDER)}) as place from scored s),
    -- The ranks sort narrow rows (cadre, combination, place, staff number); the wide ones join back after.
    ranked as (
      select i.cadre_id, p.combo,
        (case when p.score is not null then row_number() over (partition by i.band order by p.place, i.staff_no collate "C") end)::int as rank
      from inputs i
      join placed p on ${sql.raw(keys.map((k) => `p.${k} = i.${k}`).join(" and "))})
    select ${rankingId}::int, ${sql.raw(CADRE_INPUT_FIELDS.map((f) => `i.${f}`).join(", "))}, score, r.rank,
      ${explanation(CADRE_INDICATORS, spec.cadreWeights)}
    from inputs i
    join ranked r on r.cadre_id = i.cadre_id
    join placed p on p.combo = r.combo`;
}

/**
 * SELECT of a ranking's unit rows, in the column order of `unitRowColumns`, from `source` (a relation
 * with the UNIT_INPUT_FIELDS) and `cadres`, the ranking's cadres with their CADRE_INPUT_FIELDS (being
 * frozen, or stored): the members on the last day. Reading the cadres where they are frozen from, not
 * back from the rows just written, spares a scan of those in key order with a fetch per row.
 */
export function unitScoringSelect(source: SQL, cadres: SQL, rankingId: number, spec: ModelSpec): SQL {
  const lateWeight = dec(spec.params.lateWeight);
  const base = sql`
    with members as (
      select c.unit_id, count(*)::int as members,
        (count(*) filter (where c.cadre_rank >= 'deputy_section'::cadre_rank))::int as section_up,
        sum(least(1, c.hours_earned::${EXACT} / c.hours_required)) filter (where c.hours_required > 0) as tra_sum,
        (count(*) filter (where c.hours_required > 0))::int as tra_n
      from ${cadres} c
      group by c.unit_id
    ),
    raw as (
      select ${sql.raw(UNIT_INPUT_FIELDS.map((f) => `u.${f}`).join(", "))},
        coalesce(m.members, 0) as members, coalesce(m.section_up, 0) as section_up,
        (u.present + ${lateWeight} * u.late)::numeric as att_num, (u.enrolled - u.excused)::numeric as att_den,
        case when u.enrolled - u.excused > 0 then (u.present + ${lateWeight} * u.late)::${EXACT} / (u.enrolled - u.excused) end as att_v,
        round(coalesce(m.tra_sum, 0), 6) as tra_num, coalesce(m.tra_n, 0)::numeric as tra_den,
        case when m.tra_n > 0 then m.tra_sum / m.tra_n end as tra_v,
        u.frontline_days::numeric as fro_num, coalesce(m.section_up, 0)::numeric as fro_den,
        case when m.section_up > 0 then u.frontline_days::${EXACT} / m.section_up end as fro_raw,
        u.satisfied::numeric as sat_num, (u.satisfied + u.unsatisfied)::numeric as sat_den,
        case when u.satisfied + u.unsatisfied > 0 then u.satisfied::${EXACT} / (u.satisfied + u.unsatisfied) end as sat_v
      from ${source} u
      left join members m on m.unit_id = u.unit_id
    ),
    bounded as (
      select r.*, min(fro_raw) over (partition by peer_group) as fro_min, max(fro_raw) over (partition by peer_group) as fro_max from raw r
    )
    select b.*, case when fro_raw is null then null when fro_max = fro_min then 1::numeric
      else (fro_raw - fro_min) / (fro_max - fro_min) end as fro_v
    from bounded b`;
  const keep = [...UNIT_INPUT_FIELDS, "members", "section_up", "fro_raw", "fro_min", "fro_max", ...numDen(UNIT_INDICATORS)];
  return sql`
    with ${scored(UNIT_INDICATORS, spec.unitWeights, base, keep)}
    select ${rankingId}::int, ${sql.raw(UNIT_INPUT_FIELDS.join(", "))}, score,
      (case when score is not null then row_number() over (partition by peer_group order by ${rankOrder("code")}) end)::int,
      members, section_up, fro_raw::float8, fro_min::float8, fro_max::float8,
      ${explanation(UNIT_INDICATORS, spec.unitWeights)}
    from scored`;
}

/** A ranking's stored inputs, as a scoring source. */
export const storedCadreInputs = (rankingId: number) =>
  sql`(select ${sql.raw(CADRE_INPUT_FIELDS.join(", "))} from ranking_cadre_results where ranking_id = ${rankingId})`;
export const storedUnitInputs = (rankingId: number) =>
  sql`(select ${sql.raw(UNIT_INPUT_FIELDS.join(", "))} from ranking_unit_results where ranking_id = ${rankingId})`;

/**
 * Runs statements with planner settings of their own, then puts the previous values back (a local
 * setting would otherwise last to the end of the transaction). Within a transaction only; on an
 * error the transaction is rolled back, and the settings with it.
 */
export async function withPlannerSettings<T>(tx: DbOrTx, settings: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const set = (values: Record<string, string>) =>
    tx.execute(
      sql`select ${sql.join(
        names.map((n) => sql`set_config(${n}, ${values[n]!}, true)`),
        sql`, `,
      )}`,
    );
  const [before] = await tx.execute<Record<string, string>>(
    sql`select ${sql.join(
      names.map((n) => sql`current_setting(${n}) as ${sql.identifier(n)}`),
      sql`, `,
    )}`,
  );
  await set(settings);
  const result = await run();
  await set(before!);
  return result;
}

/**
 * The cadre SELECT joins every cadre to their combination on nine columns. PostgreSQL has no
 * statistics for either side (a temporary table, an aggregate), prices a hash over them as if most
 * rows fell in one bucket and picks a merge join with two large sorts (or, where it expects few stored
 * rows, a nested loop, which at scale never ends). A hash join is the right plan at every size.
 * The ranks sort a narrow row per cadre (9 MB at province scale): with the default 4 MB of work_mem
 * that sort goes to disk.
 */
const CADRE_PLANNER = { enable_mergejoin: "off", enable_nestloop: "off", work_mem: "32MB" };

/** Runs an INSERT of result rows and counts those that got a rank. */
async function ranked(tx: DbOrTx, insert: SQL): Promise<number> {
  const [row] = await tx.execute<{ ranked: number }>(
    sql`with written as (${insert} returning rank) select count(rank)::int as ranked from written`,
  );
  return Number(row!.ranked);
}

/** Freezes the cadres' inputs and writes their results, one statement; returns how many are ranked. */
export async function writeCadres(tx: DbOrTx, rankingId: number, inputs: SQL, spec: ModelSpec): Promise<number> {
  return withPlannerSettings(tx, CADRE_PLANNER, () =>
    ranked(tx, sql`insert into ranking_cadre_results (${cadreRowColumns()}) ${cadreScoringSelect(sql`(${inputs})`, rankingId, spec)}`),
  );
}

/**
 * Freezes the units' inputs and writes their results, with `cadres` the cadre inputs as written
 * (their members); returns how many are ranked.
 */
export async function writeUnits(tx: DbOrTx, rankingId: number, inputs: SQL, cadres: SQL, spec: ModelSpec): Promise<number> {
  return ranked(
    tx,
    sql`insert into ranking_unit_results (${unitRowColumns()}) ${unitScoringSelect(sql`(${inputs})`, sql`(${cadres})`, rankingId, spec)}`,
  );
}

/**
 * How many rows a recomputation from the stored inputs would write differently (a changed row counts
 * once; rows missing on either side count too).
 */
export async function differingRows(db: DbOrTx, rankingId: number, spec: ModelSpec): Promise<{ cadres: number; units: number }> {
  const count = async (tx: DbOrTx, table: string, columns: SQL, select: SQL) => {
    const [row] = await tx.execute<{ n: number }>(sql`
      with again as (${select}),
      stored as (select ${columns} from ${sql.raw(table)} where ranking_id = ${rankingId})
      select greatest((select count(*) from (select * from again except all select * from stored) a),
                      (select count(*) from (select * from stored except all select * from again) b))::int as n`);
    return Number(row!.n);
  };
  return db.transaction(async (tx) => ({
    cadres: await withPlannerSettings(tx, CADRE_PLANNER, () =>
      count(tx, "ranking_cadre_results", cadreRowColumns(), cadreScoringSelect(storedCadreInputs(rankingId), rankingId, spec)),
    ),
    units: await count(
      tx,
      "ranking_unit_results",
      unitRowColumns(),
      unitScoringSelect(storedUnitInputs(rankingId), storedCadreInputs(rankingId), rankingId, spec),
    ),
  }));
}

/**
 * SHA-256 of the canonical text of a ranking's frozen inputs and its model version: one line per
 * cadre and unit in id order (PostgreSQL's text of the row of input fields; numbers without trailing
 * zeros), and the model as jsonb prints it (keys in its own fixed order). Anyone with the rows can
 * recompute it.
 */
export async function inputsHash(db: DbOrTx, rankingId: number, algorithm: HashAlgorithm = configuredHashAlgorithm()): Promise<string> {
  const cadreFields = CADRE_INPUT_FIELDS.map((f) => (f.startsWith("hours_") ? `trim_scale(${f})` : f)).join(", ");
  // SHA-256 is computed where the text is (no need to ship megabytes); any other algorithm (SM3, where
  // HASH_ALGORITHM says so) takes the same text out and hashes it through the one substitution point.
  const text = sql`
      concat_ws(E'\n',
        'luoshi-ranking-inputs/1',
        r.quarter,
        concat_ws('|', 'M', m.year, m.version, m.cadre_weights::text, m.unit_weights::text, m.params::text),
        (select string_agg('C' || (${sql.raw(cadreFields)})::text, E'\n' order by cadre_id)
          from ranking_cadre_results where ranking_id = r.id),
        (select string_agg('U' || (${sql.raw(UNIT_INPUT_FIELDS.join(", "))})::text, E'\n' order by unit_id)
          from ranking_unit_results where ranking_id = r.id)
      )`;
  if (algorithm === "sha256") {
    const [row] = await db.execute<{ hash: string }>(sql`
      select encode(sha256(convert_to(${text}, 'UTF8')), 'hex') as hash
      from rankings r join ranking_models m on m.id = r.model_id
      where r.id = ${rankingId}`);
    if (!row) throw new Error(`ranking ${rankingId} not found`);
    return row.hash;
  }
  const [row] = await db.execute<{ text: string }>(sql`
    select ${text} as text from rankings r join ranking_models m on m.id = r.model_id where r.id = ${rankingId}`);
  if (!row) throw new Error(`ranking ${rankingId} not found`);
  return evidenceHash(row.text, algorithm);
}
