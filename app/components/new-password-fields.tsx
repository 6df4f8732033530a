import { useTranslation } from "react-i18next";
import { MIN_PASSWORD_LENGTH } from "~/modules/auth/constants";
import type { FieldErrors } from "~/utils/errors";
import { Field } from "./forms";

/** A new password and its confirmation, as every password form asks for them. */
export function NewPasswordFields({ errors }: { errors?: FieldErrors | null }) {
  const { t } = useTranslation();
  return (
    <>
      <Field
        label={t("auth.newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        hint={t("validation.passwordTooShort")}
        errors={errors}
      />
      <Field label={t("auth.confirmPassword")} name="confirmPassword" type="password" autoComplete="new-password" errors={errors} />
    </>
  );
}
