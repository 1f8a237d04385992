import { ConflictError } from "@/lib/errors";
import type { ExamDeps } from "./exam-deps";
import { loadOwnedAttempt } from "./load-owned-attempt";

/**
 * Saves the learner's notepad of a running attempt. It lives on the server (not in the browser),
 * so the end of the attempt can wipe it whether a browser is open or not (wipeExamNotes). The
 * write is conditional on the attempt being live, so a save that races the end cannot bring the
 * notes back after the wipe.
 */
export async function saveExamNotes(deps: ExamDeps, attemptId: string, userId: string, text: string): Promise<void> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  const r = await deps.labs.db.examAttempt.updateMany({
    // Not while grading: the end has already wiped the notepad.
    where: { id: a.id, state: { in: ["provisioning", "running"] } },
    data: { notes: text },
  });
  if (r.count === 0) throw new ConflictError("This exam has ended; its notepad was cleared.");
}

/** The data an attempt's end writes: the notepad does not outlive the attempt (submitted, timed out or cancelled). */
export const WIPED_NOTES = { notes: "" } as const;
