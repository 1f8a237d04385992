import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { CheckResults } from "@/components/lab/check-results";
import { formatDuration } from "@/components/lab/format-duration";
import { MarkdownDoc } from "@/components/lab/markdown";
import { TerminalReplay } from "@/components/lab/terminal-replay";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { getLabResults, type LabResults } from "@/lib/labs/lab-results";
import { pageUser } from "../../../_lib/page-user";

export const dynamic = "force-dynamic";

const STATE_TEXT: Record<string, string> = {
  passed: "Passed: every check passes.",
  failed: "Finished with checks still failing.",
  abandoned: "You gave up on this lab.",
  expired: "This lab expired.",
};

export default async function ResultsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser(`/labs/${id}/results`);
  let r: LabResults;
  try {
    await assertLabAction(services().exams, id, user.id, "results");
    r = await getLabResults(services().labs, id, user.id);
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    if (err instanceof ConflictError) redirect(`/labs/${id}`);
    throw err;
  }
  return (
    <div className="mx-auto max-w-5xl flex flex-col gap-6" data-testid="lab-results" data-state={r.state}>
      <header>
        <p className="text-sm text-slate-400">Results</p>
        <h1 className="text-2xl font-semibold">{r.scenario.title}</h1>
        <p className="text-slate-300 mt-1">{STATE_TEXT[r.state] ?? r.state}</p>
        {r.failure && r.state !== "passed" && (
          <p className="text-sm text-slate-400">
            {r.failure.message}
            {r.failure.hint ? ` ${r.failure.hint}` : ""}
          </p>
        )}
      </header>
      <dl className="grid grid-cols-2 sm:grid-cols-4 gap-3">
        <Stat label="Score" testId="result-score" value={`${r.score} / ${r.maxScore}`} />
        <Stat label="Time" testId="result-time" value={`${formatDuration(r.elapsedMs)} (of ${r.scenario.minutes} min)`} />
        <Stat label="Hints used" testId="result-hints" value={`${r.hintsUsed.length}${r.hintPenalty ? ` (−${r.hintPenalty})` : ""}`} />
        <Stat label="Checks run" testId="result-checks" value={String(r.checks.length)} />
      </dl>
      {r.finalCheck ? <CheckResults run={r.finalCheck} title="Final check" live={false} /> : <p className="text-slate-400">No check was run.</p>}
      {r.hintsUsed.length > 0 && (
        <section aria-label="Hints used" className="text-sm">
          <h2 className="font-semibold mb-2">Hints used</h2>
          <ul className="space-y-1 text-slate-300">
            {r.hintsUsed.map((h) => (
              <li key={h.index}>
                Hint {h.index + 1} (−{h.cost}): {h.text}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label="Solution" className="rounded-lg border border-slate-800 bg-slate-900 p-4">
        <MarkdownDoc text={r.solution} label="Solution text" />
      </section>
      <TerminalReplay recordings={r.recordings} />
      <nav className="flex gap-4 text-sm">
        <Link className="text-amber-300 underline" href="/">Back to the catalogue</Link>
        <Link className="text-amber-300 underline" href="/history">Your history</Link>
      </nav>
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900 px-3 py-2">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="text-lg" data-testid={testId}>{value}</dd>
    </div>
  );
}
