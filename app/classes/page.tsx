import Link from "next/link";
import { CreateClassForm } from "@/components/classes/create-class-form";
import { ResultCell } from "@/components/classes/result-cell";
import { StartLabButton } from "@/components/catalogue/start-lab-button";
import { canTeach } from "@/lib/classes/class-actor";
import { learnerClasses } from "@/lib/classes/learner-classes";
import { taughtClasses } from "@/lib/classes/taught-classes";
import { services } from "@/lib/server/services";
import { pageUser } from "../_lib/page-user";
import { classTitles } from "./titles";

export const dynamic = "force-dynamic";

export default async function ClassesPage() {
  const user = await pageUser();
  const db = services().labs.db;
  const [mine, taught] = await Promise.all([learnerClasses(db, user.id), taughtClasses(db, user)]);
  const { bySlug } = classTitles();
  return (
    <div className="mx-auto max-w-5xl flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Classes</h1>
      {canTeach(user.role) ? (
        <section aria-label="Classes you teach" className="flex flex-col gap-3">
          <h2 className="font-semibold">Classes you teach</h2>
          <CreateClassForm />
          {taught.length === 0 ? (
            <p className="text-sm text-slate-400">No classes yet. Create one, then share its join link with your learners.</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm">
              {taught.map((c) => (
                <li key={c.id}>
                  <Link className="text-amber-300 underline" href={`/classes/${c.id}`}>
                    {c.name}
                  </Link>{" "}
                  <span className="text-slate-400">
                    · {c.members} learner{c.members === 1 ? "" : "s"} · {c.assignments} assignment{c.assignments === 1 ? "" : "s"}
                    {c.archivedAt ? " · archived" : ""}
                    {user.role === "admin" && c.ownerName !== user.name ? ` · taught by ${c.ownerName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <section aria-label="Your classes" className="flex flex-col gap-4">
        <h2 className="font-semibold">Your classes</h2>
        {mine.length === 0 ? (
          <p className="text-sm text-slate-400">You are in no class. Your instructor gives you a join link.</p>
        ) : (
          mine.map((c) => (
            <div key={c.id} className="flex flex-col gap-2" data-testid={`my-class-${c.name}`}>
              <h3 className="text-lg">{c.name}</h3>
              {c.assignments.length === 0 ? (
                <p className="text-sm text-slate-400">Nothing assigned yet.</p>
              ) : (
                <table className="w-full text-sm">
                  <thead className="text-left text-xs uppercase text-slate-500">
                    <tr>
                      <th className="py-1 font-normal">Assignment</th>
                      <th className="py-1 font-normal">Due</th>
                      <th className="py-1 font-normal">Your result</th>
                      <th className="py-1 font-normal" />
                    </tr>
                  </thead>
                  <tbody>
                    {c.assignments.map((a) => (
                      <tr key={a.id} className="border-t border-slate-800 align-top">
                        <td className="py-1.5">
                          {a.kind === "exam" ? "Exam: " : ""}
                          {bySlug[a.target] ?? a.target}
                        </td>
                        <td className="py-1.5 text-slate-400">{a.dueAt ? a.dueAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "no due date"}</td>
                        <td className="py-1.5">
                          <ResultCell cell={a.result} />
                        </td>
                        <td className="py-1.5">
                          {a.result.exhausted && (!a.dueAt || a.dueAt.getTime() > Date.now()) ? (
                            <span className="text-xs text-slate-500">no attempts left</span>
                          ) : a.kind === "pack" ? (
                            <StartLabButton slug={a.target} title={bySlug[a.target] ?? a.target} liveLabId={null} />
                          ) : (
                            <Link className="text-amber-300 underline" href="/exams">
                              Open exams
                            </Link>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ))
        )}
      </section>
    </div>
  );
}
