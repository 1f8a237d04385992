import { z } from "zod";
import { DIFFICULTIES, DOMAINS } from "@/lib/scenarios/define-scenario";

/**
 * practice: untimed, hints at their cost, the solution after each task.
 * timed: one timer, hints cost points.
 * exam: one timer, no hints, no solutions until the end, no reset.
 */
export const EXAM_MODES = ["practice", "timed", "exam"] as const;
export type ExamMode = (typeof EXAM_MODES)[number];

export const DEFAULT_PASS_PERCENT = 66;

/** The whole exam is worth this much: task weights are percentages of the exam. */
export const TOTAL_WEIGHT = 100;

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case: lower-case letters, digits and dashes");

const drawSchema = z
  .object({
    domain: z.enum(DOMAINS).optional(),
    difficulty: z.enum(DIFFICULTIES).optional(),
    count: z.number().int().min(1).max(20).default(1),
  })
  .strict();

/** A task is one named pack, or `count` packs drawn per attempt from those matching a domain and difficulty. */
const taskSchema = z
  .object({
    scenario: slug.optional(),
    /** Only with `scenario`: always this variant instead of one drawn per attempt. */
    variant: slug.optional(),
    draw: drawSchema.optional(),
    /** Percent of the exam, for each task this entry yields. */
    weight: z.number().int().min(1).max(TOTAL_WEIGHT),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.scenario === undefined) === (t.draw === undefined)) {
      ctx.addIssue({ code: "custom", message: "give either scenario (one named pack) or draw (packs drawn per attempt), not both or neither" });
    }
    if (t.variant !== undefined && t.scenario === undefined) {
      ctx.addIssue({ code: "custom", path: ["variant"], message: "only a named scenario can pin a variant" });
    }
  });

const seedSchema = z.discriminatedUnion("policy", [
  z.object({ policy: z.literal("random") }).strict(),
  /** The same tasks and variants for everyone (a class sitting the same paper). */
  z.object({ policy: z.literal("fixed"), value: z.string().min(1) }).strict(),
]);

export const examSchema = z
  .object({
    id: slug,
    title: z.string().min(3),
    summary: z.string().min(10),
    minutes: z.number().int().min(1).max(600),
    passPercent: z.number().int().min(1).max(100).default(DEFAULT_PASS_PERCENT),
    /** The modes a learner may choose; the first is the default. */
    modes: z
      .array(z.enum(EXAM_MODES))
      .min(1)
      .default(["exam"])
      .refine((m) => new Set(m).size === m.length, "lists a mode twice"),
    seed: seedSchema.default({ policy: "random" }),
    tasks: z.array(taskSchema).min(1).max(40),
  })
  .strict()
  .superRefine((b, ctx) => {
    const total = b.tasks.reduce((n, t) => n + t.weight * (t.draw?.count ?? 1), 0);
    if (total !== TOTAL_WEIGHT) {
      ctx.addIssue({
        code: "custom",
        path: ["tasks"],
        message: `weights add up to ${total}, not ${TOTAL_WEIGHT} (a draw counts its weight once per task drawn)`,
      });
    }
  });

export type ExamBlueprintInput = z.input<typeof examSchema>;
export type ExamBlueprint = z.output<typeof examSchema>;
export type BlueprintTask = ExamBlueprint["tasks"][number];

/**
 * An exam blueprint: which packs make up an attempt, their weights, the timer and the pass mark.
 * Validated when it loads (lib/exams/load-exams.ts); a bad one is reported with its file and field.
 *
 * @example
 * export default defineExam({
 *   id: "warm-up", title: "Warm-up", summary: "Three short tasks against one timer.", minutes: 20,
 *   modes: ["exam", "timed", "practice"],
 *   tasks: [{ scenario: "hello-pod", weight: 20 }, { draw: { domain: "control-plane", count: 2 }, weight: 40 }],
 * });
 */
export function defineExam(blueprint: ExamBlueprintInput): ExamBlueprintInput {
  return blueprint;
}
