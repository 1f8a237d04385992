import type { ExamRegistryEntry } from "@/lib/exams/load-exams";
import warmUp from "./warm-up";

/**
 * The exam blueprints, listed explicitly like the packs (scenarios/index.ts). Add one by
 * importing its exams/<slug>.ts here.
 */
export const examRegistry: ExamRegistryEntry[] = [{ slug: "warm-up", blueprint: warmUp }];
