import { describe, expect, it } from "vitest";
import { lessonRegistry } from "@/lessons/index";
import podCreate from "@/lessons/lesson-pod-create/lesson";
import { registry } from "@/scenarios/index";
import { scenarioSchema } from "@/lib/scenarios/define-scenario";
import { formatProblem } from "@/lib/scenarios/load-scenarios";
import helloPod from "@/scenarios/hello-pod/scenario";
import { lessonAsScenario, LESSON_VARIANT_ID } from "./lesson-as-scenario";
import { loadLessons } from "./load-lessons";

const lines = (entries: Parameters<typeof loadLessons>[0], taken?: Set<string>) => loadLessons(entries, taken).problems.map(formatProblem);

describe("loadLessons", () => {
  it("loads every registered lesson, each with 3 to 6 steps, none shadowing a scenario pack", () => {
    const { lessons, problems } = loadLessons(lessonRegistry, new Set(registry.map((e) => e.slug)));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(lessons.map((l) => l.slug)).toEqual(["lesson-pod-create", "lesson-pod-delete", "lesson-exec", "lesson-image-pull", "lesson-pod-phases", "lesson-multi-container"]);
    for (const { lesson } of lessons) expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
  });

  it("reports a missing field as file → field: message and keeps loading the others", () => {
    const { title: _drop, ...withoutTitle } = { ...podCreate, id: "lesson-broken" };
    const r = loadLessons([
      { slug: "lesson-broken", lesson: withoutTitle },
      { slug: "lesson-pod-create", lesson: podCreate },
    ]);
    expect(r.lessons.map((l) => l.slug)).toEqual(["lesson-pod-create"]);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^lessons\/lesson-broken\/lesson\.ts → title: /)]);
  });

  it("names the step and field of a bad step: a multi-line command, a missing check, a misspelt key", () => {
    const [first, ...rest] = podCreate.steps;
    const bad = { ...first!, command: "kubectl get pods\nkubectl get nodes", check: undefined, txet: "typo" };
    const out = lines([{ slug: "lesson-pod-create", lesson: { ...podCreate, steps: [bad, ...rest] } }]);
    expect(out).toEqual(
      expect.arrayContaining([
        "lessons/lesson-pod-create/lesson.ts → steps.0.command: must be one line: the learner types it as it is",
        "lessons/lesson-pod-create/lesson.ts → steps.0.check: must be a function (check(ctx))",
        expect.stringMatching(/^lessons\/lesson-pod-create\/lesson\.ts → steps\.0\.txet: is not a field the lesson schema knows/),
      ]),
    );
  });

  it("refuses an id outside the lesson- namespace, one that is not its folder, and one a scenario pack already has", () => {
    expect(lines([{ slug: "pod-create", lesson: { ...podCreate, id: "pod-create" } }])).toEqual([
      'lessons/pod-create/lesson.ts → id: must start with "lesson-" (lesson ids have their own namespace)',
    ]);
    expect(lines([{ slug: "lesson-other", lesson: podCreate }])).toEqual(['lessons/lesson-other/lesson.ts → id: must equal the folder name "lesson-other"']);
    expect(lines([{ slug: "lesson-pod-create", lesson: podCreate }], new Set(["lesson-pod-create"]))).toEqual([
      "lessons/lesson-pod-create/lesson.ts → id: is already a scenario pack's id",
    ]);
  });

  it("refuses fewer than 3 or more than 6 steps, and duplicate step ids", () => {
    const s = podCreate.steps;
    expect(lines([{ slug: "lesson-pod-create", lesson: { ...podCreate, steps: s.slice(0, 2) } }])).toEqual(["lessons/lesson-pod-create/lesson.ts → steps: a lesson has 3 to 6 steps"]);
    expect(lines([{ slug: "lesson-pod-create", lesson: { ...podCreate, steps: [...s, ...s] } }])).toEqual(
      expect.arrayContaining(["lessons/lesson-pod-create/lesson.ts → steps: a lesson has 3 to 6 steps"]),
    );
    expect(lines([{ slug: "lesson-pod-create", lesson: { ...podCreate, steps: [s[0]!, s[0]!, s[1]!] } }])).toEqual([
      'lessons/lesson-pod-create/lesson.ts → steps.1.id: duplicate id "write"',
    ]);
  });

  it("never throws on something that is not a lesson at all", () => {
    expect(lines([{ slug: "lesson-x", lesson: null }])).toEqual([expect.stringMatching(/^lessons\/lesson-x\/lesson\.ts → \(lesson\): /)]);
  });
});

describe("lessons and scenario packs", () => {
  it("keep apart: a scenario pack may not take a lesson- id", () => {
    const r = scenarioSchema.safeParse({ ...helloPod, id: "lesson-hello" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/that prefix is for lessons/);
  });

  it("a lesson runs in a lab as a pack with one fixed variant, no hints, and one 1-point check per step in order", () => {
    const { pack, brief, solution } = lessonAsScenario({ slug: podCreate.id, lesson: podCreate });
    expect(pack.variants).toEqual([{ id: LESSON_VARIANT_ID, title: "Lesson" }]);
    expect(pack.hints).toEqual([]);
    expect(pack.checks.map((c) => [c.id, c.points])).toEqual(podCreate.steps.map((s) => [s.id, 1]));
    expect(brief).toContain("`kubectl apply -f /root/lesson/web.yaml`");
    expect(solution).toContain("## 2. Give the scheduler a node it may use");
  });
});
