/**
 * SVG polyline points for scores in percent (0-100), left to right in the given box, with `pad`
 * pixels kept free at the edges so a dot at 0 or 100 is not clipped. One score sits in the middle.
 */
export function sparklinePoints(percents: readonly number[], width: number, height: number, pad = 2): { x: number; y: number }[] {
  const n = percents.length;
  const step = n > 1 ? (width - 2 * pad) / (n - 1) : 0;
  return percents.map((p, i) => ({
    x: round(n > 1 ? pad + i * step : width / 2),
    y: round(pad + (1 - Math.min(100, Math.max(0, p)) / 100) * (height - 2 * pad)),
  }));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
