import type { ScenarioStatus } from "@/lib/labs/catalogue-status";
import type { CatalogueEntry } from "@/lib/packs/registry";
import { StartLabButton } from "./start-lab-button";

const DIFFICULTY_STYLE: Record<string, string> = {
  easy: "bg-emerald-900/60 text-emerald-300",
  medium: "bg-amber-900/60 text-amber-300",
  hard: "bg-rose-900/60 text-rose-300",
};

const STATUS_STYLE: Record<ScenarioStatus["status"], string> = {
  new: "bg-slate-800 text-slate-300",
  attempted: "bg-sky-900/60 text-sky-300",
  solved: "bg-emerald-900/60 text-emerald-300",
};

export function ScenarioCard({ entry, status, variant }: { entry: CatalogueEntry; status?: ScenarioStatus; variant?: string }) {
  const s = status ?? { status: "new" as const, bestScore: null, maxScore: null, liveLabId: null };
  return (
    <article
      data-testid={`scenario-${entry.slug}`}
      data-status={s.status}
      className="rounded-lg border border-slate-800 bg-slate-900 p-4 flex flex-col gap-2"
    >
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-medium text-slate-100">{entry.title}</h3>
        <span data-testid="scenario-status" className={`shrink-0 rounded px-2 py-0.5 text-xs ${STATUS_STYLE[s.status]}`}>
          {s.status}
        </span>
      </div>
      <p className="text-sm text-slate-400 flex-1">{entry.summary}</p>
      <div className="flex flex-wrap gap-2 text-xs">
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.domain}</span>
        <span className={`rounded px-2 py-0.5 ${DIFFICULTY_STYLE[entry.difficulty] ?? "bg-slate-800"}`}>{entry.difficulty}</span>
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.minutes} min</span>
        {s.bestScore !== null && (
          <span data-testid="scenario-best" className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">
            best {s.bestScore}/{s.maxScore}
          </span>
        )}
      </div>
      <StartLabButton slug={entry.slug} title={entry.title} liveLabId={s.liveLabId} variant={variant} />
    </article>
  );
}
