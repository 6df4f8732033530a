import { Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * Previous / next links for a paged list, keeping the page's other filters in the URL. `summary`
 * replaces the plain "page N" label (a total, "page N of M").
 */
export function Pager({ page, hasNext, summary }: { page: number; hasNext: boolean; summary?: ReactNode }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const pageLink = (to: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(to));
    return `?${next}`;
  };
  return (
    <nav className="pager" aria-label={t("common.page", { page })}>
      {page > 1 ? <Link to={pageLink(page - 1)}>← {t("actions.previous")}</Link> : <span />}
      <span className="muted small">{summary ?? t("common.page", { page })}</span>
      {hasNext ? <Link to={pageLink(page + 1)}>{t("actions.next")} →</Link> : <span />}
    </nav>
  );
}
