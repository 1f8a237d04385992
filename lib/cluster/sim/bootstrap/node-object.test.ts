import os from "node:os";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kindNodeSpecs, SIM_VERSIONS, type SimNodeSpec } from "../node/node-spec";
import type { KubeObject } from "../store/types";
import { CONTAINERD_VERSION, KERNEL_VERSION, KUBERNETES_VERSION, OS_IMAGE, kindNodes, type KindNode } from "./kind-layout";
import { hostNodeMachine, kindNodeMachine } from "./node-machine";
import { nodeObject } from "./node-object";
import { kindClusterObjects } from "./seed-kind-cluster";

const now = new Date("2026-11-21T08:00:00.456Z");
const [cp, worker] = kindNodeSpecs("lab", 1) as [SimNodeSpec, SimNodeSpec];

type Status = { conditions: Array<Record<string, string>>; nodeInfo: Record<string, string>; images?: unknown[] };
const statusOf = (o: KubeObject) => o.status as Status;
const taintsOf = (o: KubeObject) => (o.spec as { taints?: unknown[] }).taints;

describe("Node object", () => {
  it("labels and taints a control-plane node as kubeadm does, and a worker not", () => {
    const machine = kindNodeMachine();
    const c = nodeObject({ cluster: "lab", node: cp, machine, controlPlaneTaint: true });
    const w = nodeObject({ cluster: "lab", node: worker, machine, controlPlaneTaint: true });
    expect(c.metadata.labels).toMatchObject({ "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "lab-control-plane" });
    expect(taintsOf(c)).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
    expect(w.metadata.labels).not.toHaveProperty("node-role.kubernetes.io/control-plane");
    expect(taintsOf(w)).toBeUndefined();
    expect(c.spec).toMatchObject({ podCIDR: "10.244.0.0/24", podCIDRs: ["10.244.0.0/24"], providerID: "kind://docker/lab/lab-control-plane" });
  });

  it("leaves the control plane schedulable when asked (kind with no workers)", () => {
    expect(taintsOf(nodeObject({ cluster: "lab", node: cp, machine: kindNodeMachine(), controlPlaneTaint: false }))).toBeUndefined();
  });

  it("has no conditions until the kubelet posts a status, then the four healthy ones stamped with that time", () => {
    const registered = nodeObject({ cluster: "lab", node: cp, machine: kindNodeMachine(), controlPlaneTaint: true });
    expect(statusOf(registered).conditions).toEqual([]);
    expect(statusOf(registered)).not.toHaveProperty("images");
    const healthy = nodeObject({ cluster: "lab", node: cp, machine: kindNodeMachine(), controlPlaneTaint: true, healthyAt: now });
    expect(statusOf(healthy).conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True"]);
    expect(new Set(statusOf(healthy).conditions.map((c) => c.lastHeartbeatTime))).toEqual(new Set(["2026-11-21T08:00:00Z"]));
    expect(statusOf(healthy).images).toEqual([]);
  });

  it("reports the machine it is given in capacity, allocatable and nodeInfo", () => {
    const m = { ...kindNodeMachine(), cpu: "3", memory: "1000Ki", ephemeralStorage: "2000Ki", kernelVersion: "6.1.0" };
    const o = nodeObject({ cluster: "lab", node: worker, machine: m, controlPlaneTaint: true });
    const status = o.status as { capacity: Record<string, string>; allocatable: Record<string, string>; nodeInfo: Record<string, string> };
    expect(status.capacity).toEqual({ cpu: "3", "ephemeral-storage": "2000Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: "1000Ki", pods: "110" });
    expect(status.allocatable).toEqual(status.capacity);
    expect(status.nodeInfo).toMatchObject({ kernelVersion: "6.1.0", machineID: m.machineID, bootID: m.bootID, systemUUID: m.systemUUID, kubeletVersion: SIM_VERSIONS.kubernetes });
  });
});

/**
 * The two builders this one replaced, kept verbatim so the callers' objects can be compared with
 * what they produced before: kind's bootstrap content and the sim cluster's fallback registration.
 */
function hex(n: number): string {
  return randomUUID().replace(/-/g, "").repeat(2).slice(0, n);
}

function previousSeedNodeObject(cluster: string, n: KindNode, hasWorkers: boolean): KubeObject {
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
  };
  if (n.role === "control-plane") {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  const machineId = hex(32);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels,
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      providerID: `kind://docker/${cluster}/${n.name}`,
      // kind keeps the control-plane taint only when there are workers to run workloads.
      ...(n.role === "control-plane" && hasWorkers ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } : {}),
    },
    status: {
      capacity: { cpu: "8", "ephemeral-storage": "263112772Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: "32827152Ki", pods: "110" },
      allocatable: { cpu: "8", "ephemeral-storage": "263112772Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: "32827152Ki", pods: "110" },
      addresses: [
        { type: "InternalIP", address: n.internalIP },
        { type: "Hostname", address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: "amd64",
        bootID: randomUUID(),
        containerRuntimeVersion: CONTAINERD_VERSION,
        kernelVersion: KERNEL_VERSION,
        kubeProxyVersion: KUBERNETES_VERSION,
        kubeletVersion: KUBERNETES_VERSION,
        machineID: machineId,
        operatingSystem: "linux",
        osImage: OS_IMAGE,
        systemUUID: randomUUID(),
      },
      conditions: [],
    },
  };
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function previousSimClusterNodeObject(cluster: string, n: SimNodeSpec, now: Date): KubeObject {
  const cp = n.role === "control-plane";
  const t = iso(now);
  const memKi = `${Math.floor(os.totalmem() / 1024)}Ki`;
  const cpu = String(os.cpus().length || 2);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        ...(cp ? { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {}),
      },
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: n.podCidr,
      podCIDRs: [n.podCidr],
      providerID: `kind://docker/${cluster}/${n.name}`,
      ...(cp ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } : {}),
    },
    status: {
      capacity: { cpu, "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: memKi, pods: "110" },
      allocatable: { cpu, "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: memKi, pods: "110" },
      conditions: [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        { type: "InternalIP", address: n.ip },
        { type: "Hostname", address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: os.release(),
        osImage: "Debian GNU/Linux 12 (bookworm)",
        containerRuntimeVersion: `containerd://${SIM_VERSIONS.containerd}`,
        kubeletVersion: SIM_VERSIONS.kubernetes,
        kubeProxyVersion: SIM_VERSIONS.kubernetes,
        operatingSystem: "linux",
        architecture: "amd64",
      },
      images: [],
    },
  };
}

/** Random ids differ between any two calls; compare them by shape. */
function withoutIds(o: KubeObject): KubeObject {
  const copy = structuredClone(o);
  const info = statusOf(copy).nodeInfo;
  for (const k of ["machineID", "systemUUID", "bootID"]) {
    expect(info[k]).toMatch(k === "machineID" ? /^[0-9a-f]{32}$/ : /^[0-9a-f-]{36}$/);
    info[k] = "<id>";
  }
  return copy;
}

describe("Node objects of the callers, compared with the builders they replace", () => {
  it("kind's bootstrap content has the same Nodes, key order included, with or without workers", () => {
    for (const workers of [0, 2]) {
      const seeded = kindClusterObjects({ name: "lab", workers, now }).filter((e) => e.key === "nodes").map((e) => withoutIds(e.obj));
      const before = kindNodes("lab", workers).map((n) => withoutIds(previousSeedNodeObject("lab", n, workers > 0)));
      expect(JSON.stringify(seeded)).toBe(JSON.stringify(before));
    }
  });

  it("the sim cluster's fallback registration has the same Nodes (host machine, healthy now)", () => {
    for (const n of [cp, worker]) {
      const after = nodeObject({ cluster: "lab", node: n, machine: hostNodeMachine(), controlPlaneTaint: true, healthyAt: now });
      expect(after).toEqual(previousSimClusterNodeObject("lab", n, now));
    }
  });
});
