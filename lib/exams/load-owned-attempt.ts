import { NotFoundError } from "@/lib/errors";
import type { ExamDeps } from "./exam-deps";

/** An attempt of userId's, with its exam and tasks (each with its lab). Someone else's answers like a missing one. */
export async function loadOwnedAttempt(deps: Pick<ExamDeps, "labs">, attemptId: string, userId: string) {
  const a = await deps.labs.db.examAttempt.findUnique({
    where: { id: attemptId },
    include: { exam: true, tasks: { include: { labSession: true }, orderBy: { position: "asc" } } },
  });
  if (!a || a.userId !== userId) throw new NotFoundError("There is no such exam attempt.", { hint: "Open it from the exams page." });
  return a;
}
