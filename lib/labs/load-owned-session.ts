import { NotFoundError } from "@/lib/errors";
import type { LabSession } from "@/lib/generated/prisma/client";
import type { LabDeps } from "./lab-deps";

/**
 * A lab session that belongs to userId. Someone else's lab answers exactly like a missing one,
 * so ids cannot be probed.
 */
export async function loadOwnedSession(deps: Pick<LabDeps, "db">, labSessionId: string, userId: string): Promise<LabSession> {
  const s = await deps.db.labSession.findUnique({ where: { id: labSessionId } });
  if (!s || s.userId !== userId) throw new NotFoundError("There is no such lab.", { hint: "Open it from your history or the catalogue." });
  return s;
}
