import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/errors";
import { Field } from "./forms";

/** What the security policy asks of a new password, as the form's hint says it. */
export interface PasswordRules {
  minLength: number;
  minClasses: number;
  rejectCommon: boolean;
  rejectPersonal: boolean;
  history: number;
}

/** A new password and its confirmation, as every password form asks for them, with the policy beside it. */
export function NewPasswordFields({ errors, rules }: { errors?: FieldErrors | null; rules: PasswordRules }) {
  const { t, i18n } = useTranslation();
  const hint = [
    t("auth.policy.hintLength", { min: rules.minLength, classes: rules.minClasses }),
    rules.rejectCommon ? t("auth.policy.hintCommon") : null,
    rules.rejectPersonal ? t("auth.policy.hintPersonal") : null,
    rules.history ? t("auth.policy.hintHistory", { count: rules.history }) : null,
  ]
    .filter(Boolean)
    .join(i18n.language === "en" ? " " : "");
  return (
    <>
      <Field
        label={t("auth.newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={rules.minLength}
        hint={hint}
        errors={errors}
      />
      <Field label={t("auth.confirmPassword")} name="confirmPassword" type="password" autoComplete="new-password" errors={errors} />
    </>
  );
}
