import Link from "next/link";
import { notFound } from "next/navigation";
import { AssignmentForm } from "@/components/classes/assignment-form";
import { ClassPostButton } from "@/components/classes/class-post-button";
import { LiveBoard } from "@/components/classes/live-board";
import { ResultCell } from "@/components/classes/result-cell";
import { classResults } from "@/lib/classes/class-results";
import { loadClassForInstructor } from "@/lib/classes/load-class-for-instructor";
import { getConfig } from "@/lib/config";
import { NotFoundError } from "@/lib/errors";
import { services } from "@/lib/server/services";
import { pageUser } from "../../_lib/page-user";
import { classTitles } from "../titles";

export const dynamic = "force-dynamic";

export default async function ClassPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser();
  const db = services().labs.db;
  const c = await loadClassForInstructor(db, user, id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const results = await classResults(db, c.id);
  const titles = classTitles();
  const joinUrl = `${getConfig().origin}/classes/join/${c.joinCode}`;
  const api = `/api/classes/${c.id}`;
  return (
    <div className="mx-auto max-w-6xl flex flex-col gap-8">
      <div className="flex flex-col gap-1">
        <Link href="/classes" className="text-sm text-slate-400 hover:text-slate-200">
          ← Classes
        </Link>
        <h1 className="text-2xl font-semibold">{c.name}</h1>
        {c.archivedAt ? <p className="text-sm text-amber-300">Archived: the join link is closed and learners no longer see this class.</p> : null}
      </div>

      <section aria-label="Join link" className="flex flex-col gap-2">
        <h2 className="font-semibold">Join link</h2>
        <p className="text-sm text-slate-400">Learners who open it while signed in join the class.</p>
        <div className="flex flex-wrap items-center gap-2">
          <input readOnly value={joinUrl} aria-label="Join link" data-testid="join-link" className="w-full max-w-xl rounded border border-slate-700 bg-slate-900 px-2 py-1 font-mono text-sm" />
          <ClassPostButton path={api} body={{ op: "renew-join-code" }} label="New link" confirmText="The current link will stop working. Members stay in the class." />
          <ClassPostButton path={api} body={{ op: c.archivedAt ? "unarchive" : "archive" }} label={c.archivedAt ? "Unarchive" : "Archive"} />
        </div>
      </section>

      <section aria-label="Assignments" className="flex flex-col gap-3">
        <h2 className="font-semibold">Assignments</h2>
        <AssignmentForm classId={c.id} packs={titles.packs} exams={titles.exams} />
        {results.assignments.length === 0 ? (
          <p className="text-sm text-slate-400">Nothing assigned yet.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {results.assignments.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2">
                <span>
                  {a.kind === "exam" ? "Exam: " : ""}
                  {titles.bySlug[a.target] ?? a.target}
                </span>
                <span className="text-slate-400">
                  · {a.dueAt ? `due ${a.dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC` : "no due date"} · {a.maxAttempts === null ? "unlimited attempts" : `${a.maxAttempts} attempt${a.maxAttempts === 1 ? "" : "s"}`} · {a.scoring} attempt counts
                </span>
                <ClassPostButton path={api} body={{ op: "remove-assignment", assignmentId: a.id }} label="Remove" danger confirmText="Remove this assignment? Learners' attempts stay in their history." />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-label="Results" className="flex flex-col gap-2">
        <h2 className="font-semibold">
          Results{" "}
          <a className="ml-2 text-sm font-normal text-amber-300 underline" href={`${api}/results`} download>
            CSV
          </a>
        </h2>
        {results.rows.length === 0 ? (
          <p className="text-sm text-slate-400">No learners yet: share the join link.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" aria-label="Results grid">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-normal">Learner</th>
                  {results.assignments.map((a) => (
                    <th key={a.id} className="py-1 pr-4 font-normal">
                      {titles.bySlug[a.target] ?? a.target}
                    </th>
                  ))}
                  <th className="py-1 font-normal" />
                </tr>
              </thead>
              <tbody>
                {results.rows.map((r) => (
                  <tr key={r.userId} data-testid={`results-${r.name}`} className="border-t border-slate-800 align-top">
                    <td className="py-1.5 pr-4">
                      {r.name}
                      {r.email ? <span className="block text-xs text-slate-500">{r.email}</span> : null}
                    </td>
                    {r.cells.map((cell, i) => (
                      <td key={results.assignments[i]!.id} className="py-1.5 pr-4">
                        <ResultCell
                          cell={cell}
                          href={results.assignments[i]!.kind === "pack" && cell.resultAttemptId ? `/instructor/attempts/${cell.resultAttemptId}` : undefined}
                        />
                      </td>
                    ))}
                    <td className="py-1.5">
                      <ClassPostButton path={api} body={{ op: "remove-member", userId: r.userId }} label="Remove" danger confirmText={`Remove ${r.name} from the class?`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-label="Live board" className="flex flex-col gap-2">
        <h2 className="font-semibold">Live board</h2>
        <LiveBoard classId={c.id} titles={titles.bySlug} />
      </section>
    </div>
  );
}
