import type { CatalogueEntry } from "@/lib/scenarios/registry";

const DIFFICULTY_STYLE: Record<string, string> = {
  easy: "bg-emerald-900/60 text-emerald-300",
  medium: "bg-amber-900/60 text-amber-300",
  hard: "bg-rose-900/60 text-rose-300",
};

export function ScenarioCard({ entry }: { entry: CatalogueEntry }) {
  return (
    <article
      data-testid={`scenario-${entry.slug}`}
      className="rounded-lg border border-slate-800 bg-slate-900 p-4 flex flex-col gap-2"
    >
      <h3 className="font-medium text-slate-100">{entry.title}</h3>
      <p className="text-sm text-slate-400 flex-1">{entry.summary}</p>
      <div className="flex flex-wrap gap-2 text-xs">
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.domain}</span>
        <span className={`rounded px-2 py-0.5 ${DIFFICULTY_STYLE[entry.difficulty] ?? "bg-slate-800"}`}>
          {entry.difficulty}
        </span>
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.minutes} min</span>
      </div>
    </article>
  );
}
