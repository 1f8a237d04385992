import { ConflictError, InputError } from "@/lib/errors";
import { isLiveAttempt } from "./attempt-states";
import type { ExamDeps } from "./exam-deps";
import { loadOwnedAttempt } from "./load-owned-attempt";

/** Flags a task to come back to (or clears the flag); persisted, so a reload or another browser keeps it. */
export async function flagExamTask(deps: ExamDeps, attemptId: string, userId: string, position: number, flagged: boolean): Promise<void> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  if (!isLiveAttempt(a.state)) throw new ConflictError("This exam has ended.");
  const r = await deps.labs.db.examTask.updateMany({ where: { attemptId: a.id, position }, data: { flagged } });
  if (r.count === 0) throw new InputError(`This exam has no task number ${position + 1}.`);
}
