import type { SimClock } from "./clock";
import type { LogSource, SimComponent } from "./contracts";
import { startWorkload } from "./controllers/start-workload";
import type { SimControllers } from "./controllers/start-controllers";
import type { ExecRequest, ExecResult, KubeletHooks, SimKubelet } from "./kubelet/kubelet-seams";
import type { SimNodeSpec } from "./node/node-spec";
import type { ObjectStore } from "./store/object-store";

/**
 * The workload side of a sim cluster (kind content, events, controllers, scheduler, kubelets),
 * started by sim-cluster.ts through startWorkload (controllers/start-workload.ts). The node
 * side (node/) plugs in through `kubeletHooks` / `onKubelet`.
 */
export interface WorkloadContext {
  store: ObjectStore;
  clock: SimClock;
  clusterName: string;
  nodes: SimNodeSpec[];
  caPem: string;
  /** The CA key, for the controller-manager's CSR signer. */
  caKeyPem?: string;
  kubeletHooks?: (node: string) => KubeletHooks | undefined;
  onKubelet?: (node: string, kubelet: SimKubelet) => void;
}

export interface WorkloadComponents {
  components: SimComponent[];
  /** Pod logs, from the kubelets. */
  logs?: LogSource;
  /** Non-interactive `kubectl exec`, run by the pod's kubelet. */
  exec?: (req: ExecRequest) => ExecResult;
  kubelets: Map<string, SimKubelet>;
  /** Scheduler and controller-manager switches, driven by node/'s leader-election model. */
  controllers?: SimControllers;
}

export function startWorkloadComponents(ctx: WorkloadContext): WorkloadComponents {
  const w = startWorkload({
    store: ctx.store,
    clock: ctx.clock,
    clusterName: ctx.clusterName,
    nodes: ctx.nodes.map((n) => ({ name: n.name, role: n.role })),
    caPem: ctx.caPem,
    caKeyPem: ctx.caKeyPem,
    kubeletHooks: ctx.kubeletHooks,
    onKubelet: ctx.onKubelet,
  });
  return { components: w.components, logs: w.logs, kubelets: w.kubelets, controllers: w.controllers, exec: w.exec };
}
