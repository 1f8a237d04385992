import { describe, expect, it } from "vitest";
import { median, packAnalytics, type AttemptFacts } from "./pack-analytics";

const CHECKS = [
  { id: "etcd", title: "etcd runs" },
  { id: "api", title: "API answers" },
  { id: "pods", title: "Pods run" },
];
const T0 = new Date("2026-12-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let n = 0;
/** An attempt ready at T0; `runs` lists each check run's failing check ids ([] = all passed). */
function attempt(o: Partial<AttemptFacts> & { runs?: string[][] } = {}): AttemptFacts {
  const { runs = [], ...rest } = o;
  return {
    id: `a${++n}`,
    state: "ready",
    startedAt: T0,
    readyAt: T0,
    endedAt: null,
    resetCount: 0,
    hintsUsed: 0,
    checkRuns: runs.map((failing) => ({ results: CHECKS.map((c) => ({ ...c, ok: !failing.includes(c.id) })) })),
    ...rest,
  };
}

describe("packAnalytics", () => {
  it("counts only sessions that reached ready as attempts, and the pass rate over the ended ones", () => {
    const a = packAnalytics(
      [
        attempt({ state: "passed", endedAt: at(10), runs: [[]] }),
        attempt({ state: "failed", endedAt: at(5), runs: [["api"]] }),
        attempt({ state: "abandoned", endedAt: at(3) }),
        attempt({ state: "ready" }), // still running: an attempt, not ended
        attempt({ state: "failed", readyAt: null }), // provisioning failed: not an attempt
      ],
      CHECKS,
    );
    expect(a.attempts).toBe(4);
    expect(a.ended).toBe(3);
    expect(a.passed).toBe(1);
    expect(a.passRate).toBeCloseTo(1 / 3);
  });

  it("has no pass rate, median or most failed check before there is anything to say", () => {
    const a = packAnalytics([attempt()], CHECKS);
    expect(a).toMatchObject({ passRate: null, medianTimeToPassMs: null, mostFailedCheck: null, hintShare: 0, resetShare: 0 });
    expect(packAnalytics([], CHECKS)).toMatchObject({ attempts: 0, hintShare: null, resetShare: null });
  });

  it("takes the median time from ready to the end of the passed attempts only", () => {
    const a = packAnalytics(
      [
        attempt({ state: "passed", endedAt: at(4), runs: [[]] }),
        attempt({ state: "passed", endedAt: at(10), runs: [[]] }),
        attempt({ state: "passed", endedAt: at(30), runs: [[]] }),
        attempt({ state: "failed", endedAt: at(1), runs: [["api"]] }),
      ],
      CHECKS,
    );
    expect(a.medianTimeToPassMs).toBe(10 * 60_000);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("names the check failed in the most attempts' last check run, not in the most runs", () => {
    const a = packAnalytics(
      [
        // api fails in many runs of one attempt, then passes: the learner fixed it.
        attempt({ runs: [["api"], ["api"], ["api"], ["pods"]] }),
        attempt({ runs: [["pods"]] }),
        attempt({ runs: [["etcd", "pods"]] }),
      ],
      CHECKS,
    );
    expect(a.mostFailedCheck).toEqual({ id: "pods", title: "Pods run", failedAttempts: 3 });
    expect(a.checks.find((c) => c.id === "api")).toMatchObject({ failedAttempts: 0, failedRuns: 3 });
  });

  it("counts hints and resets, and the share of attempts that used them", () => {
    const a = packAnalytics([attempt({ hintsUsed: 2, resetCount: 1 }), attempt({ hintsUsed: 1 }), attempt(), attempt()], CHECKS);
    expect(a).toMatchObject({ hintUses: 3, attemptsWithHints: 2, hintShare: 0.5, resets: 1, attemptsWithResets: 1, resetShare: 0.25 });
  });

  it("flags a check that fails for at least 80% of the attempts passing every other check, among at least 3", () => {
    const a = packAnalytics(
      [attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [[]] })],
      CHECKS,
    );
    const pods = a.checks.find((c) => c.id === "pods")!;
    expect(pods).toMatchObject({ passedOthers: 5, failedWhenOthersPassed: 4, suspect: true });
    expect(a.checks.filter((c) => c.suspect).map((c) => c.id)).toEqual(["pods"]);
  });

  it("does not flag a check below 80%, nor on fewer than 3 attempts that passed the rest", () => {
    const below = packAnalytics(
      [attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [[]] })],
      CHECKS,
    );
    expect(below.checks.find((c) => c.id === "pods")).toMatchObject({ passedOthers: 4, failedWhenOthersPassed: 3, suspect: false });
    const few = packAnalytics([attempt({ runs: [["pods"]] }), attempt({ runs: [["pods"]] }), attempt({ runs: [["etcd", "pods"]] })], CHECKS);
    expect(few.checks.find((c) => c.id === "pods")).toMatchObject({ passedOthers: 2, suspect: false });
  });

  it("lists the pack's checks in order, then checks seen only in old results", () => {
    const old = attempt();
    old.checkRuns = [{ results: [{ id: "renamed", title: "Old check", ok: false }] }];
    const a = packAnalytics([old], CHECKS);
    expect(a.checks.map((c) => c.id)).toEqual(["etcd", "api", "pods", "renamed"]);
    expect(a.mostFailedCheck?.id).toBe("renamed");
  });
});
