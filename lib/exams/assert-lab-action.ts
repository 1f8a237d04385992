import { ConflictError, ForbiddenError } from "@/lib/errors";
import { isLiveAttempt } from "./attempt-states";
import type { ExamDeps } from "./exam-deps";

/** What a learner may ask of a lab through the lab routes; an exam's task has the exam's rules. */
export type LabAction = "check" | "hint" | "reset" | "give-up" | "finish" | "results";

/**
 * Refuses a lab action an exam does not allow on its task: while the attempt runs, a task ends
 * only with the exam (no finish or give-up of its own) and its solution stays closed; in exam
 * mode there are no checks (the grade comes at the end, as in a real exam), hints or reset, except
 * preparing again a task whose cluster could not be prepared. A lab outside any exam (or not the learner's) is not affected.
 */
export async function assertLabAction(deps: Pick<ExamDeps, "labs">, labSessionId: string, userId: string, action: LabAction): Promise<void> {
  const lab = await deps.labs.db.labSession.findUnique({
    where: { id: labSessionId },
    select: { userId: true, state: true, readyAt: true, examAttempt: { select: { id: true, mode: true, state: true } } },
  });
  // Someone else's lab is left to the lab's own "no such lab", which says nothing about exams.
  const attempt = lab?.userId === userId ? lab.examAttempt : null;
  if (!attempt || !isLiveAttempt(attempt.state)) return;
  // Preparing again a cluster that never became ready is not the learner's reset: nothing was worked on yet.
  if (action === "reset" && lab?.state === "failed" && lab.readyAt === null) return;
  if (action === "results") throw new ConflictError("This task's results open when the exam ends.", { hint: `Go back to the exam: /exams/${attempt.id}` });
  if (action === "finish" || action === "give-up") throw new ConflictError("A task of an exam ends with the exam.", { hint: "Submit the exam to end every task." });
  if (attempt.mode === "exam") {
    const what = { check: "Checks are", hint: "Hints are", reset: "Reset is" }[action];
    throw new ForbiddenError(`${what} not available in exam mode.`, {
      hint: action === "check" ? "Every task is graded when you submit or the time runs out." : "Practice and timed modes allow them.",
    });
  }
}

/** The live attempt a lab of userId's is a task of, if any (the lab page sends the learner there instead). */
export async function liveAttemptOfLab(deps: Pick<ExamDeps, "labs">, labSessionId: string, userId: string): Promise<string | null> {
  const lab = await deps.labs.db.labSession.findUnique({
    where: { id: labSessionId },
    select: { userId: true, examAttempt: { select: { id: true, state: true } } },
  });
  const attempt = lab?.userId === userId ? lab.examAttempt : null;
  return attempt && isLiveAttempt(attempt.state) ? attempt.id : null;
}
