import type { Cell, Table } from "~/modules/rankings/tables";
import type { ShortlistRules } from "~db/schema/shortlists";
import type { Evaluation, RuleKey, RuleResult, VersionEntry } from "./rules";

/**
 * The shortlist tables as the pages show them and the CSV/XLSX exports and the print write them, built
 * once from the same rows (the rankings' Table and writers), so a file always says what the page says.
 * Pure.
 */

type T = (key: string, params?: Record<string, unknown>) => string;

const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
/** A threshold as people write it: 80%, 87.5%. */
const threshold = (x: number) => `${Math.round(x * 1000) / 10}%`;
const hours = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** The rule as a column heading, with its parameters: "出勤率≥85%（近2个季度）". */
export function ruleLabel(rule: RuleKey, rules: ShortlistRules, t: T): string {
  switch (rule) {
    case "minRank":
      return t("shortlists.rules.minRank.column", { rank: t(`ranks.${rules.minRank}`) });
    case "frontline":
      return t("shortlists.rules.frontline.column");
    case "attendance":
      return t("shortlists.rules.attendance.column", { rate: threshold(rules.attendance!.minRate), quarters: rules.attendance!.quarters });
    case "trainingHours":
      return t("shortlists.rules.trainingHours.column", { year: rules.trainingHours!.year });
    case "topPercent":
      return t("shortlists.rules.topPercent.column", { percent: rules.topPercent!.percent, quarters: rules.topPercent!.quarters });
    case "noAccountability":
      return t("shortlists.rules.noAccountability.column");
    case "noOpenFlag":
      return t("shortlists.rules.noOpenFlag.column");
  }
}

/** The rules an evaluation applied, with their parameters, as a round states them. */
export function rulesOf(evaluation: Pick<Evaluation, "results">): ShortlistRules {
  const rules: ShortlistRules = {};
  for (const r of evaluation.results) {
    if (r.rule === "minRank") rules.minRank = r.minRank;
    if (r.rule === "frontline") rules.frontline = true;
    if (r.rule === "attendance") rules.attendance = { minRate: r.minRate, quarters: r.quarters.length };
    if (r.rule === "trainingHours") rules.trainingHours = { year: r.year };
    if (r.rule === "topPercent") rules.topPercent = { percent: r.percent, quarters: r.quarters };
    if (r.rule === "noAccountability") rules.noAccountability = true;
  }
  return rules;
}

/** The figures behind one rule, in a line: "126 天（需 90 天）". */
export function ruleFigure(result: RuleResult, t: T): string {
  switch (result.rule) {
    case "minRank":
      return t(`ranks.${result.rank}`);
    case "frontline":
      return t("shortlists.figures.days", { days: result.days, min: result.minDays });
    case "attendance":
      return result.rate === null
        ? t("shortlists.figures.noAttendance")
        : t("shortlists.figures.rate", { rate: percent(result.rate), expected: result.enrolled - result.excused });
    case "trainingHours":
      return t("shortlists.figures.hours", { earned: hours(result.earned), required: hours(result.required) });
    case "topPercent": {
      const places = result.rankings.map((r) =>
        r.rank === null
          ? t("shortlists.figures.notRanked", { quarter: r.quarter })
          : [
              t("shortlists.figures.place", { quarter: r.quarter, rank: r.rank, size: r.bandSize }),
              r.tieSize && r.tieSize > 1
                ? t("shortlists.figures.tie", { count: r.tieSize, rank: r.rank, last: r.rank + r.tieSize - 1 })
                : "",
              r.cutoff ? t("shortlists.figures.cutoff", { percent: result.percent, cutoff: r.cutoff }) : "",
            ].join(""),
      );
      if (result.rankings.length < result.quarters)
        places.push(t("shortlists.figures.fewerRankings", { count: result.rankings.length, needed: result.quarters }));
      return places.join(t("shortlists.figures.separator"));
    }
    case "noAccountability":
      return result.records.length
        ? result.records
            .map((r) =>
              t(r.reason === "open" ? "shortlists.figures.recordOpen" : "shortlists.figures.recordInEffect", {
                kind: t(`accountability.kinds.${r.kind}`),
                id: r.recordId,
                heldOn: r.heldOn,
                until: r.effectUntil ?? "",
                asOf: result.asOf,
              }),
            )
            .join(t("shortlists.figures.separator"))
        : t("shortlists.figures.noRecord", { asOf: result.asOf });
    case "noOpenFlag":
      return result.flags.length
        ? result.flags
            .map((f) => t("shortlists.figures.flag", { unit: f.unitName, quarter: f.quarter }))
            .join(t("shortlists.figures.separator"))
        : t("shortlists.figures.noFlag");
  }
}

export function ruleCell(result: RuleResult | undefined, t: T, href?: string): Cell {
  if (!result) return { value: "" };
  return {
    value: `${t(result.pass ? "shortlists.rule.pass" : "shortlists.rule.fail")} · ${ruleFigure(result, t)}`,
    tone: result.pass ? "ok" : "danger",
    href,
  };
}

export interface EvidenceRowLike {
  cadreId: number;
  staffNo: string;
  name: string;
  unitName: string;
  rank: string;
  evaluation: Evaluation;
  nomination: { withdrawn: boolean } | null;
}

/**
 * Every candidate with a pass/fail per rule and the figures: the round page's table and its export.
 * `href` links a cadre's name and each rule's cell to where it can be checked (the page only).
 */
export function evidenceTable(
  rows: readonly EvidenceRowLike[],
  rules: ShortlistRules,
  applied: readonly RuleKey[],
  t: T,
  href: {
    cadre?: (row: EvidenceRowLike) => string | undefined;
    rule?: (row: EvidenceRowLike, result: RuleResult) => string | undefined;
  } = {},
): Table {
  return {
    name: "shortlist-evidence",
    columns: [
      { key: "staffNo", label: t("shortlists.table.staffNo") },
      { key: "name", label: t("shortlists.table.name") },
      { key: "unit", label: t("shortlists.table.unit") },
      { key: "rank", label: t("shortlists.table.rank") },
      ...applied.map((r) => ({ key: r, label: ruleLabel(r, rules, t) })),
      { key: "eligible", label: t("shortlists.table.eligible") },
      { key: "nomination", label: t("shortlists.table.nomination") },
    ],
    rows: rows.map((row) => [
      { value: row.staffNo },
      { value: row.name, href: href.cadre?.(row) },
      { value: row.unitName },
      { value: t(`ranks.${row.rank}`) },
      ...applied.map((rule) => {
        const result = row.evaluation.results.find((r) => r.rule === rule);
        return ruleCell(result, t, result ? href.rule?.(row, result) : undefined);
      }),
      {
        value: t(row.evaluation.eligible ? "shortlists.eligibility.eligible" : "shortlists.eligibility.ineligible"),
        tone: row.evaluation.eligible ? ("ok" as const) : ("danger" as const),
      },
      {
        value: row.nomination
          ? t(row.nomination.withdrawn ? "shortlists.nomination.withdrawn" : "shortlists.nomination.nominated")
          : t("shortlists.nomination.none"),
      },
    ]),
  };
}

/**
 * A published list: one row per entry in the list's order, with the decision and its reason, the
 * recommendation and any override, and each rule's frozen figures.
 */
export function listTable(
  entries: readonly VersionEntry[],
  t: T,
  href: { cadre?: (entry: VersionEntry) => string | undefined } = {},
): Table {
  const rules = entries.length ? rulesOf(entries[0]!.evaluation) : {};
  const applied = entries.length ? entries[0]!.evaluation.results.map((r) => r.rule) : [];
  return {
    name: "shortlist",
    columns: [
      { key: "n", label: t("shortlists.table.number"), numeric: true },
      { key: "decision", label: t("shortlists.table.decision") },
      { key: "staffNo", label: t("shortlists.table.staffNo") },
      { key: "name", label: t("shortlists.table.name") },
      { key: "unit", label: t("shortlists.table.unit") },
      { key: "rank", label: t("shortlists.table.rank") },
      { key: "title", label: t("shortlists.table.title") },
      { key: "eligible", label: t("shortlists.table.eligibleAtPublication") },
      ...applied.map((r) => ({ key: r, label: ruleLabel(r, rules, t) })),
      { key: "decisionReason", label: t("shortlists.table.decisionReason") },
      { key: "recommendation", label: t("shortlists.table.recommendation") },
      { key: "overrideReason", label: t("shortlists.table.overrideReason") },
    ],
    rows: entries.map((e, i) => [
      { value: i + 1 },
      {
        value: t(`shortlists.decisions.${e.decision}`),
        tone: e.decision === "shortlisted" ? ("ok" as const) : e.decision === "rejected" ? ("danger" as const) : ("warn" as const),
      },
      { value: e.staffNo },
      { value: e.name, href: href.cadre?.(e) },
      // The unit at publication; a transfer since the nomination is said beside it.
      e.transferred && e.nominatedUnit
        ? { value: t("shortlists.table.unitTransferred", { unit: e.unitName, from: e.nominatedUnit.unitName }), tone: "warn" as const }
        : { value: e.unitName },
      { value: t(`ranks.${e.rank}`) },
      { value: e.title },
      {
        value: t(e.eligible ? "shortlists.eligibility.eligible" : "shortlists.eligibility.ineligible"),
        tone: e.eligible ? ("ok" as const) : ("danger" as const),
      },
      ...applied.map((rule) =>
        ruleCell(
          e.evaluation.results.find((r) => r.rule === rule),
          t,
        ),
      ),
      { value: e.decisionReason },
      { value: e.recommendation },
      { value: e.overrideReason ?? "", tone: e.overrideReason ? ("warn" as const) : undefined },
    ]),
  };
}
