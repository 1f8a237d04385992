import { describe, expect, it } from "vitest";
import { examRegistry } from "@/exams/index";
import { formatProblem } from "@/lib/scenarios/load-scenarios";
import { installedPool } from "./exam-registry";
import { loadExams } from "./load-exams";

describe("the blueprints in exams/", () => {
  it("are all valid against the installed packs", () => {
    const r = loadExams(examRegistry, installedPool());
    expect(r.problems.map(formatProblem)).toEqual([]);
    expect(r.exams.length).toBe(examRegistry.length);
  });
});
