import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import type { LoadedScenario } from "@/lib/scenarios/load-scenarios";
import type { Lesson } from "./define-lesson";
import type { LoadedLesson } from "./load-lessons";

/** The one variant every lesson session records (LabSession.variantId): a lesson has no faults to choose from. */
export const LESSON_VARIANT_ID = "lesson";

/** The steps as markdown: the brief while the cluster is prepared, the recap on the results page. */
export function lessonBrief(lesson: Lesson): string {
  return [`# ${lesson.title}`, "", lesson.summary, "", ...lesson.steps.map((s, i) => `${i + 1}. **${s.title}** — \`${s.command}\``), ""].join("\n");
}

function lessonRecap(lesson: Lesson): string {
  return [
    `# ${lesson.title}: what each step did`,
    "",
    ...lesson.steps.flatMap((s, i) => [`## ${i + 1}. ${s.title}`, "", "```", s.command, "```", "", s.text.trim(), ""]),
  ].join("\n");
}

/**
 * A lesson seen as a scenario pack, so a lesson session goes through the lab lifecycle unchanged
 * (provisioning, cluster, terminals, idle expiry, history): one fixed variant, setup = the
 * lesson's setup, no inject, one check of 1 point per step. What the steps mean together
 * (in order, done once done) is lesson-progress.ts's business, not the pack's.
 */
export function lessonAsScenario({ slug, lesson }: LoadedLesson): LoadedScenario {
  const pack: ScenarioPack = {
    id: lesson.id,
    title: lesson.title,
    summary: lesson.summary,
    domain: "workloads",
    difficulty: "easy",
    minutes: lesson.minutes,
    cluster: lesson.cluster,
    ...(lesson.images ? { images: lesson.images } : {}),
    // Nothing is broken, so the lab waits for no fault to show: one sample and it is ready.
    settleMs: 1_000,
    variants: [{ id: LESSON_VARIANT_ID, title: "Lesson" }],
    async setup(ctx) {
      await lesson.setup?.(ctx);
    },
    async inject() {
      // A lesson injects nothing: the learner changes the cluster step by step.
    },
    checks: lesson.steps.map((s) => ({ id: s.id, title: s.title, points: 1, ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}), run: s.check })),
    hints: [],
    async solve(ctx) {
      for (const s of lesson.steps) await s.solve(ctx);
    },
  };
  return { slug, pack, brief: lessonBrief(lesson), solution: lessonRecap(lesson) };
}
