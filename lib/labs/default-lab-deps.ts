import { randomInt } from "node:crypto";
import { db } from "@/lib/db";
import { gradeLabSession } from "@/lib/grading/grade-lab-session";
import { createScenarioContext } from "@/lib/scenarios/create-scenario-context";
import { findScenario } from "@/lib/scenarios/registry";
import { closeLabTerminals } from "@/lib/terminal/terminal-service";
import type { LabDeps } from "./lab-deps";
import { labDriverNamed, labDriverSelection } from "./lab-drivers";

/** Idle limit before a lab expires (BREAKFIX_LAB_IDLE_MINUTES is read here, not in lib/config, to keep that file shared-small). */
export const DEFAULT_IDLE_MINUTES = 120;

function idleLimitMs(): number {
  const raw = Number(process.env.BREAKFIX_LAB_IDLE_MINUTES ?? DEFAULT_IDLE_MINUTES);
  return (Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_IDLE_MINUTES) * 60_000;
}

let cached: LabDeps | undefined;

/**
 * The real dependencies of lib/labs. Deliberately one per module graph, not per process: the
 * object holds no state (the registries it reaches are process singletons), and each graph must
 * call its own copies of lib/ so that errors keep their classes for toHttp.
 */
export function labDeps(): LabDeps {
  return (cached ??= {
    db: db(),
    driver: async () => (await labDriverSelection()).driver,
    driverNamed: labDriverNamed,
    findScenario,
    createContext: (cluster, opts) => createScenarioContext(cluster, opts),
    grade: (input) =>
      gradeLabSession({
        labSessionId: input.labSessionId,
        pack: input.pack,
        ctx: input.ctx,
        hintPenalty: input.hintPenalty,
        signal: input.signal,
      }),
    closeTerminals: async (id) => {
      await closeLabTerminals(id);
    },
    now: () => new Date(),
    pickVariant: (variants) => variants[randomInt(variants.length)]!,
    idleLimitMs: idleLimitMs(),
    provisionTimeoutMs: 10 * 60_000,
  });
}
