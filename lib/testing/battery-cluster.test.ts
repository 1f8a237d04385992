import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batteryDriver, batterySkipReason, startBatteryCluster, type BatteryCluster } from "./battery-cluster";

const reason = await batterySkipReason("battery-cluster.test.ts");

describe.skipIf(reason !== null)(`battery cluster (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  beforeAll(async () => {
    c = await startBatteryCluster({ suite: "battery" });
  }, 300_000);
  afterAll(() => c?.stop(), 300_000);

  it("runs the real kubectl with the admin kubeconfig, stdin and exit codes", async () => {
    const nodes = await c.kubectl(["get", "nodes", "-o", "name"]);
    expect(nodes.code).toBe(0);
    expect(nodes.stdout.trim().split("\n")).toEqual(c.nodes.map((n) => `node/${n}`));
    const applied = await c.kubectl(["apply", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: battery-probe\n  namespace: default\n" });
    expect(applied.stdout).toBe("configmap/battery-probe created\n");
    const missing = await c.kubectl(["get", "configmap", "no-such-thing"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('configmaps "no-such-thing" not found');
  });
});

describe("batteryDriver", () => {
  it("takes sim by default and refuses an unknown driver", () => {
    expect(batteryDriver({})).toBe("sim");
    expect(batteryDriver({ BREAKFIX_BATTERY_DRIVER: "kind" })).toBe("kind");
    expect(() => batteryDriver({ BREAKFIX_BATTERY_DRIVER: "minikube" })).toThrow(/sim or kind/);
  });
});
