import Link from "next/link";
import { formatDuration } from "@/components/lab/format-duration";
import { services } from "@/lib/server/services";
import { getLabHistory } from "@/lib/labs/lab-history";
import { pageUser } from "../_lib/page-user";

export const dynamic = "force-dynamic";

const STATE_STYLE: Record<string, string> = {
  passed: "text-emerald-300",
  failed: "text-rose-300",
  abandoned: "text-slate-400",
  expired: "text-slate-500",
};

export default async function HistoryPage() {
  const user = await pageUser("/history");
  const { sessions, best } = await getLabHistory(services().labs, user.id);
  return (
    <div className="mx-auto max-w-5xl flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Your history</h1>
      {sessions.length === 0 ? (
        <p className="text-slate-400">
          No labs yet. <Link className="text-amber-300 underline" href="/">Pick a scenario</Link>.
        </p>
      ) : (
        <>
          <section aria-label="Best score per scenario">
            <h2 className="mb-2 font-semibold">Best per scenario</h2>
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 font-normal">Scenario</th>
                  <th className="py-1 font-normal">Best score</th>
                  <th className="py-1 font-normal">Attempts</th>
                  <th className="py-1 font-normal">Solved</th>
                </tr>
              </thead>
              <tbody>
                {best.map((b) => (
                  <tr key={b.scenarioId} data-testid={`best-${b.scenarioId}`} className="border-t border-slate-800">
                    <td className="py-1.5">{b.title}</td>
                    <td className="py-1.5 tabular-nums">{b.maxScore > 0 ? `${b.bestScore} / ${b.maxScore}` : "—"}</td>
                    <td className="py-1.5">{b.attempts}</td>
                    <td className="py-1.5">{b.solved ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-label="Lab sessions">
            <h2 className="mb-2 font-semibold">Lab sessions</h2>
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 font-normal">Started</th>
                  <th className="py-1 font-normal">Scenario</th>
                  <th className="py-1 font-normal">State</th>
                  <th className="py-1 font-normal">Score</th>
                  <th className="py-1 font-normal">Time</th>
                  <th className="py-1 font-normal" />
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id} data-testid={`session-${s.id}`} className="border-t border-slate-800">
                    <td className="py-1.5 text-slate-400">{new Date(s.startedAt).toISOString().slice(0, 16).replace("T", " ")} UTC</td>
                    <td className="py-1.5">{s.title}</td>
                    <td className={`py-1.5 ${STATE_STYLE[s.state] ?? "text-amber-300"}`}>{s.state}</td>
                    <td className="py-1.5 tabular-nums">{s.maxScore > 0 ? `${s.score} / ${s.maxScore}` : "—"}</td>
                    <td className="py-1.5 tabular-nums">{formatDuration(s.elapsedMs)}</td>
                    <td className="py-1.5 text-right">
                      <Link className="text-amber-300 underline" href={s.live ? `/labs/${s.id}` : `/labs/${s.id}/results`}>
                        {s.live ? "Open" : "Results"}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
