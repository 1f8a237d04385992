/**
 * The Prometheus text exposition format (version 0.0.4), as client_golang writes it: one
 * `# HELP` and `# TYPE` per family, label values escaped, histograms as cumulative `_bucket`
 * lines with `le`, then `_sum` and `_count`. Families and series are sorted like its registry.
 */

export type Labels = Record<string, string>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface HistogramSample {
  labels: Labels;
  /** Cumulative counts per upper bound, in the order of the family's buckets. */
  counts: number[];
  sum: number;
  count: number;
}

export type MetricFamily =
  | { name: string; help: string; type: "counter" | "gauge"; samples: Sample[] }
  | { name: string; help: string; type: "histogram"; buckets: number[]; samples: HistogramSample[] };

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which client_golang writes values with (1.7e+09, 0.005, 42). */
export function formatValue(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Number.isNaN(v)) return "NaN";
  if (v === 0) return "0";
  // toExponential() gives the shortest digits that round-trip, as Go's shortest formatting does.
  const [mant, expText] = v.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(v);
}

/** Labels sorted by name; a histogram's `le` comes last, as client_golang writes it. */
function labelText(labels: Labels, le?: string): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`);
  if (le !== undefined) parts.push(`le="${le}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

const seriesKey = (l: Labels) => labelText(l);

export function writeExposition(families: MetricFamily[]): string {
  const out: string[] = [];
  for (const f of [...families].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!f.samples.length) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type === "histogram") {
      for (const s of [...f.samples].sort((a, b) => seriesKey(a.labels).localeCompare(seriesKey(b.labels)))) {
        f.buckets.forEach((le, i) => out.push(`${f.name}_bucket${labelText(s.labels, formatValue(le))} ${formatValue(s.counts[i] ?? 0)}`));
        out.push(`${f.name}_bucket${labelText(s.labels, "+Inf")} ${formatValue(s.count)}`);
        out.push(`${f.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}`);
        out.push(`${f.name}_count${labelText(s.labels)} ${formatValue(s.count)}`);
      }
    } else {
      for (const s of [...f.samples].sort((a, b) => seriesKey(a.labels).localeCompare(seriesKey(b.labels)))) {
        out.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
      }
    }
  }
  return out.join("\n") + "\n";
}
