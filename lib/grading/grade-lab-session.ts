import { db } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScenarioContext } from "@/lib/scenarios/context";
import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import { runChecks, type CheckOutcome } from "./run-checks";
import { scoreOf } from "./score-of";

export interface LabGrade {
  checkRunId: string;
  /** Points of passing checks minus hint costs, never below 0. */
  score: number;
  maxScore: number;
  hintPenalty: number;
  allPassed: boolean;
  results: CheckOutcome[];
  durationMs: number;
}

export interface GradeLabSessionInput {
  labSessionId: string;
  pack: Pick<ScenarioPack, "checks">;
  ctx: ScenarioContext;
  /** Sum of the costs of the hints used; read from HintUse when absent. */
  hintPenalty?: number;
  signal?: AbortSignal;
  /** The Prisma client; the process's one (lib/db.ts) when absent. */
  prisma?: PrismaClient;
}

/**
 * Grades a lab session: runs the pack's checks (each with its own timeout and hold window), takes
 * off the hints' costs, and persists results and timings as a CheckRun. It does not change the
 * session's state; lib/labs decides what a grade means.
 *
 * @example
 * const ctx = await createScenarioContext(cluster, { kubeconfig: capturedAdminKubeconfig, signal });
 * try { const g = await gradeLabSession({ labSessionId, pack, ctx, signal }); } finally { ctx.dispose(); }
 */
export async function gradeLabSession(input: GradeLabSessionInput): Promise<LabGrade> {
  const prisma = input.prisma ?? db();
  const started = Date.now();
  const results = await runChecks(input.ctx, input.pack.checks, { signal: input.signal });
  const durationMs = Date.now() - started;
  const hintPenalty =
    input.hintPenalty ??
    (await prisma.hintUse.aggregate({ where: { labSessionId: input.labSessionId }, _sum: { cost: true } }))._sum.cost ??
    0;
  const grade = scoreOf(results, [hintPenalty]);
  const run = await prisma.checkRun.create({
    data: {
      labSessionId: input.labSessionId,
      durationMs,
      score: grade.score,
      maxScore: grade.maxScore,
      hintPenalty: grade.hintPenalty,
      allPassed: grade.allPassed,
      results: JSON.stringify(results),
    },
    select: { id: true },
  });
  return {
    checkRunId: run.id,
    score: grade.score,
    maxScore: grade.maxScore,
    hintPenalty: grade.hintPenalty,
    allPassed: grade.allPassed,
    results,
    durationMs,
  };
}
