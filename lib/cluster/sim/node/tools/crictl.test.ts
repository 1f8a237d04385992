import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { SimClock } from "@/lib/cluster/sim/clock";
import type { ContainerRecord, LogLine, NodeImage, SandboxRecord, SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { NodeLayout } from "../node-layout";
import { crictl } from "./crictl";
import { NodeServices } from "./node-services";
import type { NodeToolHost } from "./node-tool-host";

const NOW = new Date("2026-11-21T08:00:00Z");
class FixedClock extends SimClock {
  override now(): Date {
    return new Date(NOW);
  }
}

const hex = (short: string) => short.padEnd(64, "0");
const min = (m: number) => new Date(NOW.getTime() - m * 60_000 - 5_000);

/** The containers of fidelity/real/crictl-ps-a.txt. */
const rows: Array<[string, string, number, ContainerRecord["state"], string, number, string, string]> = [
  ["666b4843031d3", "9a22dbe1c1ea5", 4, "Running", "kube-apiserver", 12, "2e4706bd6751f", "kube-apiserver-vm"],
  ["dfe123d33d05a", "9a22dbe1c1ea5", 4.1, "Exited", "kube-apiserver", 11, "2e4706bd6751f", "kube-apiserver-vm"],
  ["329aff86eb6e2", "e528af58c0ad2", 4.2, "Running", "kube-controller-manager", 6, "8b02de0aa3d28", "kube-controller-manager-vm"],
  ["f3ec535538bbb", "7804b051dce61", 4.3, "Running", "kube-scheduler", 7, "f92e580b652b9", "kube-scheduler-vm"],
  ["e7dbf6d9feb32", "91c449bb91313", 9, "Running", "etcd", 2, "aba5a6c44a725", "etcd-vm"],
  ["1cc90d364847c", "7804b051dce61", 17, "Exited", "kube-scheduler", 6, "f92e580b652b9", "kube-scheduler-vm"],
  ["b4caeabd48e1e", "e528af58c0ad2", 17.1, "Exited", "kube-controller-manager", 5, "8b02de0aa3d28", "kube-controller-manager-vm"],
  ["aafcc16003b79", "d7938944c6924", 20, "Running", "main", 1, "be76e590a981d", "sleeper"],
  ["c7d76e6bb36c0", "4fb5080abeb8a", 20.1, "Running", "kube-proxy", 1, "4c4514e258f31", "kube-proxy-9cxvw"],
  ["71deae3d9c713", "91c449bb91313", 20.2, "Exited", "etcd", 1, "428737d83736d", "etcd-vm"],
  ["c2d50805cf163", "4fb5080abeb8a", 22, "Exited", "kube-proxy", 0, "6556ac04c2470", "kube-proxy-9cxvw"],
  ["2295cdf4bfe18", "d7938944c6924", 34, "Exited", "main", 0, "58bcf80a5f70d", "sleeper"],
];

const containers: ContainerRecord[] = rows.map(([id, img, age, state, name, attempt, pod, podName]) => ({
  id: hex(id),
  podSandboxId: hex(pod),
  podUid: "uid",
  podName,
  namespace: "kube-system",
  name,
  attempt,
  image: "x",
  imageId: `sha256:${hex(img)}`,
  state,
  createdAt: min(age),
  logs: [],
}));

const sandboxes: SandboxRecord[] = [
  ["aba5a6c44a725", 9, "Ready", "etcd-vm", "kube-system", 2],
  ["be76e590a981d", 20, "Ready", "sleeper", "default", 1],
].map(([id, age, state, podName, namespace, attempt]) => ({
  id: hex(String(id)),
  podUid: "u",
  podName: String(podName),
  namespace: String(namespace),
  attempt: Number(attempt),
  createdAt: min(Number(age)),
  state: state as "Ready",
  ip: "10.244.0.2",
}));

const images: NodeImage[] = [
  { ref: "docker.io/library/busybox:1.36", id: `sha256:${hex("120dfcd7357e5")}`, size: 2_000_000 },
  { ref: "registry.k8s.io/pause:3.6", id: `sha256:${hex("084e28e858d6f")}`, size: 695_000 },
];

function fakeKubelet(): SimKubelet {
  const k = {
    nodeName: "vm",
    setNetworkReady: () => {},
    networkReady: () => true,
    setRunning: () => {},
    running: () => true,
    restart: () => {},
    containers: () => containers,
    sandboxes: () => sandboxes,
    images: () => images,
    containerLogs: (id: string): LogLine[] => (id === containers[0]!.id ? [{ time: NOW, stream: "stderr", text: "I1121 07:56:00.000000       1 server.go:142] Version: v1.32.2" }] : []),
    journal: () => [],
    logs: { read: () => "", follow: () => {} },
    stop: () => {},
    removeContainer: () => {},
    stopSandbox: () => {},
    removeSandbox: () => {},
    exitContainer: () => {},
  };
  return k as SimKubelet;
}

function host(): NodeToolHost {
  const clock = new FixedClock();
  return {
    node: { name: "vm", role: "control-plane", ip: "192.0.2.2", podCidr: "10.244.0.0/24" },
    layout: new NodeLayout("/nonexistent"),
    clock,
    kubelet: fakeKubelet(),
    services: new NodeServices(clock, { onKubelet: () => {}, onContainerd: () => {} }),
    listeners: () => [],
    extraJournal: () => [],
    etcd: () => null,
    apiReachable: () => true,
  };
}

async function run(h: NodeToolHost, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await crictl(h, { tool: "crictl", argv, env: {}, cwd: "/" }, { out: (s) => (out += s), err: (s) => (err += s), signal: new AbortController().signal });
  return { code, out, err };
}

describe("crictl", () => {
  it("prints ps -a exactly in the columns and id format of a real node", async () => {
    const real = fs.readFileSync("/work/shared/fidelity/real/crictl-ps-a.txt", "utf8").split("\n").slice(1).join("\n");
    const r = await run(host(), ["ps", "-a"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(real);
  });

  it("shows only running containers without -a, and filters by --name", async () => {
    const r = await run(host(), ["ps", "--name", "kube-apiserver"]);
    expect(r.out.trim().split("\n")).toHaveLength(2);
    expect(r.out).toContain("666b4843031d3");
    expect(r.out).not.toContain("dfe123d33d05a");
  });

  it("lists pods and images in crictl's columns", async () => {
    const pods = await run(host(), ["pods"]);
    expect(pods.out.split("\n")[0]).toBe("POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME");
    expect(pods.out).toContain("aba5a6c44a725       9 minutes ago       Ready               etcd-vm             kube-system         2                   (default)");
    const imgs = await run(host(), ["images"]);
    expect(imgs.out).toContain("docker.io/library/busybox   1.36                120dfcd7357e5       2MB");
    expect(imgs.out).toContain("registry.k8s.io/pause       3.6                 084e28e858d6f       695kB");
  });

  it("reads logs by id prefix and fails like crictl on an unknown id", async () => {
    const ok = await run(host(), ["logs", "666b48"]);
    expect(ok.err).toContain("Version: v1.32.2");
    const bad = await run(host(), ["logs", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('FATA[0000] rpc error: code = NotFound desc = an error occurred when try to find container "nope": not found');
  });

  it("cannot reach the runtime while containerd is stopped", async () => {
    const h = host();
    h.services.stop("containerd");
    const r = await run(h, ["ps"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock"');
  });
});
