import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createSimDriver } from "@/lib/cluster/sim/sim-driver";
import { scaffoldPack } from "@/lib/scenarios/authoring/scaffold-pack";
import { toolsSkipReason } from "@/lib/testing/required-tools";
import { watchClusterName, watchPlan, watchScenarioTest, type WatchDecision } from "./watch-scenario-test";

describe("watchPlan", () => {
  it("starts fresh without a cluster, after a code change and after a failed run", () => {
    expect(watchPlan({ changed: ["brief.md"], lastPassed: true, haveCluster: false }).cluster).toBe("fresh");
    expect(watchPlan({ changed: ["brief.md", "scenario.ts"], lastPassed: true, haveCluster: true })).toEqual({ cluster: "fresh", why: "scenario.ts changed" });
    expect(watchPlan({ changed: ["solution.md"], lastPassed: false, haveCluster: true }).cluster).toBe("fresh");
  });

  it("keeps the cluster when only the markdown changed and the last run passed", () => {
    expect(watchPlan({ changed: ["brief.md", "solution.md"], lastPassed: true, haveCluster: true })).toEqual({
      cluster: "reuse",
      why: "only brief.md, solution.md changed and the last run passed",
    });
  });
});

const hasKubectl = toolsSkipReason({ suite: "watch-scenario-test.test.ts", tools: ["kubectl"] }) === null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-watch-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("scenario:test --watch", () => {
  it.skipIf(!hasKubectl)(
    "re-runs the pack in a fresh process on a change, keeps the sim cluster for a brief.md edit, and deletes it at the end",
    async () => {
      const scenariosDir = path.join(tmp, "scenarios");
      fs.mkdirSync(scenariosDir);
      // A registry of one pack, as scenario:new leaves it.
      fs.writeFileSync(
        path.join(scenariosDir, "index.ts"),
        'import type { RegistryEntry } from "@/lib/scenarios/load-scenarios";\n\nexport const registry: RegistryEntry[] = [\n];\n',
      );
      scaffoldPack({ slug: "web-down", scenariosDir });
      const dataDir = path.join(tmp, "data");
      // The runs are child processes: they find the same sim clusters through the data dir.
      const before = process.env.BREAKFIX_DATA_DIR;
      process.env.BREAKFIX_DATA_DIR = dataDir;
      const driver = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 90_000 });
      const runs: { n: number; code: number; decision: WatchDecision; cluster: string | null }[] = [];
      const controller = new AbortController();
      const log: string[] = [];
      let clusterId = "";
      try {
        const done = watchScenarioTest({
          slug: "web-down",
          passArgs: ["--variant", "missing-tag"],
          driver,
          repoRoot: process.cwd(),
          scenariosDir,
          signal: controller.signal,
          say: (l) => log.push(l),
          debounceMs: 200,
          async onRun(r) {
            // A new cluster has a new CA, so its kubeconfig tells the same cluster from another.
            const c = await driver.attach(watchClusterName("web-down"));
            runs.push({ ...r, cluster: c ? await c.kubeconfig() : null });
            if (r.n === 1) {
              clusterId = runs[0]!.cluster ?? "";
              fs.appendFileSync(path.join(scenariosDir, "web-down", "brief.md"), "\nThe site matters.\n");
            } else controller.abort();
          },
        });
        await done;
      } finally {
        if (before === undefined) delete process.env.BREAKFIX_DATA_DIR;
        else process.env.BREAKFIX_DATA_DIR = before;
      }
      const summary = runs.map((r) => ({ n: r.n, code: r.code, cluster: r.decision.cluster }));
      expect(summary, log.join("\n")).toEqual([
        { n: 1, code: 0, cluster: "fresh" },
        { n: 2, code: 0, cluster: "reuse" },
      ]);
      expect(clusterId).not.toBe("");
      expect(runs[1]!.cluster).toBe(clusterId);
      expect(await driver.list()).toEqual([]);
    },
    400_000,
  );
});
