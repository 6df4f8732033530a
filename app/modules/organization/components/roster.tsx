import { useTranslation } from "react-i18next";
import type { CadreSearchInput } from "~/modules/organization/schema";
import { EDUCATIONS, GENDERS, POLITICAL_STATUSES } from "~db/schema/roster-codes";
import { yearMonth, yearsSince } from "../roster";

/** The roster fields of one cadre, as the organization department and the heads see them. */
export interface RosterValues {
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  nativePlace: string | null;
  politicalStatus: string | null;
  education: string | null;
  degree: string | null;
  workStartDate: string | null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A code list's label, or "未填". */
export function codeLabel(t: Translate, list: string, code: string | null | undefined): string {
  return code ? t(`roster.${list}.${code}`) : t("roster.unknown");
}

/** "研究生 硕士", "大学本科", or "未填". */
export function educationDegree(t: Translate, roster: Pick<RosterValues, "education" | "degree">): string {
  const parts = [
    roster.education ? t(`roster.educations.${roster.education}`) : "",
    roster.degree ? t(`roster.degrees.${roster.degree}`) : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" ") : t("roster.unknown");
}

/** "1980.05（45 岁）". */
export function birthWithAge(t: Translate, birthDate: string | null, today: string): string {
  if (!birthDate) return t("roster.unknown");
  return `${yearMonth(birthDate)}（${t("roster.ageYears", { years: yearsSince(birthDate, today) })}）`;
}

export function RosterSection({
  roster,
  rankSince,
  postSince,
  today,
  printHref,
}: {
  roster: RosterValues | null;
  rankSince: string | null;
  postSince: string | null;
  today: string;
  printHref: string | null;
}) {
  const { t } = useTranslation();
  const month = (d: string | null) => (d ? yearMonth(d) : t("roster.unknown"));
  return (
    <section className="card" aria-labelledby="roster">
      <h2 id="roster">{t("roster.section")}</h2>
      <dl className="roster-fields">
        {roster ? (
          <>
            <dt className="muted small">{t("roster.fields.gender")}</dt>
            <dd>{codeLabel(t, "genders", roster.gender)}</dd>
            <dt className="muted small">{t("roster.fields.ethnicity")}</dt>
            <dd>{codeLabel(t, "ethnicities", roster.ethnicity)}</dd>
            <dt className="muted small">{t("roster.fields.birthDate")}</dt>
            <dd>{birthWithAge(t, roster.birthDate, today)}</dd>
            <dt className="muted small">{t("roster.fields.nativePlace")}</dt>
            <dd>{roster.nativePlace || t("roster.unknown")}</dd>
            <dt className="muted small">{t("roster.fields.politicalStatus")}</dt>
            <dd>{codeLabel(t, "politicalStatuses", roster.politicalStatus)}</dd>
            <dt className="muted small">{t("roster.fields.educationDegree")}</dt>
            <dd>{educationDegree(t, roster)}</dd>
            <dt className="muted small">{t("roster.fields.workStartDate")}</dt>
            <dd>{month(roster.workStartDate)}</dd>
          </>
        ) : null}
        <dt className="muted small">{t("roster.fields.postSince")}</dt>
        <dd>{month(postSince)}</dd>
        <dt className="muted small">{t("roster.fields.rankSince")}</dt>
        <dd>{month(rankSince)}</dd>
      </dl>
      {roster ? <p className="muted small">{t("roster.sectionHint")}</p> : null}
      {printHref ? (
        <p className="no-print">
          <a className="button" href={printHref}>
            {t("roster.printForm")}
          </a>
        </p>
      ) : null}
    </section>
  );
}

export interface TermRow {
  kind: "rank" | "post" | "status";
  rank: string | null;
  title: string | null;
  status: string | null;
  startDate: string | null;
  endDate: string | null;
}

export function TermHistory({ terms }: { terms: TermRow[] }) {
  const { t } = useTranslation();
  if (!terms.length) return null;
  const value = (term: TermRow) =>
    term.kind === "rank"
      ? t(`ranks.${term.rank}`)
      : term.kind === "status"
        ? t(`cadreStatuses.${term.status}`)
        : term.title || t("common.none");
  return (
    <section aria-labelledby="terms">
      <h2 id="terms">{t("roster.history")}</h2>
      <p className="muted small">{t("roster.historyHint")}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>
                {t("roster.termKinds.rank")} / {t("roster.termKinds.post")}
              </th>
              <th>{t("roster.termFrom")}</th>
              <th>{t("roster.termTo")}</th>
            </tr>
          </thead>
          <tbody>
            {terms.map((term, i) => (
              <tr key={i}>
                <td>
                  <span className="muted small">{t(`roster.termKinds.${term.kind}`)}</span> {value(term)}
                </td>
                <td>{term.startDate ?? <span className="muted">{t("roster.beforeRecords")}</span>}</td>
                <td>{term.endDate ?? t("roster.current")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The cadre list's roster filters; the personal ones only for those who may see personal fields. */
export function RosterFilterFields({ filter, personal }: { filter: Partial<CadreSearchInput>; personal: boolean }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith("zh");
  return (
    <>
      {personal ? (
        <>
          <div className="field">
            <label htmlFor="gender">{t("roster.filters.gender")}</label>
            <select id="gender" name="gender" defaultValue={filter.gender ?? ""}>
              <option value="">{t("roster.filters.anyGender")}</option>
              {GENDERS.map((g) => (
                <option key={g} value={g}>
                  {t(`roster.genders.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ageMin">{t("roster.filters.ageMin")}</label>
            <input id="ageMin" name="ageMin" type="number" min={16} max={100} inputMode="numeric" defaultValue={filter.ageMin ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="ageMax">{t("roster.filters.ageMax")}</label>
            <input id="ageMax" name="ageMax" type="number" min={16} max={100} inputMode="numeric" defaultValue={filter.ageMax ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="education">{t("roster.filters.education")}</label>
            <select id="education" name="education" defaultValue={filter.education ?? ""}>
              <option value="">{t("roster.filters.anyEducation")}</option>
              {EDUCATIONS.map(([code, zhName, en]) => (
                <option key={code} value={code}>
                  {zh ? zhName : en}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="party">{t("roster.filters.party")}</label>
            <select id="party" name="party" defaultValue={filter.party ?? ""}>
              <option value="">{t("roster.filters.anyParty")}</option>
              <option value="cpc">{t("roster.filters.cpc")}</option>
              {POLITICAL_STATUSES.map(([code, zhName, , en]) => (
                <option key={code} value={code}>
                  {zh ? zhName : en}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      <div className="field">
        <label htmlFor="rankYears">{t("roster.filters.rankYears")}</label>
        <input id="rankYears" name="rankYears" type="number" min={0} max={60} inputMode="numeric" defaultValue={filter.rankYears ?? ""} />
      </div>
    </>
  );
}
