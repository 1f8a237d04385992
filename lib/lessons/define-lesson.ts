import { z } from "zod";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";

/**
 * A lesson: guided steps on a healthy cluster, each with a short text, the command the learner
 * types, and a check that the step happened, read from cluster state like a pack's checks.
 * Unlike a scenario there is no fault and no variant: the steps are the lesson.
 */
export interface LessonStep {
  id: string;
  title: string;
  /** Markdown: what the step does and what each component does meanwhile. */
  text: string;
  /** What the learner types, exactly (shown with a copy button; one command per step). */
  command: string;
  /** Passes once the step has happened. Its message is shown beside the step. */
  check(ctx: ScenarioContext): Promise<CheckResult>;
  /** Does what the learner would (ctx.kubectl, ctx.apply, ctx.node(...).exec), for the self-test. */
  solve(ctx: ScenarioContext): Promise<void>;
  /** Per-check timeout, as for a pack's check (default 60 s). */
  timeoutMs?: number;
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  minutes: number;
  cluster: { workers: number };
  /** Images the nodes need (kind preloads them), as a pack's `images`. */
  images?: string[];
  /** Prepares what the lesson starts from (a namespace, a pod to inspect). */
  setup?(ctx: ScenarioContext): Promise<void>;
  steps: LessonStep[];
}

/** Lesson ids live in their own namespace, so one LabSession.scenarioId names either kind without doubt. */
export const LESSON_ID_PREFIX = "lesson-";

/** True for an id in the lessons' namespace (`lesson-…`); scenario packs may not use it. */
export function isLessonId(id: string): boolean {
  return id.startsWith(LESSON_ID_PREFIX);
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { message: `must be a function (${what})` });

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case: lower-case letters, digits and dashes");

export const lessonSchema = z
  .object({
    id: slug.refine(isLessonId, { message: `must start with "${LESSON_ID_PREFIX}" (lesson ids have their own namespace)` }),
    title: z.string().min(3),
    summary: z.string().min(10),
    minutes: z.number().int().min(1).max(120),
    cluster: z.object({ workers: z.number().int().min(0).max(5) }).strict(),
    images: z.array(z.string().min(1)).optional(),
    setup: fn("setup(ctx)").optional(),
    steps: z
      .array(
        z
          .object({
            id: slug,
            title: z.string().min(3),
            text: z.string().min(20, "must teach something: at least a sentence of markdown"),
            command: z
              .string()
              .min(1)
              .refine((c) => !c.includes("\n"), { message: "must be one line: the learner types it as it is" }),
            check: fn("check(ctx)"),
            solve: fn("solve(ctx)"),
            timeoutMs: z.number().int().min(100).max(600_000).optional(),
          })
          // A misspelt field would otherwise be dropped and the step would do something else.
          .strict(),
      )
      .min(3, "a lesson has 3 to 6 steps")
      .max(6, "a lesson has 3 to 6 steps"),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const seen = new Set<string>();
    lesson.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `duplicate id "${s.id}"` });
      seen.add(s.id);
    });
  });

/**
 * Declares a lesson. It only types the object: the loader validates it, so a broken lesson is
 * reported as `file → field: message` and never crashes the server.
 *
 * @example
 * export default defineLesson({
 *   id: "lesson-pod-create", title: "Create a pod", summary: "What happens between kubectl run and Running.",
 *   minutes: 10, cluster: { workers: 1 },
 *   steps: [{ id: "run", title: "Run a pod", text: "The API server stores it…", command: "kubectl run web --image=nginx:1.27",
 *     async check(ctx) { ... }, async solve(ctx) { await ctx.kubectl(["run", "web", "--image=nginx:1.27"]); } }, ...],
 * });
 */
export function defineLesson(lesson: Lesson): Lesson {
  return lesson;
}
