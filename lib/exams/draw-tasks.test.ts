import { describe, expect, it } from "vitest";
import { examSchema, type ExamBlueprintInput } from "./define-exam";
import { drawTasks, type PoolPack } from "./draw-tasks";

const packs: PoolPack[] = [
  { slug: "a-easy", domain: "workloads", difficulty: "easy", variants: ["one", "two", "three"] },
  { slug: "b-easy", domain: "workloads", difficulty: "easy", variants: ["x"] },
  { slug: "c-easy", domain: "workloads", difficulty: "easy", variants: ["x", "y"] },
  { slug: "d-medium", domain: "control-plane", difficulty: "medium", variants: ["p", "q", "r", "s"] },
  { slug: "e-hard", domain: "control-plane", difficulty: "hard", variants: ["z"] },
];

function blueprint(tasks: ExamBlueprintInput["tasks"]) {
  return examSchema.parse({ id: "t", title: "Test", summary: "A test blueprint.", minutes: 10, tasks });
}

describe("drawTasks", () => {
  const bp = blueprint([
    { scenario: "d-medium", weight: 40 },
    { draw: { domain: "workloads", difficulty: "easy", count: 2 }, weight: 30 },
  ]);

  it("gives the same tasks and variants for the same seed", () => {
    expect(drawTasks(bp, packs, "seed-1")).toEqual(drawTasks(bp, packs, "seed-1"));
  });

  it("does not depend on the order the packs are installed in", () => {
    expect(drawTasks(bp, [...packs].reverse(), "seed-1")).toEqual(drawTasks(bp, packs, "seed-1"));
  });

  it("varies the draw with the seed", () => {
    const draws = new Set(Array.from({ length: 30 }, (_, i) => JSON.stringify(drawTasks(bp, packs, `s${i}`))));
    expect(draws.size).toBeGreaterThan(1);
  });

  it("keeps blueprint order, weights per drawn task, and positions", () => {
    const tasks = drawTasks(bp, packs, "seed-2");
    expect(tasks.map((t) => t.position)).toEqual([0, 1, 2]);
    expect(tasks.map((t) => t.weight)).toEqual([40, 30, 30]);
    expect(tasks[0]!.scenarioId).toBe("d-medium");
    expect(["p", "q", "r", "s"]).toContain(tasks[0]!.variantId);
  });

  it("draws only matching packs, never one twice, never a pack named elsewhere", () => {
    const named = blueprint([
      { scenario: "a-easy", weight: 40 },
      { draw: { domain: "workloads", count: 2 }, weight: 30 },
    ]);
    for (let i = 0; i < 40; i++) {
      const drawn = drawTasks(named, packs, `n${i}`).slice(1).map((t) => t.scenarioId).sort();
      expect(drawn).toEqual(["b-easy", "c-easy"]);
    }
  });

  it("uses a pinned variant as given", () => {
    const pinned = blueprint([{ scenario: "a-easy", variant: "three", weight: 100 }]);
    for (let i = 0; i < 10; i++) expect(drawTasks(pinned, packs, `p${i}`)[0]!.variantId).toBe("three");
  });

  it("throws when a pool runs dry", () => {
    const greedy = blueprint([{ draw: { domain: "control-plane", count: 1 }, weight: 50 }, { draw: { difficulty: "hard", count: 1 }, weight: 50 }]);
    // Two control-plane packs: the first draw may take e-hard, leaving the hard draw nothing.
    const outcomes = Array.from({ length: 40 }, (_, i) => {
      try {
        drawTasks(greedy, packs, `g${i}`);
        return "ok";
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(outcomes).toContain("a draw needs 1 pack(s) but only 0 remain");
  });
});
