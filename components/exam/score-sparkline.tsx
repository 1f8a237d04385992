import { sparklinePoints } from "./sparkline-points";

const W = 160;
const H = 40;

/** Weighted percent over attempts, oldest left, with the pass mark as a dashed line. */
export function ScoreSparkline({ trend, passPercent }: { trend: { percent: number; passed: boolean }[]; passPercent: number }) {
  const percents = trend.map((t) => t.percent);
  const pts = sparklinePoints(percents, W, H, 3);
  const markY = sparklinePoints([passPercent], W, H, 3)[0]!.y;
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Scores over attempts: ${percents.map((p) => `${p} %`).join(", ")}`}
      data-testid="exam-trend"
      data-points={percents.length}
      className="rounded bg-slate-950"
    >
      <line x1={0} x2={W} y1={markY} y2={markY} stroke="#64748b" strokeDasharray="3 3" strokeWidth={1} />
      {pts.length > 1 && <polyline points={pts.map((p) => `${p.x},${p.y}`).join(" ")} fill="none" stroke="#fbbf24" strokeWidth={1.5} />}
      {pts.map((p, i) => (
        <circle key={i} cx={p.x} cy={p.y} r={2.5} fill={trend[i]!.passed ? "#6ee7b7" : "#fda4af"} />
      ))}
    </svg>
  );
}
