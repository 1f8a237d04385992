import type { StepName, VariantSelfTest } from "./run-self-test";

/** A row of the self-test table: a variant that ran, or a pack that does not apply here. */
export type SelfTestRow = { kind: "ran"; result: VariantSelfTest } | { kind: "not-applicable"; slug: string; variant: string; reason: string };

const COLUMNS: StepName[] = ["setup", "inject", "fails", "anti", "reset", "solve", "passes"];

export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}

function cell(result: VariantSelfTest, step: StepName): string {
  const steps = result.steps.filter((s) => s.step === step);
  if (!steps.length) return "-";
  const ok = steps.every((s) => s.ok);
  const ms = steps.reduce((n, s) => n + s.ms, 0);
  const count = steps.length > 1 ? `×${steps.length} ` : "";
  return `${ok ? "✔" : "✘"} ${count}${formatDuration(ms)}`;
}

/**
 * The table `npm run scenario:test` prints: one row per variant, one column per step with its
 * time, then the failures' details and a count line.
 *
 * @example
 * console.log(formatSelfTestTable(rows));
 */
export function formatSelfTestTable(rows: SelfTestRow[]): string {
  const header = ["PACK", "VARIANT", ...COLUMNS.map((c) => c.toUpperCase()), "TIME", "RESULT"];
  const body = rows.map((r) =>
    r.kind === "ran"
      ? [r.result.slug, r.result.variant, ...COLUMNS.map((c) => cell(r.result, c)), formatDuration(r.result.ms), r.result.ok ? "PASS" : "FAIL"]
      : [r.slug, r.variant, ...COLUMNS.map(() => ""), "", "N/A"],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => [...row[i]!].length)));
  const line = (cells: string[]) => cells.map((c, i) => c + " ".repeat(widths[i]! - [...c].length)).join("  ").trimEnd();
  const out = [line(header), ...body.map(line)];
  const notes: string[] = [];
  for (const r of rows) {
    if (r.kind === "not-applicable") {
      notes.push(`${r.slug}/${r.variant}: not applicable here — ${r.reason}`);
      continue;
    }
    for (const s of r.result.steps.filter((x) => !x.ok))
      notes.push(`${r.result.slug}/${r.result.variant}: ${s.step}${s.label ? ` (${s.label})` : ""} failed — ${s.detail ?? "no detail"}`);
  }
  if (notes.length) out.push("", ...notes);
  const ran = rows.filter((r) => r.kind === "ran");
  const passed = ran.filter((r) => r.kind === "ran" && r.result.ok).length;
  const na = rows.length - ran.length;
  const bySlug = new Map<string, boolean>();
  for (const r of ran) if (r.kind === "ran") bySlug.set(r.result.slug, (bySlug.get(r.result.slug) ?? true) && r.result.ok);
  const packsOk = [...bySlug.values()].filter(Boolean).length;
  out.push(
    "",
    `${passed}/${ran.length} variant(s) passed; ${packsOk}/${bySlug.size} pack(s) passed every variant${na ? `; ${na} not applicable here` : ""}`,
  );
  return out.join("\n");
}
