import type { ContainerRecord, LogLine, SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import type { ComponentContext, ComponentOutcome } from "./components/component-context";
import { runKey, type RunRecord, type RunRecords } from "./fleet-state";
import { kindNodeSpecs } from "./node-spec";

/** Fakes for the fleet reconcilers' unit tests: a kubelet that reports given containers, and run records. */

export const CONTROL_PLANE_SPEC = kindNodeSpecs("lab", 0)[0]!;

export function containerRecord(over: Partial<ContainerRecord> & Pick<ContainerRecord, "id" | "name">): ContainerRecord {
  return {
    podSandboxId: "sandbox",
    podUid: `uid-${over.name}`,
    podName: `${over.name}-lab-control-plane`,
    namespace: "kube-system",
    attempt: 0,
    image: "registry.k8s.io/x:1",
    imageId: "sha256:0",
    state: "Running",
    createdAt: new Date(0),
    logs: [],
    ...over,
  };
}

export interface FakeKubelet {
  kubelet: SimKubelet;
  networkReady: boolean[];
  exited: Array<{ id: string; code: number; logs: string[] }>;
}

/** A kubelet that reports `containers` (and their `logs`), and records what it is told. */
export function fakeKubelet(containers: () => ContainerRecord[], logs: (id: string) => LogLine[] = () => []): FakeKubelet {
  const fake: FakeKubelet = { kubelet: null as unknown as SimKubelet, networkReady: [], exited: [] };
  const kubelet = {
    nodeName: CONTROL_PLANE_SPEC.name,
    containers,
    containerLogs: logs,
    setNetworkReady: (ready: boolean) => fake.networkReady.push(ready),
    exitContainer: (id: string, code: number, lines: string[]) => fake.exited.push({ id, code, logs: lines }),
  };
  fake.kubelet = kubelet as unknown as SimKubelet;
  return fake;
}

export function runRecord(component: RunRecord["component"], ctx: Partial<ComponentContext> = {}, outcome: Partial<ComponentOutcome> = {}): RunRecord {
  return {
    component,
    outcome: { run: { kind: "runs" }, logs: [], listen: [], ...outcome },
    ctx: {
      node: CONTROL_PLANE_SPEC,
      fs: { read: () => null, isDir: () => false },
      now: new Date(0),
      container: { name: component, image: "", command: [], args: [], volumeMounts: [] },
      volumes: [],
      etcd: { clientUrls: [], trustedCaPem: null, serverCertPem: null },
      apiserver: { serving: false, port: 6443, clientCaPem: null, servingCertPem: null },
      ...ctx,
    },
    startedAt: 0,
  };
}

export function runsFor(entries: Array<[ContainerRecord, RunRecord]>): RunRecords {
  return new Map(entries.map(([c, r]) => [runKey(c.podUid, c.name, c.attempt), r]));
}
