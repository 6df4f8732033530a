import { useTranslation } from "react-i18next";

/** The units a ranking left out (参与排名: no), listed apart from the peer groups they would belong to. */
export function ExcludedUnits({
  units,
  groupLabel,
}: {
  units: { id: number; code: string; name: string; group: string }[];
  groupLabel: (group: string) => string;
}) {
  const { t } = useTranslation();
  if (!units.length) return null;
  return (
    <section className="card rk-excluded" aria-labelledby="rk-excluded">
      <h2 id="rk-excluded">{t("rankings.excluded.title", { count: units.length })}</h2>
      <p className="muted small">{t("rankings.excluded.intro")}</p>
      <ul className="rk-excluded-list">
        {units.map((u) => (
          <li key={u.id}>
            {u.name} <span className="muted small">{`${u.code} · ${groupLabel(u.group)}`}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
