import type { LabDeps } from "@/lib/labs/lab-deps";
import type { PoolPack } from "./draw-tasks";
import type { LoadedExam } from "./load-exams";
import type { TaskQueue } from "./task-queue";

/**
 * Everything lib/exams needs, as one object: tests pass fake labs, a fake clock and a recording
 * scheduler; the composition root (lib/server/services.ts) passes the real ones.
 */
export interface ExamDeps {
  /** Each task is a lab session; its database, driver, clock and grader are the labs'. */
  labs: LabDeps;
  findExam(slug: string): LoadedExam | undefined;
  /** The installed packs, as draws see them. */
  pool(): PoolPack[];
  /** A fresh seed for an attempt whose blueprint asks for a random draw. */
  newSeed(): string;
  /** Bounds how many task clusters are prepared at once, over every attempt in this process. */
  queue: TaskQueue;
  /** Every timed attempt lasts this long instead of its blueprint's minutes (BREAKFIX_EXAM_DURATION_SECONDS). */
  durationOverrideSeconds: number | undefined;
  /** Calls fn at `at` even if no browser is open (a timer in production). */
  schedule(at: Date, fn: () => void): void;
}
