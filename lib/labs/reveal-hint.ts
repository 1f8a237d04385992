import { ConflictError, InputError } from "@/lib/errors";
import type { LabDeps } from "./lab-deps";
import { isLive } from "./lab-states";
import { loadOwnedSession } from "./load-owned-session";
import { scenarioOf } from "./scenario-of";

export interface RevealedHint {
  index: number;
  text: string;
  cost: number;
}

/** Reveals hint `index`; its cost is charged once, however often it is revealed again. */
export async function revealHint(deps: LabDeps, labSessionId: string, userId: string, index: number): Promise<RevealedHint> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  if (!isLive(session.state)) throw new ConflictError("This lab has ended; its solution is on the results page.");
  const { pack } = scenarioOf(deps, session);
  const hint = pack.hints[index];
  if (!Number.isInteger(index) || !hint) throw new InputError(`This scenario has no hint number ${index + 1}.`);
  await deps.db.hintUse.upsert({
    where: { labSessionId_hintIndex: { labSessionId: session.id, hintIndex: index } },
    create: { labSessionId: session.id, hintIndex: index, cost: hint.cost },
    update: {},
  });
  await deps.db.labSession.update({ where: { id: session.id }, data: { lastActivityAt: deps.now() } });
  return { index, text: hint.text, cost: hint.cost };
}
