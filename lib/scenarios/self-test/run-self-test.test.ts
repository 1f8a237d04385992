import { describe, expect, it } from "vitest";
import type { ScenarioContext } from "../context";
import { defineScenario, type ScenarioPack } from "../define-scenario";
import { formatSelfTestTable } from "./format-self-test-table";
import { realTimeWindows, runVariantSelfTest } from "./run-self-test";

// A pack whose "cluster" is an object in memory, so the runner's logic is tested without one.
function memoryPack(opts: { antiFixes?: boolean; solveFixes?: boolean }) {
  const state = { app: "none", data: "none" };
  const ctx = { clock: { timeScale: 1, now: () => new Date() } } as ScenarioContext;
  const pack: ScenarioPack = defineScenario({
    id: "memory",
    title: "Memory",
    summary: "A pack that lives in memory.",
    domain: "workloads",
    difficulty: "easy",
    minutes: 1,
    cluster: { workers: 0 },
    variants: [{ id: "one", title: "One" }],
    async setup() {
      state.app = "ok";
      state.data = "kept";
    },
    async inject() {
      state.app = "broken";
    },
    checks: [
      { id: "app", title: "App works", points: 2, run: async () => ({ ok: state.app === "ok", message: state.app }) },
      { id: "data", title: "Data kept", points: 1, run: async () => ({ ok: state.data === "kept", message: state.data }) },
    ],
    failingAfterInject: ["app"],
    hints: [],
    async solve() {
      if (opts.solveFixes !== false) state.app = "ok";
    },
    antiSolutions: [
      {
        id: "wipe",
        title: "Start from scratch",
        async apply() {
          state.app = "ok";
          if (!opts.antiFixes) state.data = "lost";
        },
        async revert() {
          state.data = "kept";
        },
      },
    ],
  });
  return { pack, ctx };
}

const fast = { pollMs: 1, settleMs: 50, antiWindowMs: 20 };

describe("runVariantSelfTest", () => {
  it("passes a pack whose fault, anti-solution and solve behave", async () => {
    const { pack, ctx } = memoryPack({});
    const r = await runVariantSelfTest(pack, pack.variants[0]!, ctx, fast);
    expect(r.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      "setup:true", "inject:true", "fails:true", "anti:true", "reset:true", "solve:true", "passes:true",
    ]);
    expect(r.ok).toBe(true);
  });

  it("fails a pack whose anti-solution makes every check pass", async () => {
    const { pack, ctx } = memoryPack({ antiFixes: true });
    const r = await runVariantSelfTest(pack, pack.variants[0]!, ctx, fast);
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({ step: "anti", label: "wipe", ok: false });
    expect(r.steps.at(-1)!.detail).toMatch(/every check passed after this wrong fix/);
  });

  it("fails a pack whose solve() does not fix it, naming the failing check", async () => {
    const { pack, ctx } = memoryPack({ solveFixes: false });
    const r = await runVariantSelfTest(pack, pack.variants[0]!, ctx, fast);
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({ step: "passes", ok: false });
    expect(r.steps.at(-1)!.detail).toMatch(/still failing: app: broken/);
  });

  it("fails when a check that must keep passing after inject fails too", async () => {
    const { pack, ctx } = memoryPack({});
    const strict = { ...pack, failingAfterInject: ["data"] };
    const r = await runVariantSelfTest(strict, pack.variants[0]!, ctx, fast);
    expect(r.steps.at(-1)).toMatchObject({ step: "fails", ok: false });
    expect(r.steps.at(-1)!.detail).toMatch(/scenario\.ts → checks\.0 \(app\): app failed but must pass: broken.*; scenarios\/memory\/scenario\.ts → checks\.1 \(data\): data passed but must fail/);
  });

  it("prints a table with a row per variant, the failures and a count", async () => {
    const good = memoryPack({});
    const bad = memoryPack({ antiFixes: true });
    const rows = [
      { kind: "ran" as const, result: await runVariantSelfTest(good.pack, good.pack.variants[0]!, good.ctx, fast) },
      { kind: "ran" as const, result: { ...(await runVariantSelfTest(bad.pack, bad.pack.variants[0]!, bad.ctx, fast)), variant: "two" } },
      { kind: "not-applicable" as const, slug: "cni-missing", variant: "default", reason: "needs the kindnet CNI; this cluster runs calico" },
    ];
    const table = formatSelfTestTable(rows);
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^PACK\s+VARIANT\s+SETUP\s+INJECT\s+FAILS\s+ANTI\s+RESET\s+SOLVE\s+PASSES\s+TIME\s+RESULT$/);
    expect(lines[1]).toMatch(/^memory\s+one\s+✔ .*PASS$/);
    expect(lines[2]).toMatch(/^memory\s+two\s+.*✘ .*FAIL$/);
    expect(lines[3]).toMatch(/^cni-missing\s+default\s+N\/A$/);
    expect(table).toContain("memory/two: anti (wipe) failed — scenarios/memory/scenario.ts → antiSolutions.0 (wipe): every check passed");
    expect(table).toContain("cni-missing/default: not applicable here — needs the kindnet CNI");
    expect(lines.at(-1)).toBe("1/2 variant(s) passed; 0/1 pack(s) passed every variant; 1 not applicable here");
  });
});

describe("generic wrong fixes", () => {
  it("fails a pack whose fault goes away when the kubelet restarts", async () => {
    const { pack } = memoryPack({});
    let app = "ok";
    const restarts: string[] = [];
    const ctx = {
      clock: { timeScale: 1, now: () => new Date() },
      controlPlane: "cp",
      workers: ["w1"],
      node: (name: string) => ({
        exec: async (argv: string[]) => {
          restarts.push(`${name}:${argv.join(" ")}`);
          app = "ok"; // this "fault" is cured by a kubelet restart
          return { code: 0, stdout: "", stderr: "" };
        },
      }),
    } as unknown as ScenarioContext;
    const transient: ScenarioPack = {
      ...pack,
      antiSolutions: [],
      inject: async () => void (app = "broken"),
      solve: async () => void (app = "ok"),
      checks: [{ id: "app", title: "App works", points: 1, run: async () => ({ ok: app === "ok", message: app }) }],
      failingAfterInject: ["app"],
    };
    const r = await runVariantSelfTest(transient, pack.variants[0]!, ctx, { ...fast, genericAntiSolutions: true });
    expect(r.ok).toBe(false);
    expect(restarts).toEqual(["cp:systemctl restart kubelet", "w1:systemctl restart kubelet"]);
    expect(r.steps.at(-1)).toMatchObject({ step: "anti", label: "restart-kubelet-only", ok: false });
    // reset-only ran first and passed: injecting again leaves the fault in.
    expect(r.steps.find((s) => s.label === "reset-only")).toMatchObject({ step: "anti", ok: true });
  });
});

describe("realTimeWindows", () => {
  it("is the cluster time itself at real time", () => {
    expect(realTimeWindows({ settleMs: 120_000, antiWindowMs: 60_000, pollMs: 3000 }, 1)).toEqual({ settleMs: 120_000, antiWindowMs: 60_000, pollMs: 3000 });
  });
  it("divides by the time scale, with a real-time floor for settling and polling", () => {
    expect(realTimeWindows({ settleMs: 240_000, antiWindowMs: 60_000, pollMs: 3000 }, 10)).toEqual({ settleMs: 90_000, antiWindowMs: 6000, pollMs: 500 });
    expect(realTimeWindows({ settleMs: 20_000, antiWindowMs: 20_000, pollMs: 3000 }, 10)).toEqual({ settleMs: 20_000, antiWindowMs: 2000, pollMs: 500 });
  });
});
