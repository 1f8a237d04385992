import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerRecord } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import { RESOURCE_TYPES } from "@/lib/cluster/sim/store/resource-types";
import type { ControllerComponent } from "./components/kube-controller-model";
import { withKubeconfigAsAtStart } from "./components/kubeconfig-read-at-start";
import { nodeFs, type ApiserverView, type RunRecord } from "./fleet-state";
import { CONTROL_PLANE_SPEC, containerRecord, fakeKubelet, runRecord, runsFor } from "./fleet-test-fakes";
import { NodeLayout } from "./node-layout";
import { provisionNodes } from "./provision-node";
import { reconcileLeaderElection, type LeaderElectionState } from "./reconcile-leader-election";
import { parseStaticPodFile } from "./static-pod-file";

/** The controller models run on a provisioned node, so their kubeconfig and certificates are real. */
const now = new Date("2026-11-21T08:00:00Z");
let dir: string;
let layout: NodeLayout;
const scheduler = containerRecord({ id: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", name: "kube-scheduler" });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-leaders-"));
  await provisionNodes({ clusterName: "lab", roots: { [CONTROL_PLANE_SPEC.name]: dir }, nodes: [CONTROL_PLANE_SPEC], server: "https://127.0.0.1:40001", now: new Date(now.getTime() - 3600_000), algorithm: "ecdsa-p256" });
  layout = new NodeLayout(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function componentRun(component: ControllerComponent, edit: (cmd: string[]) => string[] = (c) => c) {
  const file = `/etc/kubernetes/manifests/${component}.yaml`;
  const parsed = parseStaticPodFile(file, fs.readFileSync(layout.host(file), "utf8"), CONTROL_PLANE_SPEC.name);
  if (!parsed.ok) throw new Error(parsed.error);
  const c = parsed.value.containers[0]!;
  return runRecord(component, { fs: nodeFs(layout), container: { ...c, command: edit(c.command) }, volumes: parsed.value.volumes });
}
const schedulerRun = () => componentRun("kube-scheduler");
const controllerManager = containerRecord({ id: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", name: "kube-controller-manager" });

function servingApi(): ApiserverView {
  const read = nodeFs(layout).read;
  return { serving: true, port: 6443, clientCaPem: read("/etc/kubernetes/pki/ca.crt"), servingCertPem: read("/etc/kubernetes/pki/apiserver.crt"), endpoint: "serving", outcome: null, run: null };
}
const downApi: ApiserverView = { serving: false, port: 6443, clientCaPem: null, servingCertPem: null, endpoint: "down", outcome: null, run: null };

function setup(containers: () => ContainerRecord[], runs = runsFor([[scheduler, schedulerRun()]])) {
  const { kubelet } = fakeKubelet(containers);
  const state: LeaderElectionState = { leaders: { "kube-scheduler": null, "kube-controller-manager": null }, leaseHolders: { "kube-scheduler": "", "kube-controller-manager": "" }, hasLed: new Set() };
  const calls: Array<[ControllerComponent, boolean]> = [];
  const store = storeWithKubeSystem();
  const run = (api: ApiserverView) =>
    reconcileLeaderElection({ controlPlane: { spec: CONTROL_PLANE_SPEC, kubelet }, runs, api, now, state, effects: { setLeader: (c, l) => calls.push([c, l]) }, store });
  return { state, calls, store, run };
}

/** A store as bootstrap leaves it for leases: kube-system exists. */
function storeWithKubeSystem(): ObjectStore {
  const store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } });
  return store;
}

describe("leader election reconciler", () => {
  it("makes a running scheduler that reaches the API the leader, once, and writes its lease", () => {
    const { state, calls, store, run } = setup(() => [scheduler]);
    run(servingApi());
    run(servingApi());
    expect(calls).toEqual([
      ["kube-scheduler", true],
      ["kube-controller-manager", false],
    ]);
    expect(state.leaseHolders["kube-scheduler"]).toBe(`${CONTROL_PLANE_SPEC.name}_01234567-89ab-cdef-0123-456789abcdef`);
    expect(state.hasLed.has(scheduler.id)).toBe(true);
    const spec = store.get("leases.coordination.k8s.io", "kube-system", "kube-scheduler")?.spec as { holderIdentity?: string } | undefined;
    expect(spec?.holderIdentity).toBe(state.leaseHolders["kube-scheduler"]);
  });

  it("withdraws the lead and the holder when the API is down", () => {
    const { state, calls, run } = setup(() => [scheduler]);
    run(servingApi());
    run(downApi);
    expect(calls.filter(([c]) => c === "kube-scheduler")).toEqual([
      ["kube-scheduler", true],
      ["kube-scheduler", false],
    ]);
    expect(state.leaseHolders["kube-scheduler"]).toBe("");
  });

  it("does not lead with no running scheduler container", () => {
    const { calls, store, run } = setup(() => [{ ...scheduler, state: "Exited" }]);
    run(servingApi());
    expect(calls).toContainEqual(["kube-scheduler", false]);
    expect(store.get("leases.coordination.k8s.io", "kube-system", "kube-scheduler")).toBeUndefined();
  });

  it("keeps the client certificate the scheduler read at start: a renewed kubeconfig counts only after a restart", () => {
    const file = "/etc/kubernetes/scheduler.conf";
    const good = fs.readFileSync(layout.host(file), "utf8");
    // Credentials from another CA (etcd's): the apiserver answers Unauthorized.
    const b64 = (p: string) => fs.readFileSync(layout.host(p)).toString("base64");
    const foreign = good
      .replace(/client-certificate-data: .*/, `client-certificate-data: ${b64("/etc/kubernetes/pki/apiserver-etcd-client.crt")}`)
      .replace(/client-key-data: .*/, `client-key-data: ${b64("/etc/kubernetes/pki/apiserver-etcd-client.key")}`);
    const { kubelet } = fakeKubelet(() => [scheduler]);
    const state: LeaderElectionState = { leaders: { "kube-scheduler": null, "kube-controller-manager": null }, leaseHolders: { "kube-scheduler": "", "kube-controller-manager": "" }, hasLed: new Set() };
    const leads = (run: RunRecord) => {
      const calls: Array<[ControllerComponent, boolean]> = [];
      reconcileLeaderElection({ controlPlane: { spec: CONTROL_PLANE_SPEC, kubelet }, runs: runsFor([[scheduler, run]]), api: servingApi(), now, state, effects: { setLeader: (c, l) => calls.push([c, l]) } });
      return state.leaders["kube-scheduler"];
    };
    const started = () => ({ ...schedulerRun(), ctx: withKubeconfigAsAtStart(schedulerRun().ctx) });
    try {
      fs.writeFileSync(layout.host(file), foreign);
      const stale = started();
      expect(leads(stale)).toBe(false);
      fs.writeFileSync(layout.host(file), good);
      expect(leads(stale)).toBe(false);
      // The restarted process reads the renewed file.
      const restarted = started();
      expect(leads(restarted)).toBe(true);
      fs.writeFileSync(layout.host(file), foreign);
      expect(leads(restarted)).toBe(true);
    } finally {
      fs.writeFileSync(layout.host(file), good);
    }
  });

  it("keeps the controllers of a controller-manager that leads and then fails to start a controller off, while its lease is written", () => {
    const badKey = componentRun("kube-controller-manager", (cmd) => cmd.map((a) => (a.startsWith("--service-account-private-key-file=") ? "--service-account-private-key-file=/etc/kubernetes/pki/sa.kye" : a)));
    const { calls, store, run } = setup(() => [controllerManager], runsFor([[controllerManager, badKey]]));
    run(servingApi());
    expect(calls).toContainEqual(["kube-controller-manager", false]);
    expect(calls).not.toContainEqual(["kube-controller-manager", true]);
    const spec = store.get("leases.coordination.k8s.io", "kube-system", "kube-controller-manager")?.spec as { holderIdentity?: string } | undefined;
    expect(spec?.holderIdentity).toBe(`${CONTROL_PLANE_SPEC.name}_fedcba98-7654-3210-fedc-ba9876543210`);
  });

  it("gives a restarted leader a new holder identity, which the lease counts as a transition", () => {
    let current = scheduler;
    const next = containerRecord({ id: "aaaaaaaabbbbbbbbccccccccdddddddd0123456789abcdef0123456789abcdef", name: "kube-scheduler", attempt: 1 });
    const { store, run } = setup(() => [current], runsFor([[scheduler, schedulerRun()], [next, schedulerRun()]]));
    run(servingApi());
    current = next;
    run(servingApi());
    const spec = store.get("leases.coordination.k8s.io", "kube-system", "kube-scheduler")?.spec as { holderIdentity?: string; leaseTransitions?: number } | undefined;
    expect(spec?.holderIdentity).toBe(`${CONTROL_PLANE_SPEC.name}_aaaaaaaa-bbbb-bbbb-cccc-ccccdddddddd`);
    expect(spec?.leaseTransitions).toBe(1);
  });
});
