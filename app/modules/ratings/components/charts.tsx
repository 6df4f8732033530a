import { useTranslation } from "react-i18next";
import { formatRate } from "~/modules/attendance/format";

export interface SharePeriod {
  period: string;
  counted: number;
  satisfied: number;
  share: number | null;
}

const W = 560;
const H = 230;
const PAD = { left: 44, right: 8, top: 28, bottom: 30 };

/**
 * Satisfied share per period, drawn on the server as SVG (no script): a bar per period from 0 to 100 %,
 * its value above it, a period without ratings left empty. The table below it holds the same figures
 * for screen readers and print.
 */
export function ShareChart({ periods, label }: { periods: SharePeriod[]; label: string }) {
  const { t } = useTranslation();
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, periods.length);
  const barW = Math.min(36, slot * 0.6);
  const y = (share: number) => PAD.top + plotH - share * plotH;
  return (
    <figure className="frontline-chart rt-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        <title>{label}</title>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="chart-axis" x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {`${v * 100}%`}
            </text>
          </g>
        ))}
        {periods.map((p, i) => {
          const cx = PAD.left + i * slot + slot / 2;
          return (
            <g key={p.period}>
              {p.share !== null ? (
                <>
                  <rect className="rt-bar" x={cx - barW / 2} y={y(p.share)} width={barW} height={Math.max(0, y(0) - y(p.share))} rx={2}>
                    <title>
                      {t("ratings.overview.chartLabel", {
                        period: p.period,
                        share: formatRate(p.share),
                        satisfied: p.satisfied,
                        counted: p.counted,
                      })}
                    </title>
                  </rect>
                  <text className="chart-value" x={cx} y={y(p.share) - 5} textAnchor="middle">
                    {Math.round(p.share * 100)}
                  </text>
                </>
              ) : null}
              <text className="chart-axis" x={cx} y={H - 8} textAnchor="middle">
                {p.period.length === 7 ? p.period.slice(5) : p.period.slice(4)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
