import { useTranslation } from "react-i18next";
import { FRONTLINE_CATEGORIES, type FrontlineCategory } from "~db/schema/frontline";

export interface ChartMonth {
  month: string;
  days: number;
  /** Days the quota asks for this month; 0 where there is no quota. */
  required: number;
  /** Text above the bar when the month fell short ("缺 3 天"), or null. */
  shortLabel: string | null;
  ongoing: boolean;
}

// A narrow drawing scales up well on a desktop and keeps its labels legible on a phone.
const W = 560;
const H = 250;
const PAD = { right: 8, top: 44, bottom: 28 };

/** A round upper bound for the axis: 5, 10, 20, 50, 100, … */
function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/**
 * Frontline days by month against the quota, drawn on the server as SVG: bars for the days, a dashed
 * step for what the quota asks, and a red note over each month that fell short. The month under way is
 * drawn lighter. A table with the same figures sits beside every chart for screen readers and print.
 */
export function QuotaChart({ months, label }: { months: ChartMonth[]; label: string }) {
  const { t } = useTranslation();
  const top = niceMax(Math.max(1, ...months.map((m) => Math.max(m.days, m.required))) * 1.1);
  // Room for the longest axis label ("2000") and no more.
  const left = 16 + String(top).length * 9;
  const plotW = W - left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, months.length);
  const barW = Math.min(36, slot * 0.6);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const step =
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000].find((s) => top % s === 0 && top / s <= 5) ?? top / 4;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => Math.round(i * step));
  const hasQuota = months.some((m) => m.required > 0);
  const quotaPath = months
    .map((m, i) => {
      const x0 = left + i * slot;
      return `${i === 0 ? "M" : "L"}${x0.toFixed(1)},${y(m.required).toFixed(1)} L${(x0 + slot).toFixed(1)},${y(m.required).toFixed(1)}`;
    })
    .join(" ");
  return (
    <figure className="frontline-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        <title>{label}</title>
        {ticks.map((v) => (
          <g key={v}>
            <line className="chart-grid" x1={left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="chart-axis" x={left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {months.map((m, i) => {
          const cx = left + i * slot + slot / 2;
          return (
            <g key={m.month}>
              <rect
                className={`chart-bar${m.ongoing ? " ongoing" : ""}${m.shortLabel ? " short" : ""}`}
                x={cx - barW / 2}
                y={y(m.days)}
                width={barW}
                height={Math.max(0, y(0) - y(m.days))}
                rx={2}
              >
                <title>{`${m.month}: ${t("frontline.daysCount", { count: m.days })}`}</title>
              </rect>
              <text className="chart-value" x={cx} y={y(m.days) - 4} textAnchor="middle">
                {m.days}
              </text>
              {/* Neighbouring notes alternate between two lines so that they never run into each other. */}
              {m.shortLabel ? (
                <text className="chart-short" x={cx} y={PAD.top - 10 - (i % 2) * 16} textAnchor="middle">
                  {m.shortLabel}
                </text>
              ) : null}
              <text className="chart-axis" x={cx} y={H - 10} textAnchor="middle">
                {m.month.slice(2).replace("-", "/")}
              </text>
            </g>
          );
        })}
        {hasQuota ? <path className="chart-quota" d={quotaPath} /> : null}
      </svg>
      <figcaption className="chart-legend small muted">
        <span className="legend-bar" /> {t("frontline.chart.days")}
        {hasQuota ? (
          <>
            <span className="legend-quota" /> {t("frontline.chart.required")}
          </>
        ) : (
          <span> · {t("frontline.chart.noQuota")}</span>
        )}
        <span className="legend-ongoing" /> {t("frontline.chart.ongoing")}
        {months.some((m) => m.shortLabel) ? <span className="chart-short-legend">{t("frontline.chart.shortLegend")}</span> : null}
      </figcaption>
    </figure>
  );
}

/** Days by category as horizontal bars; each category's days are counted once however records overlap. */
export function CategoryBars({ values }: { values: Partial<Record<FrontlineCategory, number>> }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...FRONTLINE_CATEGORIES.map((c) => values[c] ?? 0));
  return (
    <dl className="frontline-bars">
      {FRONTLINE_CATEGORIES.map((c) => {
        const v = values[c] ?? 0;
        return (
          <div key={c} className="frontline-bar-row">
            <dt>{t(`frontline.categories.${c}`)}</dt>
            <dd>
              <span className={`frontline-bar frontline-cat-${c}`} style={{ width: `${(v / max) * 100}%` }} />
              <span className="frontline-bar-value">{v}</span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** Progress towards the eligibility threshold. */
export function EligibilityMeter({ days, minDays, eligible }: { days: number; minDays: number; eligible: boolean }) {
  const { t } = useTranslation();
  const share = Math.min(1, days / Math.max(1, minDays));
  return (
    <div className="frontline-meter" data-testid="frontline-eligibility">
      <div className="frontline-meter-figure">
        <strong>{days}</strong> <span className="muted">/ {t("frontline.daysCount", { count: minDays })}</span>{" "}
        <span className={`badge ${eligible ? "ok" : "warn"}`}>
          {t(eligible ? "frontline.eligibility.met" : "frontline.eligibility.notMet")}
        </span>
      </div>
      <div className="frontline-meter-track" role="progressbar" aria-valuemin={0} aria-valuemax={minDays} aria-valuenow={days}>
        <span style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}
