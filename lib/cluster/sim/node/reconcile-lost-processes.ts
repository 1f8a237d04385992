import type { SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { klog, type EtcdEndpointState } from "./components/component-context";
import { ETCD_WAIT_MS, kubeApiserverModel } from "./components/kube-apiserver-model";
import { FORBIDDEN_EXIT_MS, forbiddenLogs } from "./components/kube-controller-model";
import { runOf, type ApiserverView, type KubeletRuntimeOps, type NodeState, type RunRecords } from "./fleet-state";

export interface LostProcessesInput {
  controlPlane: Pick<NodeState, "spec" | "kubelet" | "ops">;
  runs: RunRecords;
  api: Pick<ApiserverView, "endpoint" | "controlPlaneRbac">;
  /** etcd as the apiserver would see it when it retries (for its reconnect logs). */
  etcdState: () => EtcdEndpointState;
  now: Date;
  /** Running containers that lost what they depend on, by container id: since when (sim ms). */
  lostSince: Map<string, number>;
  /** Scheduler / controller-manager containers that have held their lease (only those can lose it). */
  hasLed: Set<string>;
}

/** The kubelet model's exitContainer, when it has one. */
export function exitFn(n: LostProcessesInput["controlPlane"]): ((id: string, code: number, logs: string[]) => void) | null {
  if (n.ops.exitContainer) return n.ops.exitContainer;
  const k = n.kubelet as (SimKubelet & Partial<KubeletRuntimeOps>) | null;
  return k?.exitContainer ? k.exitContainer.bind(k) : null;
}

/**
 * A running kube-apiserver whose etcd went away logs gRPC reconnects and exits with "context
 * deadline exceeded"; a leading scheduler or controller-manager that cannot renew its lease exits
 * with "leaderelection lost" (so they restart once), as on the real cluster. Each waits its
 * component's time from when it lost its dependency before it exits.
 */
export function reconcileLostProcesses(input: LostProcessesInput): void {
  const { controlPlane: cp, runs, api, now, lostSince, hasLed } = input;
  const exit = exitFn(cp);
  if (!exit) return;
  const t = now.getTime();
  for (const c of cp.kubelet?.containers() ?? []) {
    if (c.state !== "Running") {
      lostSince.delete(c.id);
      continue;
    }
    const r = runOf(runs, c);
    if (!r || r.outcome.run.kind !== "runs") continue;
    let lost = false;
    let limit = 0;
    let logs: (since: number) => string[] = () => [];
    if (r.component === "kube-apiserver" && api.endpoint === "etcd-unreachable") {
      lost = true;
      limit = ETCD_WAIT_MS;
      logs = (since) => {
        const failing = kubeApiserverModel({ ...r.ctx, now: new Date(since), etcd: input.etcdState() });
        return failing.logs.filter((l) => /createTransport|command failed/.test(l));
      };
    } else if ((r.component === "kube-scheduler" || r.component === "kube-controller-manager") && api.endpoint === "serving" && api.controlPlaneRbac === false) {
      // etcd now serves a store without the bootstrap RBAC: forbidden everything, then exit.
      lost = true;
      limit = FORBIDDEN_EXIT_MS;
      const component = r.component;
      logs = (since) => forbiddenLogs(component, new Date(since));
    } else if ((r.component === "kube-scheduler" || r.component === "kube-controller-manager") && api.endpoint !== "serving" && hasLed.has(c.id)) {
      lost = true;
      limit = 15_000;
      const lease = `kube-system/${r.component}`;
      logs = () => [
        klog("E", now, "leaderelection.go:429", `Failed to update lock optimistically: Put "https://${cp.spec.ip}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${r.component}?timeout=5s": dial tcp ${cp.spec.ip}:6443: connect: connection refused, falling back to slow path`),
        klog("E", now, "leaderelection.go:436", `error retrieving resource lock ${lease}: Get "https://${cp.spec.ip}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${r.component}?timeout=5s": dial tcp ${cp.spec.ip}:6443: connect: connection refused`),
        klog("I", now, "leaderelection.go:297", `failed to renew lease ${lease}: timed out waiting for the condition`),
        klog("E", now, "server.go:304", '"leaderelection lost"'),
      ];
    }
    if (!lost) {
      lostSince.delete(c.id);
      continue;
    }
    const since = lostSince.get(c.id) ?? t;
    lostSince.set(c.id, since);
    if (t - since >= limit) {
      lostSince.delete(c.id);
      hasLed.delete(c.id);
      exit(c.id, 1, logs(since));
    }
  }
}
