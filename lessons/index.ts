import type { LessonRegistryEntry } from "@/lib/lessons/load-lessons";
import exec from "./lesson-exec/lesson";
import imagePull from "./lesson-image-pull/lesson";
import multiContainer from "./lesson-multi-container/lesson";
import podCreate from "./lesson-pod-create/lesson";
import podDelete from "./lesson-pod-delete/lesson";
import podPhases from "./lesson-pod-phases/lesson";

/**
 * The registry: every lesson, listed explicitly, in the order the catalogue shows them. Add one
 * by importing its lesson.ts here.
 */
export const lessonRegistry: LessonRegistryEntry[] = [
  { slug: "lesson-pod-create", lesson: podCreate },
  { slug: "lesson-pod-delete", lesson: podDelete },
  { slug: "lesson-exec", lesson: exec },
  { slug: "lesson-image-pull", lesson: imagePull },
  { slug: "lesson-pod-phases", lesson: podPhases },
  { slug: "lesson-multi-container", lesson: multiContainer },
];
