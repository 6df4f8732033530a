import { todayInShanghai } from "~/utils/dates";
import { actionCategory, entityHref } from "./actions";
import { type FieldChange, fieldChanges } from "./diff";

/**
 * An audit row as people read it (page and export alike): who, in what capacity, did what to which
 * object, what changed field by field, and why. Pure; `t` is the reader's translator.
 */
type T = (key: string, params?: Record<string, unknown>) => string;

/** Roles worth naming beside an actor: the administrative ones and unit headship. */
const SHOWN_ROLES = ["org_admin", "system_admin", "security_admin", "audit_admin", "unit_head", "unit_liaison", "venue_staff"];

export interface AuditRowLike {
  id: number;
  at: Date | string;
  actorUserId: number | null;
  actorName: string | null;
  actorRoles: string[] | null;
  actorUnits: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface AuditRowView {
  id: number;
  actor: string;
  actorRoles: string;
  actorUnits: string;
  description: string;
  category: string;
  object: string;
  href: string | null;
  changes: FieldChange[];
  reason: string;
}

export function actorLabel(row: Pick<AuditRowLike, "actorUserId" | "actorName" | "actorLabel">, t: T): string {
  if (row.actorUserId) return row.actorName ?? `#${row.actorUserId}`;
  const label = row.actorLabel ?? "system";
  return t(`audit.systemActors.${label}`, { defaultValue: label });
}

export function auditRowView(row: AuditRowLike, t: T, options: { links: boolean }): AuditRowView {
  const roles = (row.actorRoles ?? []).filter((r) => SHOWN_ROLES.includes(r));
  const objectType = t(`audit.entities.${row.entityType}`, { defaultValue: row.entityType });
  const named =
    row.after && typeof row.after === "object"
      ? ((row.after as Record<string, unknown>).name ?? (row.after as Record<string, unknown>).code)
      : null;
  return {
    id: row.id,
    actor: actorLabel(row, t),
    actorRoles: roles.map((r) => t(`roles.${r}`)).join("、"),
    // The unit matters for heads and liaisons (whose unit they acted for); for others it is only noise.
    actorUnits: roles.includes("unit_head") || roles.includes("unit_liaison") ? (row.actorUnits ?? "") : "",
    description: t(`audit.actions.${row.action}`),
    category: t(`audit.categories.${actionCategory(row.action)}`),
    object: [objectType, row.entityId ? `#${row.entityId}` : "", typeof named === "string" ? named : ""].filter(Boolean).join(" "),
    href: options.links ? entityHref(row.entityType, row.entityId, row.after) : null,
    changes: fieldChanges(row.before, row.after),
    reason: row.reason ?? "",
  };
}

/** A change as one line of text: "field: before → after". */
export function changeText(change: FieldChange, t: T): string {
  // A nested field reads part by part ("进行中 · 推荐人数"); an unknown part stays as written.
  const field = change.field
    .split(".")
    .map((part) => t(`audit.fields.${part}`, { defaultValue: part }))
    .join(" · ");
  const empty = t("audit.empty");
  return `${field}: ${change.before ?? empty} → ${change.after ?? empty}`;
}

/** Date ranges offered as one-click filters (Shanghai calendar days, "to" inclusive). */
export function quickRanges(now = new Date()): { key: "today" | "last7" | "lastWeek" | "thisMonth"; from: string; to: string }[] {
  const today = todayInShanghai(now);
  const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const thisMonday = shift(today, -weekday);
  return [
    { key: "today", from: today, to: today },
    { key: "last7", from: shift(today, -6), to: today },
    { key: "lastWeek", from: shift(thisMonday, -7), to: shift(thisMonday, -1) },
    { key: "thisMonth", from: `${today.slice(0, 8)}01`, to: today },
  ];
}
