import { randomInt } from "node:crypto";
import { gradeLabSession } from "@/lib/grading/grade-lab-session";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createScenarioContext } from "@/lib/scenarios/create-scenario-context";
import { findLessonAsScenario } from "@/lib/lessons/registry";
import { findScenario } from "@/lib/packs/registry";
import type { LabDeps } from "./lab-deps";
import type { LabDrivers } from "./lab-drivers";

/** Idle limit before a lab expires (BREAKFIX_LAB_IDLE_MINUTES is read here, not in lib/config, to keep that file shared-small). */
export const DEFAULT_IDLE_MINUTES = 120;

function idleLimitMs(): number {
  const raw = Number(process.env.BREAKFIX_LAB_IDLE_MINUTES ?? DEFAULT_IDLE_MINUTES);
  return (Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_IDLE_MINUTES) * 60_000;
}

/**
 * The real dependencies of lib/labs, given what labs do not build themselves: the database, the
 * drivers and a way to close a lab's terminals (all from the composition root, lib/server/services.ts).
 */
export function createLabDeps(io: {
  db: PrismaClient;
  drivers: LabDrivers;
  closeTerminals(labSessionId: string): Promise<void>;
  maxLiveLabsPerUser?: number;
}): LabDeps {
  return {
    db: io.db,
    driver: async () => (await io.drivers.selection()).driver,
    driverNamed: (name) => io.drivers.named(name),
    // Lesson ids have their own namespace (lesson-…), so one lookup serves both kinds of session.
    findScenario: (slug) => findScenario(slug) ?? findLessonAsScenario(slug),
    createContext: (cluster, opts) => createScenarioContext(cluster, opts),
    grade: (input) =>
      gradeLabSession({
        labSessionId: input.labSessionId,
        pack: input.pack,
        ctx: input.ctx,
        hintPenalty: input.hintPenalty,
        signal: input.signal,
      }),
    closeTerminals: io.closeTerminals,
    now: () => new Date(),
    pickVariant: (variants) => variants[randomInt(variants.length)]!,
    idleLimitMs: idleLimitMs(),
    maxLiveLabsPerUser: io.maxLiveLabsPerUser,
    provisionTimeoutMs: 10 * 60_000,
  };
}
