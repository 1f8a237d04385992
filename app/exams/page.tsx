import Link from "next/link";
import { StartExamButton } from "@/components/exam/start-exam-button";
import { examCatalogue } from "@/lib/exams/exam-catalogue";
import { getExams } from "@/lib/exams/exam-registry";
import { pageUser } from "../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function ExamsPage() {
  await pageUser("/exams"); // shared mode: signed-in learners only
  const exams = examCatalogue();
  const { problems } = getExams();
  return (
    <div className="mx-auto max-w-4xl flex flex-col gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Exams</h1>
        <p className="text-slate-400 mt-1">
          Several broken clusters, one timer kept by the server, a weighted score and a pass mark. Each task runs on a cluster of its own.
        </p>
      </section>
      {exams.length === 0 ? (
        <p className="text-slate-400">No exam blueprints are loaded.</p>
      ) : (
        <ul aria-label="Exams" className="flex flex-col gap-4">
          {exams.map((e) => (
            <li key={e.slug} data-testid={`exam-${e.slug}`} className="rounded-lg border border-slate-800 bg-slate-900 p-4 flex flex-col gap-3">
              <div>
                <h2 className="text-lg font-semibold">{e.title}</h2>
                <p className="text-sm text-slate-300">{e.summary}</p>
                <p className="text-xs text-slate-400 mt-1">
                  {e.tasks} tasks · {e.minutes} min · pass mark {e.passPercent} %
                </p>
              </div>
              <StartExamButton slug={e.slug} title={e.title} modes={e.modes} />
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <p className="text-xs text-slate-500">
          {new Set(problems.map((p) => p.slug)).size} blueprint(s) could not be loaded; <code>npm run scenario:validate</code> says why.
        </p>
      )}
      <Link className="text-sm text-amber-300 underline" href="/">
        Or practise single scenarios
      </Link>
    </div>
  );
}
