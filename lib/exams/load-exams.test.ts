import { describe, expect, it } from "vitest";
import { formatProblem } from "@/lib/scenarios/load-scenarios";
import type { PoolPack } from "./draw-tasks";
import { loadExams } from "./load-exams";

const packs: PoolPack[] = [
  { slug: "hello-pod", domain: "workloads", difficulty: "easy", variants: ["default"] },
  { slug: "image-pull-backoff", domain: "workloads", difficulty: "easy", variants: ["tag-typo", "registry"] },
  { slug: "expired-certs", domain: "control-plane", difficulty: "medium", variants: ["apiserver"] },
];

const base = { id: "quiz", title: "Quiz", summary: "A blueprint under test.", minutes: 20 };

function problemsOf(blueprint: unknown): string[] {
  return loadExams([{ slug: "quiz", blueprint }], packs).problems.map(formatProblem);
}

describe("loadExams", () => {
  it("accepts a valid blueprint and fills the defaults", () => {
    const r = loadExams([{ slug: "quiz", blueprint: { ...base, tasks: [{ scenario: "hello-pod", weight: 40 }, { draw: { domain: "workloads", count: 2 }, weight: 30 }] } }], [
      ...packs,
      { slug: "other", domain: "workloads", difficulty: "hard", variants: ["v"] },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.exams[0]!.blueprint).toMatchObject({ passPercent: 66, modes: ["exam"], seed: { policy: "random" } });
    expect(r.exams[0]!.taskCount).toBe(3);
  });

  it("reports weights that do not add up to 100, counting a draw once per task", () => {
    expect(problemsOf({ ...base, tasks: [{ scenario: "hello-pod", weight: 40 }, { draw: { domain: "workloads" }, weight: 50 }] })).toEqual([
      "exams/quiz.ts → tasks: weights add up to 90, not 100 (a draw counts its weight once per task drawn)",
    ]);
  });

  it("reports a pool too small, naming what is left", () => {
    expect(problemsOf({ ...base, tasks: [{ scenario: "hello-pod", weight: 40 }, { draw: { domain: "workloads", count: 2 }, weight: 30 }] })).toEqual([
      "exams/quiz.ts → tasks.1.draw: needs 2 pack(s) of domain workloads but 1 not named elsewhere in the blueprint are installed (image-pull-backoff); add packs or lower count",
    ]);
  });

  it("counts what earlier overlapping draws may take", () => {
    const [p] = problemsOf({ ...base, tasks: [{ draw: { count: 2 }, weight: 40 }, { draw: { domain: "control-plane" }, weight: 20 }] });
    expect(p).toMatch(/^exams\/quiz\.ts → tasks\.1\.draw: needs 3 pack\(s\) of domain control-plane \(1 here, up to 2 taken by earlier draws\)/);
  });

  it("reports unknown packs and variants, and a pack named twice", () => {
    expect(
      problemsOf({
        ...base,
        tasks: [
          { scenario: "nope", weight: 20 },
          { scenario: "hello-pod", variant: "other", weight: 40 },
          { scenario: "hello-pod", weight: 40 },
        ],
      }),
    ).toEqual([
      'exams/quiz.ts → tasks.0.scenario: no installed pack is called "nope"',
      'exams/quiz.ts → tasks.1.variant: "hello-pod" has no variant "other" (it has default)',
      'exams/quiz.ts → tasks.2.scenario: "hello-pod" is listed twice',
    ]);
  });

  it("reports schema problems by field, and a task that is both named and drawn", () => {
    const problems = problemsOf({ ...base, minutes: 0, modes: ["exam", "exam"], tasks: [{ scenario: "hello-pod", draw: {}, weight: 100 }] });
    expect(problems).toContain("exams/quiz.ts → minutes: Too small: expected number to be >=1");
    expect(problems).toContain("exams/quiz.ts → modes: lists a mode twice");
    expect(problems).toContain("exams/quiz.ts → tasks.0: give either scenario (one named pack) or draw (packs drawn per attempt), not both or neither");
  });

  it("requires the id to match the file, and leaves a broken blueprint out without throwing", () => {
    const r = loadExams([{ slug: "quiz", blueprint: { ...base, id: "other", tasks: [{ scenario: "hello-pod", weight: 100 }] } }, { slug: "bad", blueprint: 42 }], packs);
    expect(r.exams).toEqual([]);
    expect(r.problems.map(formatProblem)[0]).toBe('exams/quiz.ts → id: must equal the file name "quiz"');
    expect(r.problems.some((p) => p.file === "exams/bad.ts")).toBe(true);
  });
});
