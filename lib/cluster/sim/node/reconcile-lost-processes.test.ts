import { describe, expect, it } from "vitest";
import type { ContainerRecord } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { FORBIDDEN_EXIT_MS } from "./components/kube-controller-model";
import type { ApiEndpointState } from "./fleet-state";
import { CONTROL_PLANE_SPEC, containerRecord, fakeKubelet, runRecord, runsFor } from "./fleet-test-fakes";
import { reconcileLostProcesses, type LostProcessesInput } from "./reconcile-lost-processes";

const scheduler = containerRecord({ id: "5".repeat(64), name: "kube-scheduler" });
const t0 = new Date("2026-11-21T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function setup(containers: () => ContainerRecord[]) {
  const fake = fakeKubelet(containers);
  const base: Omit<LostProcessesInput, "api" | "now"> = {
    controlPlane: { spec: CONTROL_PLANE_SPEC, kubelet: fake.kubelet, ops: {} },
    runs: runsFor([[scheduler, runRecord("kube-scheduler")]]),
    etcdState: () => ({ clientUrls: [], trustedCaPem: null, serverCertPem: null }),
    lostSince: new Map(),
    hasLed: new Set(),
  };
  const tick = (ms: number, endpoint: ApiEndpointState, controlPlaneRbac?: boolean) => reconcileLostProcesses({ ...base, api: { endpoint, controlPlaneRbac }, now: at(ms) });
  return { fake, base, tick };
}

describe("lost processes reconciler", () => {
  it("exits a leader that cannot reach the API after 15 s, with leaderelection lost", () => {
    const { fake, base, tick } = setup(() => [scheduler]);
    base.hasLed.add(scheduler.id);
    tick(0, "down");
    tick(14_999, "down");
    expect(fake.exited).toEqual([]);
    tick(15_000, "down");
    expect(fake.exited).toHaveLength(1);
    expect(fake.exited[0]!.code).toBe(1);
    expect(fake.exited[0]!.logs.at(-1)).toContain('"leaderelection lost"');
    expect(base.hasLed.has(scheduler.id)).toBe(false);
  });

  it("leaves a component that never led alone when the API goes down", () => {
    const { fake, tick } = setup(() => [scheduler]);
    tick(0, "down");
    tick(60_000, "down");
    expect(fake.exited).toEqual([]);
  });

  it("starts the wait again when the dependency comes back before the limit", () => {
    const { fake, base, tick } = setup(() => [scheduler]);
    base.hasLed.add(scheduler.id);
    tick(0, "down");
    tick(10_000, "serving");
    tick(12_000, "down");
    tick(26_000, "down");
    expect(fake.exited).toEqual([]);
    tick(27_000, "down");
    expect(fake.exited).toHaveLength(1);
  });

  it("exits a controller forbidden everything (a store without the bootstrap RBAC) after its retries", () => {
    const { fake, tick } = setup(() => [scheduler]);
    tick(0, "serving", false);
    tick(FORBIDDEN_EXIT_MS - 1, "serving", false);
    expect(fake.exited).toEqual([]);
    tick(FORBIDDEN_EXIT_MS, "serving", false);
    expect(fake.exited).toHaveLength(1);
  });

  it("forgets a container that stopped running", () => {
    let containers = [scheduler];
    const { base, tick } = setup(() => containers);
    base.hasLed.add(scheduler.id);
    tick(0, "down");
    expect(base.lostSince.has(scheduler.id)).toBe(true);
    containers = [{ ...scheduler, state: "Exited" }];
    tick(1_000, "down");
    expect(base.lostSince.has(scheduler.id)).toBe(false);
  });
});
