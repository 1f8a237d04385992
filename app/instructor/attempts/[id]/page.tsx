import Link from "next/link";
import { notFound } from "next/navigation";
import { NotInstructor } from "@/components/instructor/not-instructor";
import { Stat } from "@/components/instructor/stat";
import { CheckResults } from "@/components/lab/check-results";
import { formatDuration } from "@/components/lab/format-duration";
import { TerminalReplay } from "@/components/lab/terminal-replay";
import { NotFoundError } from "@/lib/errors";
import { attemptReport } from "@/lib/instructor/attempt-report";
import { services } from "@/lib/server/services";
import { instructorPageUser } from "../../_lib/instructor-page-user";

export const dynamic = "force-dynamic";

export default async function InstructorAttemptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await instructorPageUser();
  if (!viewer) return <NotInstructor />;
  if (!/^[a-z0-9]{8,40}$/.test(id)) notFound();
  const r = await attemptReport(services().instructor, id, viewer).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const elapsed = r.readyAt && r.endedAt ? new Date(r.endedAt).getTime() - new Date(r.readyAt).getTime() : null;
  return (
    <div className="mx-auto max-w-5xl flex flex-col gap-6" data-testid="instructor-attempt" data-state={r.state}>
      <header>
        <p className="text-sm text-slate-400">
          <Link className="underline" href="/instructor">
            Instructor
          </Link>{" "}
          /{" "}
          <Link className="underline" href={`/instructor/packs/${r.pack.slug}`}>
            {r.pack.title}
          </Link>{" "}
          / attempt
        </p>
        <h1 className="text-2xl font-semibold">
          {r.learner.name} — {r.pack.title}
        </h1>
        <p className="text-sm text-slate-400">
          variant <span className="font-mono">{r.variant.id}</span>
          {r.variant.title ? ` (${r.variant.title})` : ""} · {r.driver} · started {r.startedAt.slice(0, 16).replace("T", " ")} UTC
          {r.examAttemptId ? " · exam task" : ""}
        </p>
        {r.failureMessage && <p className="text-sm text-slate-400">{r.failureMessage}</p>}
      </header>
      <dl className="grid grid-cols-2 sm:grid-cols-5 gap-3">
        <Stat label="State" testId="attempt-state" value={r.state} />
        <Stat label="Score" testId="attempt-score" value={`${r.score} / ${r.maxScore}`} />
        <Stat label="Time" testId="attempt-time" value={elapsed === null ? "—" : formatDuration(elapsed)} />
        <Stat label="Hints" testId="attempt-hints" value={String(r.hintsUsed.length)} />
        <Stat label="Resets" testId="attempt-resets" value={String(r.resetCount)} />
      </dl>
      <section aria-label="Check runs" className="flex flex-col gap-3">
        <h2 className="font-semibold">Check runs ({r.checkRuns.length})</h2>
        {r.checkRuns.length === 0 && <p className="text-sm text-slate-400">No check was run.</p>}
        {r.checkRuns.map((run, i) => (
          <div key={run.id} data-testid={`check-run-${i + 1}`}>
            <CheckResults run={run} title={`Check ${i + 1} · ${run.createdAt.slice(11, 19)} UTC · ${(run.durationMs / 1000).toFixed(1)} s`} live={false} />
          </div>
        ))}
      </section>
      <section aria-label="Hints used" className="text-sm">
        <h2 className="mb-2 font-semibold">Hints used</h2>
        {r.hintsUsed.length === 0 ? (
          <p className="text-slate-400">None.</p>
        ) : (
          <ul className="space-y-1 text-slate-300">
            {r.hintsUsed.map((h) => (
              <li key={h.index}>
                Hint {h.index + 1} (−{h.cost}) at {h.at.slice(11, 19)} UTC: {h.text ?? "(no longer in the pack)"}
              </li>
            ))}
          </ul>
        )}
      </section>
      <TerminalReplay recordings={r.recordings} base="/api/instructor/recordings" />
    </div>
  );
}
