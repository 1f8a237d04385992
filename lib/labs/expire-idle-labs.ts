import { logger } from "@/lib/logger";
import type { LabDeps } from "./lab-deps";
import { isLabState, LIVE_STATES } from "./lab-states";
import { teardownLab } from "./teardown-lab";
import { transitionLab } from "./transition-lab";

/** Expires labs untouched for deps.idleLimitMs and destroys their clusters; returns their ids. */
export async function expireIdleLabs(deps: LabDeps): Promise<string[]> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.idleLimitMs);
  const idle = await deps.db.labSession.findMany({
    // An exam's task may sit untouched for the whole exam; its attempt's timer ends it (lib/exams).
    where: { state: { in: [...LIVE_STATES] }, lastActivityAt: { lt: cutoff }, examAttemptId: null },
  });
  const expired: string[] = [];
  for (const s of idle) {
    if (!isLabState(s.state)) continue;
    const expiredNow = await transitionLab(deps, s.id, {
      from: s.state,
      to: "expired",
      idleBefore: cutoff,
      set: {
        endedAt: now,
        failure: { message: `Expired after ${Math.round(deps.idleLimitMs / 60_000)} minutes without activity; its cluster was removed.`, hint: null },
      },
    });
    if (!expiredNow) continue;
    logger.info({ labSessionId: s.id, lastActivityAt: s.lastActivityAt }, "lab expired");
    await teardownLab(deps, s, "expired");
    expired.push(s.id);
  }
  return expired;
}
