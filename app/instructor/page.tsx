import Link from "next/link";
import { formatShare } from "@/components/instructor/format-share";
import { NotInstructor } from "@/components/instructor/not-instructor";
import { SelfTestBadges } from "@/components/instructor/self-test-badges";
import { instructorOverview } from "@/lib/instructor/instructor-overview";
import { services } from "@/lib/server/services";
import { instructorPageUser } from "./_lib/instructor-page-user";

export const dynamic = "force-dynamic";

export default async function InstructorPage() {
  const viewer = await instructorPageUser();
  if (!viewer) return <NotInstructor />;
  const { packs, blueprints } = await instructorOverview(services().instructor, viewer);
  return (
    <div className="mx-auto max-w-6xl flex flex-col gap-8" data-testid="instructor-overview">
      <header className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Instructor</h1>
        <nav className="ml-auto flex gap-4 text-sm">
          <Link className="text-amber-300 underline" href="/classes">
            Classes
          </Link>
          <a className="text-amber-300 underline" href="/api/instructor/export?table=packs" download>
            Packs CSV
          </a>
          <a className="text-amber-300 underline" href="/api/instructor/export?table=attempts" download>
            Attempts CSV
          </a>
        </nav>
      </header>
      <section aria-label="Scenario packs">
        <h2 className="mb-2 font-semibold">Scenario packs</h2>
        <p className="mb-3 text-sm text-slate-400">
          Self-tests are recorded by <code>npm run scenario:test -- all --record</code>; an attempt is a lab that reached ready.
        </p>
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-normal">Pack</th>
              <th className="py-1 pr-3 font-normal">Validation</th>
              <th className="py-1 pr-3 font-normal">Last self-test</th>
              <th className="py-1 pr-3 font-normal text-right">Attempts</th>
              <th className="py-1 font-normal text-right">Pass rate</th>
            </tr>
          </thead>
          <tbody>
            {packs.map((p) => (
              <tr key={p.slug} data-testid={`pack-${p.slug}`} data-valid={p.valid} className="border-t border-slate-800 align-top">
                <td className="py-2 pr-3">
                  <Link className="text-amber-300 underline" href={`/instructor/packs/${p.slug}`}>
                    {p.title ?? p.slug}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{p.slug}</div>
                </td>
                <td className="py-2 pr-3">
                  {p.valid ? (
                    <span className="text-emerald-300">✓ valid</span>
                  ) : (
                    <>
                      <span className="text-rose-300">✕ invalid</span>
                      <ul className="mt-1 text-xs text-rose-300/80 font-mono">
                        {p.problems.map((m) => (
                          <li key={m}>{m}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </td>
                <td className="py-2 pr-3">
                  <SelfTestBadges tests={p.selfTests} />
                </td>
                <td className="py-2 pr-3 text-right tabular-nums" data-testid="attempts">
                  {p.attempts}
                </td>
                <td className="py-2 text-right tabular-nums" data-testid="pass-rate">
                  {formatShare(p.passRate)}
                  {p.ended > 0 && (
                    <span className="text-slate-500">
                      {" "}
                      ({p.passed}/{p.ended})
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Exam blueprints">
        <h2 className="mb-2 font-semibold">Exam blueprints</h2>
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-normal">Blueprint</th>
              <th className="py-1 pr-3 font-normal">Validation</th>
              <th className="py-1 pr-3 font-normal text-right">Tasks</th>
              <th className="py-1 font-normal text-right">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {blueprints.map((b) => (
              <tr key={b.slug} data-testid={`blueprint-${b.slug}`} data-valid={b.valid} className="border-t border-slate-800 align-top">
                <td className="py-2 pr-3">
                  {b.title ?? b.slug}
                  <div className="font-mono text-xs text-slate-500">exams/{b.slug}.ts</div>
                </td>
                <td className="py-2 pr-3">
                  {b.valid ? (
                    <span className="text-emerald-300">✓ valid</span>
                  ) : (
                    <>
                      <span className="text-rose-300">✕ invalid</span>
                      <ul className="mt-1 text-xs text-rose-300/80 font-mono">
                        {b.problems.map((m) => (
                          <li key={m}>{m}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </td>
                <td className="py-2 pr-3 text-right tabular-nums">{b.tasks ?? "—"}</td>
                <td className="py-2 text-right tabular-nums">{b.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
