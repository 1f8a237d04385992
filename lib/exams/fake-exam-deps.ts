import { createFakeLabDeps, fakePack, type FakeLabDeps } from "@/lib/labs/fake-lab-deps";
import type { LoadedScenario } from "@/lib/scenarios/load-scenarios";
import { examSchema, type ExamBlueprintInput } from "./define-exam";
import type { ExamDeps } from "./exam-deps";
import { createTaskQueue } from "./task-queue";

/**
 * Test doubles for lib/exams: the fake labs of lib/labs with three copies of the fake pack (a
 * blueprint never names a pack twice), a "quiz" blueprint over them, a counter for seeds and a
 * scheduler that records what it was asked to run. Only tests import this file.
 */
export interface FakeExamDeps extends ExamDeps {
  labs: FakeLabDeps;
  scheduled: { at: Date; fn: () => void }[];
  cleanup(): Promise<void>;
}

export const FAKE_PACKS = ["fake-a", "fake-b", "fake-c"] as const;

export const quizBlueprint: ExamBlueprintInput = {
  id: "quiz",
  title: "Quiz",
  summary: "Three fake tasks against one clock.",
  minutes: 20,
  modes: ["exam", "practice"],
  tasks: [
    { scenario: "fake-a", weight: 50 },
    { draw: { domain: "workloads", count: 2 }, weight: 25 },
  ],
};

export function createFakeExamDeps(
  opts: { concurrency?: number; blueprint?: ExamBlueprintInput; failInject?: boolean; db?: FakeLabDeps["db"] } = {},
): FakeExamDeps {
  const fake = createFakeLabDeps({ db: opts.db });
  const base = opts.failInject ? { ...fakePack, inject: async () => Promise.reject(new Error("inject exploded")) } : fakePack;
  const scenarios: LoadedScenario[] = FAKE_PACKS.map((slug) => ({
    slug,
    pack: { ...base, id: slug, title: `Fake ${slug}` },
    brief: `# ${slug}\nFix it.`,
    solution: `# Solution of ${slug}`,
  }));
  const labs: FakeLabDeps = { ...fake, findScenario: (slug) => scenarios.find((s) => s.slug === slug) };
  const blueprint = examSchema.parse(opts.blueprint ?? quizBlueprint);
  const scheduled: FakeExamDeps["scheduled"] = [];
  let seeds = 0;
  return {
    labs,
    findExam: (slug) => (slug === blueprint.id ? { slug, blueprint, taskCount: 3 } : undefined),
    pool: () => scenarios.map((s) => ({ slug: s.slug, domain: s.pack.domain, difficulty: s.pack.difficulty, variants: s.pack.variants.map((v) => v.id) })),
    newSeed: () => `seed-${++seeds}`,
    queue: createTaskQueue(opts.concurrency ?? 2),
    durationOverrideSeconds: undefined,
    schedule: (at, fn) => scheduled.push({ at, fn }),
    scheduled,
    cleanup: () => fake.cleanup(),
  };
}
