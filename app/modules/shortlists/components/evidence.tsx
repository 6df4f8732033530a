import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { type Evaluation, evidenceLinks, type LinkAbilities, type RuleResult } from "../rules";
import { ruleFigure, ruleLabel, rulesOf } from "../tables";

/** Pass or fail, as a badge. */
export function RuleBadge({ pass, children }: { pass: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  return <span className={`badge ${pass ? "ok" : "danger"}`}>{children ?? t(pass ? "shortlists.rule.pass" : "shortlists.rule.fail")}</span>;
}

/** One badge per rule, naming it: the compact view on a nomination card. */
export function RuleBadges({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const rules = rulesOf(evaluation);
  return (
    <span className="sl-badges">
      {evaluation.results.map((r) => (
        <RuleBadge key={r.rule} pass={r.pass}>
          {r.pass ? "✓" : "✗"} {ruleLabel(r.rule, rules, t)}
        </RuleBadge>
      ))}
    </span>
  );
}

/**
 * Every rule with its outcome, the figures behind it and the pages where they can be checked (those the
 * reader may open). `extra` adds rule-specific detail, e.g. the frontline records counted.
 */
export function RuleEvidenceList({
  cadreId,
  evaluation,
  can,
  extra,
}: {
  cadreId: number;
  evaluation: Evaluation;
  can: LinkAbilities;
  extra?: (result: RuleResult) => ReactNode;
}) {
  const { t } = useTranslation();
  const rules = rulesOf(evaluation);
  return (
    <ul className="sl-evidence">
      {evaluation.results.map((r) => {
        const links = evidenceLinks(cadreId, r, can);
        return (
          <li key={r.rule} className={r.pass ? "pass" : "fail"} data-rule={r.rule}>
            <h3>
              <RuleBadge pass={r.pass} /> {ruleLabel(r.rule, rules, t)}
            </h3>
            <p>{ruleFigure(r, t)}</p>
            {extra?.(r)}
            {links.length ? (
              <ul className="sl-links" aria-label={t("shortlists.candidate.evidence")}>
                {links.map((l) => (
                  <li key={l.href}>
                    <Link to={l.href}>{t(`shortlists.evidence.links.${l.label}`, l.params)}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
