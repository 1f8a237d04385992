import { z } from "zod";
import type { ExamAttempt, ExamTask, LabSession } from "@/lib/generated/prisma/client";
import type { LabDeps } from "@/lib/labs/lab-deps";
import { scoreExam, type ExamScore, type TaskScore } from "./score-exam";

export const END_REASONS = ["submitted", "timed-out"] as const;
export type EndReason = (typeof END_REASONS)[number];

const lineSchema = z.object({ score: z.number(), max: z.number(), percent: z.number() });

/** ExamAttempt.detail: why it ended (set when grading begins), then the graded score. */
export const attemptDetailSchema = z.object({
  endReason: z.enum(END_REASONS).optional(),
  score: z
    .object({
      weighted: lineSchema,
      raw: lineSchema,
      passPercent: z.number(),
      passed: z.boolean(),
      byDomain: z.array(lineSchema.extend({ domain: z.string() })),
      byDifficulty: z.array(lineSchema.extend({ difficulty: z.string() })),
    })
    .optional(),
});
export type AttemptDetail = z.infer<typeof attemptDetailSchema>;

/** A detail column that does not parse counts as empty: it is only ever written by this module. */
export function parseAttemptDetail(raw: string): AttemptDetail {
  try {
    const parsed = attemptDetailSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * The score of an attempt from its tasks' lab sessions as they are now. A task whose pack is
 * gone still counts its weight, with nothing earned; one never graded earns nothing.
 */
export function scoreAttempt(
  deps: Pick<LabDeps, "findScenario">,
  attempt: Pick<ExamAttempt, "passPercent"> & { tasks: (ExamTask & { labSession: LabSession | null })[] },
): ExamScore {
  const tasks: TaskScore[] = attempt.tasks.map((t) => {
    const pack = deps.findScenario(t.scenarioId)?.pack;
    const packMax = pack?.checks.reduce((n, c) => n + c.points, 0) ?? 0;
    const lab = t.labSession;
    return {
      weight: t.weight,
      domain: pack?.domain ?? "unknown",
      difficulty: pack?.difficulty ?? "unknown",
      score: lab && lab.maxScore > 0 ? lab.score : 0,
      maxScore: lab && lab.maxScore > 0 ? lab.maxScore : packMax,
    };
  });
  return scoreExam(tasks, attempt.passPercent);
}
