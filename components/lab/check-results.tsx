import type { CheckRunView } from "@/lib/labs/lab-view";

/** Per-check pass or fail with points, the learner-safe message, and actual vs expected. */
export function CheckResults({ run, title = "Last check", live = true }: { run: CheckRunView; title?: string; live?: boolean }) {
  const earned = run.results.filter((r) => r.ok).reduce((n, r) => n + r.points, 0);
  return (
    <section aria-label="Check results" data-testid="check-results" className="rounded-lg border border-slate-800 bg-slate-900 p-4">
      <div className="flex items-baseline justify-between gap-3">
        <h3 className="font-medium">{title}</h3>
        <p className="text-sm" data-testid="check-score">
          <span className={run.allPassed ? "text-emerald-300" : "text-amber-300"}>
            Score {run.score} / {run.maxScore}
          </span>
          {run.hintPenalty > 0 && (
            <span className="text-slate-400">
              {" "}
              ({earned} points − {run.hintPenalty} for hints)
            </span>
          )}
        </p>
      </div>
      {run.allPassed && <p className="mt-1 text-sm text-emerald-300">All checks pass.{live ? " Press Finish to record your result." : ""}</p>}
      <table className="mt-3 w-full text-sm">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-normal">Check</th>
            <th className="py-1 pr-2 font-normal">Result</th>
            <th className="py-1 font-normal text-right">Points</th>
          </tr>
        </thead>
        <tbody>
          {run.results.map((r) => (
            <tr key={r.id} data-testid={`check-${r.id}`} data-ok={r.ok} className="border-t border-slate-800 align-top">
              <td className="py-2 pr-2">
                <div className="text-slate-200">{r.title}</div>
                <div className="text-slate-400 mt-0.5">{r.message}</div>
                {r.detail && !r.ok && (
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 font-mono text-xs">
                    <dt className="text-slate-500">actual</dt>
                    <dd className="text-rose-300 break-all">{r.detail.actual}</dd>
                    <dt className="text-slate-500">expected</dt>
                    <dd className="text-emerald-300 break-all">{r.detail.expected}</dd>
                  </dl>
                )}
              </td>
              <td className="py-2 pr-2 whitespace-nowrap">
                {r.ok ? <span className="text-emerald-400">✓ pass</span> : <span className="text-rose-400">✕ fail</span>}
              </td>
              <td className="py-2 text-right tabular-nums whitespace-nowrap">
                {r.ok ? r.points : 0} / {r.points}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
