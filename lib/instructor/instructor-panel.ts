import type { LabDeps } from "@/lib/labs/lab-deps";
import { loadOwnedSession } from "@/lib/labs/load-owned-session";
import { scenarioOf } from "@/lib/labs/scenario-of";

/** What the instructor panel of a lab shows: plain data, safe to send to the browser (to an instructor). */
export interface InstructorPanelView {
  variant: { id: string; title: string };
  variants: { id: string; title: string }[];
  checks: { id: string; title: string; points: number }[];
  /** solution.md: the cause and the fix, which a learner sees only after the lab. */
  solution: string;
}

/** The instructor panel of one's own lab (`/labs/<id>?instructor=1`, after requireInstructor). */
export async function instructorPanel(deps: LabDeps, labSessionId: string, userId: string): Promise<InstructorPanelView> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  const { scenario, pack, variant } = scenarioOf(deps, session);
  return {
    variant: { id: variant.id, title: variant.title },
    variants: pack.variants.map((v) => ({ id: v.id, title: v.title })),
    checks: pack.checks.map((c) => ({ id: c.id, title: c.title, points: c.points })),
    solution: scenario.solution,
  };
}
