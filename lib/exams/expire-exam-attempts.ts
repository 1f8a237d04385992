import type { ExamDeps } from "./exam-deps";
import { endExamAttempt } from "./end-exam-attempt";

/** Ends and grades every running attempt whose deadline has passed (by deps' clock); returns their ids. */
export async function expireExamAttempts(deps: ExamDeps): Promise<string[]> {
  const due = await deps.labs.db.examAttempt.findMany({
    where: { state: "running", deadline: { lte: deps.labs.now() } },
    select: { id: true },
  });
  const ended: string[] = [];
  for (const a of due) if (await endExamAttempt(deps, a.id, "timed-out")) ended.push(a.id);
  return ended;
}
