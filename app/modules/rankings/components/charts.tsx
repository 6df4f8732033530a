import { useTranslation } from "react-i18next";

export interface MovementRow {
  id: number;
  name: string;
  previousRank: number | null;
  rank: number | null;
  /** Made a commitment at the previous quarter's meeting. */
  committed?: boolean;
}

const ROW = 18;
const TOP = 34;

/**
 * Movement between two quarters, drawn on the server as SVG: the previous ranks on the left, this
 * quarter's on the right, a line per unit — green when it moved up, red when it moved down, grey
 * when it held. Units that made a commitment at the last meeting are drawn thicker. The table beside
 * it holds the same figures for screen readers and print.
 */
export function MovementChart({
  rows,
  previousLabel,
  currentLabel,
  label,
}: {
  rows: MovementRow[];
  previousLabel: string;
  currentLabel: string;
  label: string;
}) {
  const { t } = useTranslation();
  const ranked = rows.filter((r) => r.rank !== null || r.previousRank !== null);
  const n = Math.max(1, ...ranked.map((r) => Math.max(r.rank ?? 0, r.previousRank ?? 0)));
  const W = 560;
  const H = TOP + n * ROW + 8;
  const x1 = 190;
  const x2 = W - 190;
  const y = (rank: number) => TOP + (rank - 0.5) * ROW;
  const byPrevious = [...ranked].filter((r) => r.previousRank !== null).sort((a, b) => a.previousRank! - b.previousRank!);
  const byCurrent = [...ranked].filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const tone = (r: MovementRow) =>
    r.rank === null || r.previousRank === null
      ? "rk-new"
      : r.rank < r.previousRank
        ? "rk-up"
        : r.rank > r.previousRank
          ? "rk-down"
          : "rk-same";
  const short = (name: string) => (name.length > 11 ? `${name.slice(0, 10)}…` : name);
  return (
    <figure className="rk-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMin meet">
        <title>{label}</title>
        <text className="chart-axis" x={x1} y={16} textAnchor="end">
          {previousLabel}
        </text>
        <text className="chart-axis" x={x2} y={16} textAnchor="start">
          {currentLabel}
        </text>
        {ranked.map((r) =>
          r.rank !== null && r.previousRank !== null ? (
            <line
              key={`l${r.id}`}
              className={`rk-line ${tone(r)}${r.committed ? " rk-committed" : ""}`}
              x1={x1 + 6}
              x2={x2 - 6}
              y1={y(r.previousRank)}
              y2={y(r.rank)}
            >
              <title>{`${r.name}: ${r.previousRank} → ${r.rank}`}</title>
            </line>
          ) : null,
        )}
        {byPrevious.map((r) => (
          <g key={`p${r.id}`}>
            <circle className={`rk-dot ${tone(r)}`} cx={x1 + 6} cy={y(r.previousRank!)} r={3} />
            <text className="chart-label" x={x1} y={y(r.previousRank!) + 4} textAnchor="end">
              {`${short(r.name)} ${r.previousRank}`}
            </text>
          </g>
        ))}
        {byCurrent.map((r) => (
          <g key={`c${r.id}`}>
            <circle className={`rk-dot ${tone(r)}`} cx={x2 - 6} cy={y(r.rank!)} r={3} />
            <text className="chart-label" x={x2} y={y(r.rank!) + 4} textAnchor="start">
              {`${r.rank} ${short(r.name)}${r.previousRank === null ? ` (${t("rankings.chart.new")})` : ""}`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted small">{t("rankings.chart.movementLegend")}</figcaption>
    </figure>
  );
}

export interface HistoryPointView {
  quarter: string;
  rank: number | null;
  groupSize: number;
}

/** A subject's rank across published quarters (1 at the top), as SVG; missing quarters leave a gap. */
export function HistoryChart({ points, label }: { points: HistoryPointView[]; label: string }) {
  const W = 560;
  const H = 200;
  const left = 40;
  const right = 16;
  const top = 16;
  const bottom = 30;
  const max = Math.max(1, ...points.map((p) => p.groupSize));
  const slot = (W - left - right) / Math.max(1, points.length);
  const x = (i: number) => left + slot * i + slot / 2;
  const y = (rank: number) => top + ((rank - 1) / Math.max(1, max - 1)) * (H - top - bottom);
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.rank === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? " L" : "M"}${x(i).toFixed(1)},${y(p.rank).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const ticks = [...new Set([1, Math.ceil(max / 2), max])];
  return (
    <figure className="rk-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        <title>{label}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line className="chart-grid" x1={left} x2={W - right} y1={y(tick)} y2={y(tick)} />
            <text className="chart-axis" x={left - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {segments.map((d, i) => (
          <path key={i} className="rk-history" d={d} />
        ))}
        {points.map((p, i) => (
          <g key={p.quarter}>
            {p.rank !== null ? (
              <>
                <circle className="rk-dot rk-same" cx={x(i)} cy={y(p.rank)} r={4} />
                <text className="chart-value" x={x(i)} y={y(p.rank) - 8} textAnchor="middle">
                  {`${p.rank}/${p.groupSize}`}
                </text>
              </>
            ) : null}
            <text className="chart-axis" x={x(i)} y={H - 10} textAnchor="middle">
              {p.quarter}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
