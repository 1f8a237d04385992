import type { ExamLoadResult } from "@/lib/exams/load-exams";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { LoadResult } from "@/lib/scenarios/load-scenarios";

/** What lib/instructor reads: the database and the packs and blueprints as loaded (valid and not). */
export interface InstructorDeps {
  db: PrismaClient;
  scenarios(): LoadResult;
  exams(): ExamLoadResult;
  now(): Date;
}
