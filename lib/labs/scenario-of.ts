import { NotFoundError } from "@/lib/errors";
import type { ScenarioPack, Variant } from "@/lib/scenarios/define-scenario";
import type { LoadedScenario } from "@/lib/scenarios/load-scenarios";
import type { LabDeps } from "./lab-deps";

/** The pack and variant a session was started with; a pack removed since is reported plainly. */
export function scenarioOf(
  deps: Pick<LabDeps, "findScenario">,
  session: { scenarioId: string; variantId: string },
): { scenario: LoadedScenario; pack: ScenarioPack; variant: Variant } {
  const scenario = deps.findScenario(session.scenarioId);
  if (!scenario) {
    throw new NotFoundError(`The scenario "${session.scenarioId}" of this lab is no longer installed.`, {
      hint: "Ask your instructor, or pick another scenario.",
    });
  }
  const variant = scenario.pack.variants.find((v) => v.id === session.variantId);
  if (!variant) throw new NotFoundError(`The scenario "${session.scenarioId}" no longer has this lab's variant.`);
  return { scenario, pack: scenario.pack, variant };
}
