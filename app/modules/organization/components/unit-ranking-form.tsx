import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import { UNIT_KINDS, type UnitKind } from "~db/schema/enums";
import { takesPartInRanking } from "../rules";

/** 参与排名 and the peer group of a unit, with the reason the audit keeps (the unit edit page). */
export function UnitRankingForm({
  unit,
  errors,
  busy,
}: {
  unit: { ranked: boolean | null; rankingPeerGroup: UnitKind | null; parentId: number | null; kind: UnitKind };
  errors?: FieldErrors | null;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const byDefault = takesPartInRanking({ ranked: null, parentId: unit.parentId });
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="ranking" />
      <SelectField
        label={t("organization.units.ranking.ranked")}
        name="ranked"
        defaultValue={unit.ranked === null ? "default" : unit.ranked ? "yes" : "no"}
        options={[
          {
            value: "default",
            label: t(byDefault ? "organization.units.ranking.defaultYes" : "organization.units.ranking.defaultNo"),
          },
          { value: "yes", label: t("organization.units.ranking.yes") },
          { value: "no", label: t("organization.units.ranking.no") },
        ]}
        errors={errors}
      />
      <SelectField
        label={t("organization.units.ranking.peerGroup")}
        name="rankingPeerGroup"
        defaultValue={unit.rankingPeerGroup ?? ""}
        options={[
          { value: "", label: t("organization.units.ranking.byKind", { kind: t(`unitKinds.${unit.kind}`) }) },
          ...UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKinds.${k}`) })),
        ]}
        errors={errors}
      />
      <Field label={t("organization.units.ranking.reason")} name="reason" required errors={errors} />
      <p className="field-hint">{t("organization.units.ranking.hint")}</p>
      <button type="submit" className="secondary" disabled={busy}>
        {t("organization.units.ranking.save")}
      </button>
    </Form>
  );
}

/** How the unit's page states its setting: "参与（默认：直属单位）", "不参与（组织部设定）" … */
export function unitRankingText(
  unit: { ranked: boolean | null; rankingPeerGroup: UnitKind | null; parentId: number | null; kind: UnitKind },
  t: (key: string, params?: Record<string, unknown>) => string,
): string {
  const takesPart = takesPartInRanking(unit);
  const why =
    unit.ranked === null
      ? t(unit.parentId === null ? "organization.units.ranking.becauseTop" : "organization.units.ranking.becauseSub")
      : t("organization.units.ranking.becauseSet");
  const group =
    takesPart && unit.rankingPeerGroup && unit.rankingPeerGroup !== unit.kind
      ? t("organization.units.ranking.inGroup", { group: t(`unitKinds.${unit.rankingPeerGroup}`) })
      : "";
  return t("organization.units.ranking.state", {
    state: t(takesPart ? "organization.units.ranking.yes" : "organization.units.ranking.no"),
    why,
    group,
  });
}
