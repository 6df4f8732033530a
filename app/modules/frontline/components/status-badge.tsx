import { useTranslation } from "react-i18next";
import type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";

const TONE: Record<FrontlineStatus, string> = { draft: "", submitted: "warn", verified: "ok", returned: "danger" };

export function StatusBadge({ status }: { status: FrontlineStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${TONE[status]}`}>{t(`frontline.statuses.${status}`)}</span>;
}

export function CategoryBadge({ category }: { category: FrontlineCategory }) {
  const { t } = useTranslation();
  return <span className={`badge frontline-cat frontline-cat-${category}`}>{t(`frontline.categories.${category}`)}</span>;
}

/** "3月2日–8日 · 7天", the way a cadre reads a stretch of days. */
export function DateSpan({ start, end, days }: { start: string; end: string; days: number }) {
  const { t } = useTranslation();
  return (
    <span className="frontline-dates">
      {start === end ? start : `${start} – ${end}`} <span className="muted">· {t("frontline.daysCount", { count: days })}</span>
    </span>
  );
}
