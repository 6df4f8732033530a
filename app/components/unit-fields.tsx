import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/errors";
import { UNIT_KINDS } from "~db/schema/enums";
import { Field, SelectField } from "./forms";

/** The fields a unit has on both the new-unit and the edit-unit form. */
export function UnitFields({
  errors,
  parents,
  values,
}: {
  errors?: FieldErrors | null;
  parents: { id: number; label: string }[];
  values?: { code: string; name: string; kind: string; parentId: number | null };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field
        label={t("organization.units.code")}
        name="code"
        defaultValue={values?.code}
        hint={t("organization.units.codeHint")}
        autoCapitalize="characters"
        maxLength={40}
        required
        errors={errors}
      />
      <Field label={t("organization.units.name")} name="name" defaultValue={values?.name} maxLength={100} required errors={errors} />
      <SelectField
        label={t("organization.units.kind")}
        name="kind"
        defaultValue={values?.kind ?? "department"}
        options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKinds.${k}`) }))}
        errors={errors}
      />
      <SelectField
        label={t("organization.units.parent")}
        name="parentId"
        defaultValue={values?.parentId == null ? "" : String(values.parentId)}
        options={[{ value: "", label: t("organization.units.noParent") }, ...parents.map((p) => ({ value: String(p.id), label: p.label }))]}
        errors={errors}
      />
    </>
  );
}
