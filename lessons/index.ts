import type { LessonRegistryEntry } from "@/lib/lessons/load-lessons";
import podCreate from "./lesson-pod-create/lesson";

/**
 * The registry: every lesson, listed explicitly. Add one by importing its lesson.ts here.
 */
export const lessonRegistry: LessonRegistryEntry[] = [
  { slug: "lesson-pod-create", lesson: podCreate },
];
