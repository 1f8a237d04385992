import Link from "next/link";
import type { ScenarioStatus } from "@/lib/labs/catalogue-status";
import type { LessonCatalogueEntry } from "@/lib/lessons/registry";

const STATUS_STYLE: Record<ScenarioStatus["status"], string> = {
  new: "bg-slate-800 text-slate-300",
  attempted: "bg-sky-900/60 text-sky-300",
  solved: "bg-emerald-900/60 text-emerald-300",
};
const STATUS_LABEL: Record<ScenarioStatus["status"], string> = { new: "new", attempted: "started", solved: "done" };

/** A lesson in the catalogue: it opens the lesson page, where the lab is started beside the steps. */
export function LessonCard({ entry, status }: { entry: LessonCatalogueEntry; status?: ScenarioStatus }) {
  const s = status?.status ?? "new";
  return (
    <article data-testid={`lesson-${entry.slug}`} data-status={s} className="rounded-lg border border-slate-800 bg-slate-900 p-4 flex flex-col gap-2">
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-medium text-slate-100">{entry.title}</h3>
        <span className={`shrink-0 rounded px-2 py-0.5 text-xs ${STATUS_STYLE[s]}`}>{STATUS_LABEL[s]}</span>
      </div>
      <p className="text-sm text-slate-400 flex-1">{entry.summary}</p>
      <div className="flex flex-wrap gap-2 text-xs">
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">lesson</span>
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.steps} steps</span>
        <span className="rounded px-2 py-0.5 bg-slate-800 text-slate-300">{entry.minutes} min</span>
      </div>
      <Link
        href={`/lessons/${entry.slug}`}
        aria-label={`${status?.liveLabId ? "Resume" : "Open"} lesson: ${entry.title}`}
        className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400"
      >
        {status?.liveLabId ? "Resume lesson" : "Open lesson"}
      </Link>
    </article>
  );
}
