import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { CheckResults } from "@/components/lab/check-results";
import { ScoreSparkline } from "@/components/exam/score-sparkline";
import { formatDuration } from "@/components/lab/format-duration";
import { MarkdownDoc } from "@/components/lab/markdown";
import { TerminalReplay } from "@/components/lab/terminal-replay";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { timeAgainstTarget } from "@/lib/exams/credit-focus";
import { getExamHistory, type ExamHistory } from "@/lib/exams/exam-history";
import { getExamResults, type ExamResults } from "@/lib/exams/exam-results";
import { services } from "@/lib/server/services";
import { pageUser } from "../../../_lib/page-user";

export const dynamic = "force-dynamic";

const END_TEXT: Record<string, string> = {
  submitted: "You submitted this exam.",
  "timed-out": "Time ran out; the server graded every task as it was.",
  cancelled: "This exam never started.",
};

export default async function ExamResultsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser(`/exams/${id}/results`);
  let r: ExamResults;
  let history: ExamHistory;
  try {
    r = await getExamResults(services().exams, id, user.id);
    history = await getExamHistory(services().exams, user.id, r.exam.slug);
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    if (err instanceof ConflictError) redirect(`/exams/${id}`);
    throw err;
  }
  const s = r.score;
  return (
    <div className="mx-auto max-w-5xl flex flex-col gap-6" data-testid="exam-results" data-state={r.state} data-passed={s.passed}>
      <header>
        <p className="text-sm text-slate-400">Exam results</p>
        <h1 className="text-2xl font-semibold">{r.exam.title}</h1>
        <p className="text-slate-300 mt-1">{END_TEXT[r.state] ?? r.state}</p>
        {r.failureMessage && <p className="text-sm text-slate-400">{r.failureMessage}</p>}
      </header>
      {r.state !== "cancelled" && (
        <>
          <dl className="grid grid-cols-2 sm:grid-cols-4 gap-3">
            <Stat label="Result" testId="exam-verdict" value={s.passed ? "Passed" : "Not passed"} />
            <Stat label="Weighted score" testId="exam-weighted" value={`${s.weighted.percent} % (mark ${s.passPercent} %)`} />
            <Stat label="Raw score" testId="exam-raw" value={`${s.raw.score} / ${s.raw.max} points`} />
            <Stat label="Tasks" testId="exam-task-count" value={String(r.tasks.length)} />
          </dl>
          <section aria-label="By domain" className="grid gap-4 sm:grid-cols-2 text-sm">
            <Breakdown title="By domain" rows={s.byDomain.map((d) => ({ key: d.domain, ...d }))} />
            <Breakdown title="By difficulty" rows={s.byDifficulty.map((d) => ({ key: d.difficulty, ...d }))} />
          </section>
          <section aria-label="Tasks" className="flex flex-col gap-4">
            <h2 className="font-semibold">Tasks</h2>
            {r.tasks.map((t) => (
              <article key={t.position} data-testid={`exam-result-task-${t.position + 1}`} className="rounded-lg border border-slate-800 p-4 flex flex-col gap-3">
                <header className="flex flex-wrap items-baseline gap-x-4">
                  <h3 className="font-medium">
                    Task {t.position + 1}: {t.title}
                  </h3>
                  <span className="text-sm text-slate-300" data-testid="exam-result-task-score">
                    {t.weighted} of {t.weight} % · {t.score} / {t.maxScore} points
                  </span>
                  <span className="text-xs text-slate-400">
                    {t.domain} · {t.difficulty} · {t.elapsedMs === null ? "never ready" : `${formatDuration(t.elapsedMs)} open`}
                  </span>
                  <TaskTime activeMs={t.activeMs} minutes={t.minutes} />
                  {t.labSessionId && (
                    <Link className="ml-auto text-sm text-amber-300 underline" href={`/labs/${t.labSessionId}/results`}>
                      Lab details
                    </Link>
                  )}
                </header>
                {t.finalCheck ? <CheckResults run={t.finalCheck} title="Final check" live={false} /> : <p className="text-sm text-slate-400">No check ran for this task.</p>}
                {t.solution !== null && (
                  <details data-testid="exam-result-solution" className="rounded-lg border border-slate-800 bg-slate-900 px-4 py-2 text-sm">
                    <summary className="cursor-pointer text-slate-300">Solution</summary>
                    <MarkdownDoc text={t.solution} label="Solution text" />
                  </details>
                )}
                {t.labSessionId && <TerminalReplay recordings={t.recordings} title="Terminal replay of this task" headingLevel={3} />}
              </article>
            ))}
          </section>
        </>
      )}
      <HistorySection history={history} current={r.id} passPercent={s.passPercent} />
      <nav className="flex gap-4 text-sm">
        <Link className="text-amber-300 underline" href="/exams">
          Back to the exams
        </Link>
      </nav>
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900 px-3 py-2">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="text-lg" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function Breakdown({ title, rows }: { title: string; rows: { key: string; score: number; max: number; percent: number }[] }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900 p-3">
      <h3 className="font-medium mb-2">{title}</h3>
      <table className="w-full">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td className="text-slate-300">{r.key}</td>
              <td className="text-right tabular-nums">
                {r.score} / {r.max} ({r.percent} %)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Time the task was open on the page against the pack's target minutes. */
function TaskTime({ activeMs, minutes }: { activeMs: number; minutes: number }) {
  const t = timeAgainstTarget(activeMs, minutes);
  return (
    <span data-testid="exam-result-task-time" data-active-ms={activeMs} data-over={t.over} className={`text-xs ${t.over ? "text-amber-300" : "text-slate-300"}`}>
      worked {formatDuration(activeMs)} of a {minutes} min target{t.percent !== null ? ` (${t.percent} %)` : ""}
    </span>
  );
}

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Every graded attempt of this blueprint, the trend of their scores, and the domains to study. */
function HistorySection({ history, current, passPercent }: { history: ExamHistory; current: string; passPercent: number }) {
  if (history.attempts.length === 0) return null;
  return (
    <section aria-label="Your attempts at this exam" data-testid="exam-history" className="flex flex-col gap-3 text-sm">
      <h2 className="font-semibold">Your attempts at this exam</h2>
      <div className="flex flex-wrap items-start gap-6">
        <table className="text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-normal">Ended</th>
              <th className="py-1 pr-4 font-normal">Mode</th>
              <th className="py-1 pr-4 font-normal">Score</th>
              <th className="py-1 font-normal">Result</th>
            </tr>
          </thead>
          <tbody>
            {history.attempts.map((a) => (
              <tr key={a.id} data-testid="exam-history-attempt" data-current={a.id === current} className="border-t border-slate-800">
                <td className="py-1 pr-4 tabular-nums">
                  {a.id === current ? <span>{when(a.endedAt)} (this one)</span> : <Link className="text-amber-300 underline" href={`/exams/${a.id}/results`}>{when(a.endedAt)}</Link>}
                </td>
                <td className="py-1 pr-4">{a.mode}</td>
                <td className="py-1 pr-4 tabular-nums">{a.percent} %</td>
                <td className={`py-1 ${a.passed ? "text-emerald-300" : "text-rose-300"}`}>{a.passed ? "passed" : "not passed"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="flex flex-col gap-1">
          <h3 className="text-xs uppercase text-slate-500">Trend</h3>
          <ScoreSparkline trend={history.trend} passPercent={passPercent} />
        </div>
        <div className="flex flex-col gap-1" data-testid="exam-weak-domains">
          <h3 className="text-xs uppercase text-slate-500">Weakest domains (recent attempts)</h3>
          {history.weakDomains.length === 0 ? (
            <p className="text-slate-400">None: every domain was fully earned.</p>
          ) : (
            <ul>
              {history.weakDomains.map((d) => (
                <li key={d.domain} data-testid={`exam-weak-${d.domain}`}>
                  {d.domain}: {d.percent} % earned
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
