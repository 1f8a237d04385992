import { ConflictError } from "@/lib/errors";
import { isLessonId } from "@/lib/lessons/define-lesson";
import { getLessonProgress } from "@/lib/lessons/get-lesson-progress";
import type { LabSession } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { checkLab } from "./check-lab";
import type { GradeOutcome, LabDeps } from "./lab-deps";
import { isLive } from "./lab-states";
import { loadOwnedSession } from "./load-owned-session";
import { teardownLab } from "./teardown-lab";
import { transitionLab } from "./transition-lab";

/**
 * Give up: the lab ends as `abandoned` (the results page then shows the solution) and the
 * cluster is destroyed. The score stays what the last check gave.
 */
export async function giveUpLab(deps: LabDeps, labSessionId: string, userId: string): Promise<void> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  if (!isLive(session.state)) throw new ConflictError("This lab has already ended.");
  const now = deps.now();
  const ended = await transitionLab(deps, session.id, { from: ["provisioning", "ready"], to: "abandoned", set: { endedAt: now, lastActivityAt: now } });
  if (!ended) throw new ConflictError("A check is running; give up when it has finished.");
  await teardownLab(deps, session, "gave up");
}

/**
 * Finish: grades the cluster one last time, ends the lab as `passed` (every check passed) or
 * `failed`, and destroys the cluster. When the final check cannot run at all, the last
 * recorded score stands.
 */
export async function finishLab(deps: LabDeps, labSessionId: string, userId: string): Promise<{ state: "passed" | "failed"; outcome?: GradeOutcome }> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  if (session.state !== "ready") {
    throw new ConflictError(
      session.state === "checking"
        ? "A check is running; finish when it has completed."
        : session.state === "provisioning"
          ? "The lab is still being prepared."
          : "This lab has already ended.",
    );
  }
  if (isLessonId(session.scenarioId)) return finishLesson(deps, session, userId);
  let outcome: GradeOutcome | undefined;
  try {
    outcome = await checkLab(deps, session.id, userId);
  } catch (err) {
    logger.warn({ err, labSessionId }, "final check could not run; keeping the last score");
  }
  const last = outcome ?? (await lastAllPassed(deps, session.id));
  const state = last?.allPassed ? "passed" : "failed";
  const now = deps.now();
  const ended = await transitionLab(deps, session.id, { from: "ready", to: state, set: { endedAt: now, lastActivityAt: now } });
  if (!ended) throw new ConflictError("The lab changed while finishing; open its results from your history.");
  await teardownLab(deps, session, "finished");
  return { state, outcome };
}

async function lastAllPassed(deps: Pick<LabDeps, "db">, labSessionId: string): Promise<{ allPassed: boolean } | null> {
  return deps.db.checkRun.findFirst({ where: { labSessionId }, orderBy: { createdAt: "desc" }, select: { allPassed: true } });
}

/**
 * A lesson ends `passed` when every step was done, in order, at some point: its steps undo each
 * other's state (a pod created, then deleted), so the cluster as it is now cannot say. The last
 * progress is recorded first, so a step done just before Finish counts.
 */
async function finishLesson(deps: LabDeps, session: LabSession, userId: string): Promise<{ state: "passed" | "failed" }> {
  const labSessionId = session.id;
  let complete = false;
  try {
    complete = (await getLessonProgress(deps, labSessionId, userId)).complete;
  } catch (err) {
    logger.warn({ err, labSessionId }, "lesson progress could not be read at finish; using the recorded one");
    complete = (await lastAllPassed(deps, labSessionId))?.allPassed ?? false;
  }
  const state = complete ? "passed" : "failed";
  const now = deps.now();
  const ended = await transitionLab(deps, labSessionId, { from: "ready", to: state, set: { endedAt: now, lastActivityAt: now } });
  if (!ended) throw new ConflictError("The lab changed while finishing; open its results from your history.");
  await teardownLab(deps, session, "finished");
  return { state };
}
