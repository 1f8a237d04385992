import { describe, expect, it } from "vitest";
import { reconcileBootstrapPolicy } from "@/lib/cluster/sim/api/rbac/reconcile-bootstrap-policy";
import { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import { RESOURCE_TYPES } from "@/lib/cluster/sim/store/resource-types";
import type { ApiEndpointState } from "./fleet-state";
import { CONTROL_PLANE_SPEC, containerRecord, fakeKubelet, runRecord } from "./fleet-test-fakes";
import { reconcileApiserverStart, type ApiserverStartState } from "./reconcile-apiserver-start";

const apiserver = containerRecord({ id: "a".repeat(64), name: "kube-apiserver" });
const t0 = new Date("2026-11-21T08:00:00Z");

function setup(store: ObjectStore) {
  const fake = fakeKubelet(() => [apiserver]);
  const journal = { kubelet: [] as string[], containerd: [] as string[] };
  const state: ApiserverStartState = { bootstrapped: null, livenessFailing: new Map() };
  let postStarts = 0;
  const run = runRecord("kube-apiserver");
  const tick = (ms: number, endpoint: ApiEndpointState = "serving", r = run) =>
    reconcileApiserverStart({
      controlPlane: { spec: CONTROL_PLANE_SPEC, kubelet: fake.kubelet, ops: {}, journal },
      api: { endpoint, run: r },
      store,
      now: new Date(t0.getTime() + ms),
      state,
      postStart: () => {
        postStarts++;
        reconcileBootstrapPolicy(store);
      },
    });
  return { fake, journal, tick, postStarts: () => postStarts };
}

describe("apiserver start reconciler", () => {
  it("runs the post-start hook once per apiserver run, when it serves", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    const { tick, postStarts } = setup(store);
    tick(0, "etcd-unreachable");
    expect(postStarts()).toBe(0);
    tick(100);
    tick(200);
    expect(postStarts()).toBe(1);
    expect(store.get("clusterrolebindings.rbac.authorization.k8s.io", undefined, "system:public-info-viewer")).toBeDefined();
    tick(300, "serving", runRecord("kube-apiserver"));
    expect(postStarts()).toBe(2);
  });

  it("kills an apiserver whose anonymous /livez is forbidden after 8 probe failures, logging each", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    const { fake, journal, tick } = setup(store);
    tick(0);
    // etcd now serves an empty store under the same apiserver run: no RBAC at all.
    store.switchBackend("container:empty", { reset: true });
    tick(1_000);
    tick(70_999);
    expect(fake.exited).toEqual([]);
    expect(journal.kubelet.filter((l) => l.includes('probeType="Liveness"') && l.includes("statuscode: 403"))).toHaveLength(7);
    tick(71_000);
    expect(fake.exited).toHaveLength(1);
    expect(fake.exited[0]!.code).toBe(0);
    expect(journal.kubelet.some((l) => l.includes('containerMessage="Container kube-apiserver failed liveness probe, will be restarted"'))).toBe(true);
  });

  it("leaves an apiserver alone while anonymous /livez is allowed", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    const { fake, journal, tick } = setup(store);
    for (let ms = 0; ms <= 200_000; ms += 10_000) tick(ms);
    expect(fake.exited).toEqual([]);
    expect(journal.kubelet).toEqual([]);
  });
});
