import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/errors";
import { RATING_REASONS } from "../rules";

/**
 * The public rating page's parts: plain HTML, no client script (root.tsx serves it as a bare document
 * with public-rating.css). Every control is a real link or form control with a visible label; the
 * choice is a button's text, never a colour alone.
 */

export function PublicFrame({ textSize, path, children }: { textSize: "normal" | "large"; path: string; children: ReactNode }) {
  const { t } = useTranslation();
  const other = textSize === "large" ? "normal" : "large";
  return (
    <div className={`rp rp-${textSize}`}>
      <header className="rp-bar">
        <span className="rp-brand">{t("ratings.public.brand")}</span>
        <nav className="rp-tools" aria-label={t("ratings.public.brand")}>
          <a href={`${path}?text=${other}`} data-testid="text-size">
            {t(other === "large" ? "ratings.public.largeText" : "ratings.public.normalText")}
          </a>
          <a href={`${path}?lng=${t("ratings.public.languageCode")}`} lang={t("ratings.public.languageCode")} data-testid="switch-language">
            {t("ratings.public.language")}
          </a>
        </nav>
      </header>
      <main className="rp-main">{children}</main>
    </div>
  );
}

function Place({ unitName, pointName }: { unitName: string; pointName: string }) {
  return (
    <div className="rp-place">
      <p className="rp-unit">{unitName}</p>
      {pointName ? <p className="rp-point">{pointName}</p> : null}
    </div>
  );
}

function FieldError({ id, errors }: { id: string; errors: FieldErrors[string] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p className="rp-error" id={id} role="alert">
      {errors.map((e) => (typeof e === "string" ? t(e) : t(e.key, e.params))).join(" ")}
    </p>
  );
}

/** Step one: two big buttons. 满意 is sent at once; 不满意 opens step two. */
export function ChoosePage({
  code,
  unitName,
  pointName,
  errors,
}: {
  code: string;
  unitName: string;
  pointName: string;
  errors?: FieldErrors;
}) {
  const { t } = useTranslation();
  const path = `/r/${encodeURIComponent(code)}`;
  return (
    <>
      <Place unitName={unitName} pointName={pointName} />
      <h1 className="rp-ask">{t("ratings.public.ask")}</h1>
      <FieldError id="choice-error" errors={errors?.choice ?? errors?.form} />
      <form method="post" action={path} className="rp-choices">
        <button type="submit" name="choice" value="satisfied" className="rp-big rp-yes" data-testid="rate-satisfied">
          <span aria-hidden="true" className="rp-glyph">
            ✓
          </span>
          {t("ratings.public.satisfied")}
        </button>
      </form>
      <a href={`${path}?step=details`} className="rp-big rp-no" data-testid="rate-unsatisfied">
        <span aria-hidden="true" className="rp-glyph">
          ✗
        </span>
        {t("ratings.public.unsatisfied")}
      </a>
      <p className="rp-note">{t("ratings.public.unsatisfiedHint")}</p>
      <footer className="rp-foot">
        <p>{t("ratings.public.howUsed")}</p>
        <p>{t("ratings.public.oncePerDay")}</p>
      </footer>
    </>
  );
}

export interface DetailsValues {
  reasons: string[];
  comment: string;
  phone: string;
}

/** Step two of 不满意: reasons, what happened, a phone for the follow-up call. */
export function DetailsPage({
  code,
  unitName,
  pointName,
  values,
  errors,
}: {
  code: string;
  unitName: string;
  pointName: string;
  values?: DetailsValues;
  errors?: FieldErrors;
}) {
  const { t } = useTranslation();
  const path = `/r/${encodeURIComponent(code)}`;
  const invalid = (field: string) => (errors?.[field]?.length ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  return (
    <>
      <Place unitName={unitName} pointName={pointName} />
      <h1 className="rp-ask">{t("ratings.public.detailsTitle")}</h1>
      <FieldError id="form-error" errors={errors?.form ?? errors?.choice} />
      <form method="post" action={path} className="rp-details" noValidate>
        <fieldset className="rp-reasons" aria-describedby={errors?.reasons?.length ? "reasons-error" : undefined}>
          <legend>{t("ratings.public.reasonsLegend")}</legend>
          {RATING_REASONS.map((reason) => (
            <label key={reason} className="rp-check">
              <input type="checkbox" name="reasons" value={reason} defaultChecked={values?.reasons.includes(reason)} />
              <span>{t(`ratings.reasons.${reason}`)}</span>
            </label>
          ))}
        </fieldset>
        <FieldError id="reasons-error" errors={errors?.reasons} />
        <label htmlFor="rp-comment" className="rp-label">
          {t("ratings.public.comment")}
        </label>
        <textarea id="rp-comment" name="comment" rows={4} maxLength={500} defaultValue={values?.comment} {...invalid("comment")} />
        <p className="rp-hint">{t("ratings.public.commentHint")}</p>
        <FieldError id="comment-error" errors={errors?.comment} />
        <label htmlFor="rp-phone" className="rp-label">
          {t("ratings.public.phone")}
        </label>
        <input
          id="rp-phone"
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={40}
          defaultValue={values?.phone}
          {...invalid("phone")}
        />
        <p className="rp-hint">{t("ratings.public.phoneHint")}</p>
        <FieldError id="phone-error" errors={errors?.phone} />
        <button type="submit" name="choice" value="unsatisfied" className="rp-big rp-no" data-testid="send-unsatisfied">
          {t("ratings.public.submit")}
        </button>
      </form>
      <p className="rp-back">
        <a href={path}>{t("ratings.public.back")}</a>
      </p>
    </>
  );
}

export function MessagePage({
  title,
  body,
  unitName,
  pointName,
}: {
  title: string;
  body: ReactNode;
  unitName?: string;
  pointName?: string;
}) {
  return (
    <>
      {unitName ? <Place unitName={unitName} pointName={pointName ?? ""} /> : null}
      <h1 className="rp-ask">{title}</h1>
      <div className="rp-message">{body}</div>
    </>
  );
}
