import { useTranslation } from "react-i18next";
import { ErrorList, SelectField, TextareaField } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import type { ClassSessionStatus, LeaveStatus } from "~db/schema/classes";
import { RANKS } from "~db/schema/enums";

/**
 * Small pieces the night-class pages share. They live with the capability (rather than in
 * app/components) because nothing else uses them.
 */

const SESSION_TONE: Record<ClassSessionStatus, string> = { draft: "", published: "ok", closed: "", cancelled: "danger" };

export function SessionStatusBadge({ status }: { status: ClassSessionStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${SESSION_TONE[status]}`}>{t(`classes.sessionStatuses.${status}`)}</span>;
}

const LEAVE_TONE: Record<LeaveStatus, string> = { pending: "warn", approved: "ok", refused: "danger", withdrawn: "" };

export function LeaveBadge({ status }: { status: LeaveStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${LEAVE_TONE[status]}`}>{t(`classes.leaveStatuses.${status}`)}</span>;
}

/** Figures at the top of a page, each one a filter link when it has one. */
export function Figure({ label, value, to, tone }: { label: string; value: number | string; to?: string; tone?: "warn" | "danger" }) {
  const body = (
    <>
      <div className={`stat-value${tone ? ` ${tone}` : ""}`}>{value}</div>
      <div className="stat-label">{label}</div>
    </>
  );
  return to ? (
    <a href={to} className="stat" style={{ textDecoration: "none", color: "inherit" }}>
      {body}
    </a>
  ) : (
    <div className="stat">{body}</div>
  );
}

/** The audience part of the series and session forms: rank, units (with sub-units), named cadres, exclusions. */
export function AudienceFields({
  units,
  values,
  errors,
}: {
  units: { id: number; label: string }[];
  values: {
    minRank: string | null;
    unitIds: number[];
    cadreStaffNos: string;
    excludeStaffNos: string;
    audienceMandatory: boolean;
    openRegistration: boolean;
  };
  errors?: FieldErrors | null;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="stack-tight">
      <legend>{t("classes.audience.title")}</legend>
      <SelectField
        label={t("classes.audience.minRank")}
        name="minRank"
        defaultValue={values.minRank ?? ""}
        errors={errors}
        options={[{ value: "", label: t("classes.audience.noRank") }, ...RANKS.map((r) => ({ value: r, label: minRankLabel(t, r) }))]}
      />
      <div className="field">
        <label htmlFor="audience-units">{t("classes.audience.units")}</label>
        <select id="audience-units" name="unitIds" multiple size={6} defaultValue={values.unitIds.map(String)}>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.label}
            </option>
          ))}
        </select>
        <p className="field-hint">{t("classes.audience.unitsHint")}</p>
        <ErrorList errors={errors?.unitIds} />
      </div>
      <TextareaField
        label={t("classes.audience.cadres")}
        name="cadreStaffNos"
        rows={2}
        defaultValue={values.cadreStaffNos}
        errors={errors}
        placeholder="SF00012 SF00345"
      />
      <TextareaField
        label={t("classes.audience.exclude")}
        name="excludeStaffNos"
        rows={2}
        defaultValue={values.excludeStaffNos}
        errors={errors}
      />
      <label className="check">
        <input type="checkbox" name="audienceMandatory" defaultChecked={values.audienceMandatory} /> {t("classes.audience.mandatory")}
      </label>
      <label className="check">
        <input type="checkbox" name="openRegistration" defaultChecked={values.openRegistration} /> {t("classes.audience.open")}
      </label>
    </fieldset>
  );
}

/** Checkboxes for the ranks a venue seats. */
export function RankChecks({ name, checked, errors }: { name: string; checked: readonly string[]; errors?: FieldErrors | null }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <span className="field-label">{t("classes.venues.ranks")}</span>
      <div className="checks">
        {RANKS.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" name={name} value={r} defaultChecked={checked.includes(r)} /> {t(`ranks.${r}`)}
          </label>
        ))}
      </div>
      <ErrorList errors={errors?.[name]} />
    </div>
  );
}

/** "副科级及以上"; the lowest rank reads as every rank. */
export function minRankLabel(t: (key: string, options?: Record<string, unknown>) => string, rank: string): string {
  return rank === RANKS[0] ? t("classes.audience.allRanks") : t("classes.audience.rankAndAbove", { rank: t(`ranks.${rank}`) });
}
