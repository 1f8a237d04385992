import { ConflictError } from "@/lib/errors";
import type { ExamDeps } from "./exam-deps";
import { endExamAttempt } from "./end-exam-attempt";
import { loadOwnedAttempt } from "./load-owned-attempt";

/** The learner hands in: every task is graded now and the attempt ends as submitted. */
export async function submitExamAttempt(deps: ExamDeps, attemptId: string, userId: string): Promise<void> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  if (!(await endExamAttempt(deps, a.id, "submitted"))) {
    throw new ConflictError(a.state === "grading" ? "This exam is being graded." : "This exam has already ended.", {
      hint: "Its results page shows the score.",
    });
  }
}
