import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDuration } from "@/components/lab/format-duration";
import { formatShare } from "@/components/instructor/format-share";
import { NotInstructor } from "@/components/instructor/not-instructor";
import { SelfTestBadges } from "@/components/instructor/self-test-badges";
import { Stat } from "@/components/instructor/stat";
import { NotFoundError } from "@/lib/errors";
import { packReport } from "@/lib/instructor/pack-report";
import { SUSPECT_FAIL_SHARE, SUSPECT_MIN_ATTEMPTS } from "@/lib/instructor/pack-analytics";
import { services } from "@/lib/server/services";
import { instructorPageUser } from "../../_lib/instructor-page-user";

export const dynamic = "force-dynamic";

export default async function InstructorPackPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const viewer = await instructorPageUser();
  if (!viewer) return <NotInstructor />;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) notFound();
  const r = await packReport(services().instructor, slug, viewer).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const a = r.analytics;
  return (
    <div className="mx-auto max-w-6xl flex flex-col gap-6" data-testid="instructor-pack" data-slug={r.slug}>
      <header className="flex flex-wrap items-baseline gap-4">
        <div>
          <p className="text-sm text-slate-400">
            <Link className="underline" href="/instructor">
              Instructor
            </Link>{" "}
            / pack
          </p>
          <h1 className="text-2xl font-semibold">{r.title}</h1>
          <p className="font-mono text-xs text-slate-500">
            {r.slug} · variants: {r.variants.join(", ") || "—"}
            {!r.valid && <span className="text-rose-300"> · does not validate now</span>}
          </p>
        </div>
        <nav className="ml-auto flex gap-4 text-sm">
          <a className="text-amber-300 underline" href={`/api/instructor/export?table=attempts&pack=${r.slug}`} download>
            Attempts CSV
          </a>
          <a className="text-amber-300 underline" href={`/api/instructor/export?table=packs&pack=${r.slug}`} download>
            Summary CSV
          </a>
        </nav>
      </header>

      <dl className="grid grid-cols-2 md:grid-cols-3 lg:grid-cols-6 gap-3">
        <Stat label="Attempts" testId="stat-attempts" value={String(a.attempts)} note={`${a.ended} ended`} />
        <Stat label="Pass rate" testId="stat-pass-rate" value={formatShare(a.passRate)} note={`${a.passed} passed of ${a.ended} ended`} />
        <Stat label="Median time to pass" testId="stat-median" value={a.medianTimeToPassMs === null ? "—" : formatDuration(a.medianTimeToPassMs)} />
        <Stat
          label="Most failed check"
          testId="stat-most-failed"
          value={a.mostFailedCheck?.title ?? "—"}
          note={a.mostFailedCheck ? `failed in ${a.mostFailedCheck.failedAttempts} attempt(s)` : undefined}
        />
        <Stat label="Hints" testId="stat-hints" value={String(a.hintUses)} note={`${formatShare(a.hintShare)} of attempts`} />
        <Stat label="Resets" testId="stat-resets" value={String(a.resets)} note={`${formatShare(a.resetShare)} of attempts`} />
      </dl>

      <section aria-label="Self-tests" className="text-sm">
        <h2 className="mb-2 font-semibold">Last self-test per driver</h2>
        <SelfTestBadges tests={r.selfTests} />
      </section>

      <section aria-label="Checks">
        <h2 className="mb-1 font-semibold">Checks</h2>
        <p className="mb-2 text-xs text-slate-400">
          A check&apos;s verdict in an attempt is that of the attempt&apos;s last check run. <strong>Suspect</strong>: it fails in at least{" "}
          {Math.round(SUSPECT_FAIL_SHARE * 100)}% of the attempts that pass every other check, among at least {SUSPECT_MIN_ATTEMPTS}: the check may be
          wrong, not the learners.
        </p>
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-normal">Check</th>
              <th className="py-1 pr-3 font-normal text-right">Failed (attempts)</th>
              <th className="py-1 pr-3 font-normal text-right">Failed (check runs)</th>
              <th className="py-1 pr-3 font-normal text-right">Failed when the rest passed</th>
              <th className="py-1 font-normal">Flag</th>
            </tr>
          </thead>
          <tbody>
            {a.checks.map((c) => (
              <tr key={c.id} data-testid={`check-stat-${c.id}`} data-suspect={c.suspect} className="border-t border-slate-800">
                <td className="py-1.5 pr-3">
                  {c.title} <span className="font-mono text-xs text-slate-500">{c.id}</span>
                </td>
                <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="failed-attempts">
                  {c.failedAttempts}
                </td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{c.failedRuns}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">
                  {c.failedWhenOthersPassed} / {c.passedOthers}
                </td>
                <td className="py-1.5">{c.suspect && <span className="rounded bg-rose-900/60 px-1.5 py-0.5 text-rose-200">suspect check</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Attempts">
        <h2 className="mb-2 font-semibold">Attempts</h2>
        {r.attempts.length === 0 ? (
          <p className="text-sm text-slate-400">No learner has reached a ready lab of this pack yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-3 font-normal">Started</th>
                <th className="py-1 pr-3 font-normal">Learner</th>
                <th className="py-1 pr-3 font-normal">Variant</th>
                <th className="py-1 pr-3 font-normal">State</th>
                <th className="py-1 pr-3 font-normal text-right">Score</th>
                <th className="py-1 pr-3 font-normal text-right">Time</th>
                <th className="py-1 pr-3 font-normal text-right">Checks</th>
                <th className="py-1 pr-3 font-normal text-right">Hints</th>
                <th className="py-1 font-normal text-right">Resets</th>
              </tr>
            </thead>
            <tbody>
              {r.attempts.map((x) => (
                <tr key={x.id} data-testid={`attempt-${x.id}`} className="border-t border-slate-800">
                  <td className="py-1.5 pr-3">
                    <Link className="text-amber-300 underline" href={`/instructor/attempts/${x.id}`}>
                      {x.startedAt.toISOString().slice(0, 16).replace("T", " ")}
                    </Link>
                  </td>
                  <td className="py-1.5 pr-3">{x.user.name}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{x.variantId}</td>
                  <td className="py-1.5 pr-3">{x.state}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">
                    {x.score} / {x.maxScore}
                  </td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">
                    {x.readyAt && x.endedAt ? formatDuration(x.endedAt.getTime() - x.readyAt.getTime()) : "—"}
                  </td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{x.checkRuns.length}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{x.hintsUsed}</td>
                  <td className="py-1.5 text-right tabular-nums">{x.resetCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
