import { logger } from "@/lib/logger";
import type { LabDeps } from "./lab-deps";
import { LIVE_STATES } from "./lab-states";
import { teardownLab } from "./teardown-lab";

/** Expires labs untouched for deps.idleLimitMs and destroys their clusters; returns their ids. */
export async function expireIdleLabs(deps: LabDeps): Promise<string[]> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.idleLimitMs);
  const idle = await deps.db.labSession.findMany({
    where: { state: { in: [...LIVE_STATES] }, lastActivityAt: { lt: cutoff } },
  });
  const expired: string[] = [];
  for (const s of idle) {
    const r = await deps.db.labSession.updateMany({
      where: { id: s.id, state: s.state, lastActivityAt: { lt: cutoff } },
      data: {
        state: "expired",
        endedAt: now,
        stateDetail: `Expired after ${Math.round(deps.idleLimitMs / 60_000)} minutes without activity; its cluster was removed.`,
      },
    });
    if (r.count === 0) continue;
    logger.info({ labSessionId: s.id, lastActivityAt: s.lastActivityAt }, "lab expired");
    await teardownLab(deps, s, "expired");
    expired.push(s.id);
  }
  return expired;
}
