/**
 * A sim cluster without the API server: store + events + the controllers + one kubelet per node,
 * seeded as a fresh kind cluster. Tests of controllers and kubelets use it directly (no HTTP),
 * with a fast clock; sim-cluster.ts composes the same parts with the API layer and node/.
 */
import { SimClock } from "../clock";
import type { LogSource, SimComponent } from "../contracts";
import { ObjectStore } from "../store/object-store";
import { RESOURCE_TYPES } from "../store/resource-types";
import type { KubeObject } from "../store/types";
import type { SimEventRecorder } from "../events/event-recorder";
import type { ExecRequest, ExecResult, KubeletHooks, SimKubelet } from "../kubelet/kubelet-seams";
import type { PodNetwork } from "../kubelet/pod-network";
import { kindNodes } from "../bootstrap/kind-layout";
import type { SimControllers } from "./start-controllers";
import { startWorkload } from "./start-workload";

export interface WorkloadSimOptions {
  name?: string;
  workers?: number;
  timeScale?: number;
  hooks?: (node: string) => KubeletHooks | undefined;
  /** Skip the kind add-ons (CoreDNS, kube-proxy, kindnet, local-path) for quieter tests. */
  bare?: boolean;
}

export interface WorkloadSim extends SimComponent {
  store: ObjectStore;
  clock: SimClock;
  events: SimEventRecorder;
  controllers: SimControllers;
  kubelets: Map<string, SimKubelet>;
  logs: LogSource;
  network: PodNetwork;
  exec: (req: ExecRequest) => ExecResult;
  /** Polls `fn` until it returns a value other than undefined/false; throws with `what` on timeout. */
  waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Creates an object, defaulting namespace and creating the namespace if needed. */
  apply(key: string, obj: KubeObject): KubeObject;
  /** Events about an object, oldest first. */
  eventsFor(kind: string, namespace: string | undefined, name: string): KubeObject[];
}

export function startWorkloadSim(opts: WorkloadSimOptions = {}): WorkloadSim {
  const name = opts.name ?? "kind";
  const clock = new SimClock(opts.timeScale ?? 1);
  const store = new ObjectStore(RESOURCE_TYPES, () => clock.now());
  const w = startWorkload({
    store,
    clock,
    clusterName: name,
    nodes: kindNodes(name, opts.workers ?? 0),
    kubeletHooks: opts.hooks,
    withoutAddons: opts.bare,
  });
  const { events, controllers, kubelets } = w;
  return {
    store,
    clock,
    events,
    controllers,
    kubelets,
    logs: w.logs,
    network: w.network,
    exec: w.exec,
    async waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
      const end = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const v = fn();
          if (v !== undefined && v !== false) return v as T;
        } catch (err) {
          last = err;
        }
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    apply(key, obj) {
      const ns = obj.metadata.namespace;
      if (ns && !store.get("namespaces", undefined, ns)) {
        store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } }, status: { phase: "Active" } });
      }
      return store.create(key, obj);
    },
    eventsFor(kind, namespace, objName) {
      return store
        .list("events", { namespace: namespace ?? "default" })
        .items.filter((e) => {
          const io = e.involvedObject as { kind: string; name: string };
          return io.kind === kind && io.name === objName;
        })
        .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    },
    stop() {
      controllers.stop();
      for (const k of kubelets.values()) k.stop();
      events.stop();
    },
  };
}
