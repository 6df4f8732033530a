import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Table } from "~/modules/rankings/tables";
import { RULE_KEYS } from "../rules";

/** Columns of running text (reasons, recommendations): wrapped, in a readable width. */
const LONG = new Set(["decisionReason", "recommendation", "overrideReason"]);
/** A rule's outcome and figures: wrapped in a narrower column. */
const RULES = new Set<string>(RULE_KEYS);

function columnClass(key: string): string {
  if (LONG.has(key)) return "sl-long";
  if (RULES.has(key)) return "sl-rule-cell";
  return `sl-nowrap sl-col-${key}`;
}

/**
 * A shortlist table as built by tables.ts (the same rows the exports write), with links where the
 * reader may follow them, and optionally one more column of actions that only the page has.
 */
export function ShortlistTable({
  table,
  actions,
  caption,
}: {
  table: Table;
  actions?: { label: ReactNode; cell: (row: number) => ReactNode };
  caption?: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="sl-table">
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th
                key={c.key}
                className={
                  [c.numeric ? "num" : "", RULES.has(c.key) || LONG.has(c.key) ? "sl-wrap" : ""].filter(Boolean).join(" ") || undefined
                }
                scope="col"
              >
                {c.label}
              </th>
            ))}
            {actions ? <th scope="col">{actions.label}</th> : null}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => {
                const key = table.columns[i]?.key ?? "";
                const classes = [table.columns[i]?.numeric ? "num" : "", cell.tone ? `sl-${cell.tone}` : "", columnClass(key)]
                  .filter(Boolean)
                  .join(" ");
                return (
                  <td key={i} className={classes} data-label={table.columns[i]?.label}>
                    {cell.href ? <Link to={cell.href}>{cell.value}</Link> : cell.value}
                  </td>
                );
              })}
              {actions ? <td className="sl-action">{actions.cell(r)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
