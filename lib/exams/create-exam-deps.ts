import { randomUUID } from "node:crypto";
import type { ExamConfig } from "@/lib/config";
import type { LabDeps } from "@/lib/labs/lab-deps";
import { processSingleton } from "@/lib/process-singleton";
import type { ExamDeps } from "./exam-deps";
import { findExam, installedPool } from "./exam-registry";
import { createTaskQueue } from "./task-queue";

// setTimeout holds at most 2^31-1 ms (about 24.8 days); longer waits re-arm.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function scheduleAt(at: Date, fn: () => void): void {
  const wait = at.getTime() - Date.now();
  const t = setTimeout(wait > MAX_TIMEOUT_MS ? () => scheduleAt(at, fn) : fn, Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)));
  // A pending deadline must not keep the process alive; the start-up sweep catches what a stop missed.
  t.unref();
}

/** The real dependencies of lib/exams, over the labs' (from the composition root, lib/server/services.ts). */
export function createExamDeps(io: { labs: LabDeps; config: ExamConfig }): ExamDeps {
  return {
    labs: io.labs,
    findExam,
    pool: installedPool,
    newSeed: () => randomUUID(),
    // One queue per process, shared by server.ts and Next's route handlers (two module graphs).
    queue: processSingleton("exam-provision-queue", () => createTaskQueue(io.config.provisionConcurrency)),
    durationOverrideSeconds: io.config.durationOverrideSeconds,
    schedule: scheduleAt,
  };
}
