import { authorizeRequest } from "@/lib/cluster/sim/api/rbac/authorize-request";
import type { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import { klog } from "./components/component-context";
import type { ApiserverView, NodeState, RunRecord } from "./fleet-state";
import { exitFn } from "./reconcile-lost-processes";

/** kubeadm's kube-apiserver livenessProbe: GET https://<ip>:6443/livez every 10 s, 8 failures. */
const LIVENESS_PERIOD_MS = 10_000;
const LIVENESS_FAILURES = 8;

export interface ApiserverStartState {
  /** The apiserver run whose post-start hooks have run. */
  bootstrapped: RunRecord | null;
  /** By container id: when its liveness probe first failed (sim ms), and how many failures it logged. */
  livenessFailing: Map<string, { since: number; logged: number }>;
}

export interface ApiserverStartInput {
  controlPlane: Pick<NodeState, "spec" | "kubelet" | "ops" | "journal">;
  api: Pick<ApiserverView, "endpoint" | "run">;
  store: ObjectStore | undefined;
  now: Date;
  state: ApiserverStartState;
  /** The apiserver's rbac/bootstrap-roles post-start hook (reconcileBootstrapPolicy on its store). */
  postStart: () => void;
}

/** The kubelet's probe is anonymous: may system:anonymous GET /livez in the store etcd serves now? */
function anonymousLivezAllowed(store: ObjectStore): boolean {
  return authorizeRequest(store, { user: "system:anonymous", groups: ["system:unauthenticated"], verb: "get", resourceRequest: false, path: "/livez" }).allowed;
}

/**
 * Two things that happen around a kube-apiserver start on a kubeadm node:
 * - Each new apiserver run, once it reaches etcd, runs its post-start hooks; `rbac/bootstrap-roles`
 *   (re)creates the default ClusterRoles and bindings. Only at start: a store that goes empty
 *   under a running apiserver stays without them.
 * - The kubelet's liveness probe of /livez carries no credentials, so RBAC judges it as
 *   system:anonymous, allowed only through the `system:public-info-viewer` binding. Without it
 *   (an emptied etcd) the probe gets 403; after 8 failures the kubelet kills the apiserver, and
 *   the restarted one's post-start hook brings the default policy back.
 */
export function reconcileApiserverStart(input: ApiserverStartInput): void {
  const { controlPlane: cp, api, store, now, state } = input;
  if (api.endpoint !== "serving" || !api.run) {
    state.livenessFailing.clear();
    return;
  }
  if (state.bootstrapped !== api.run) {
    state.bootstrapped = api.run;
    input.postStart();
  }
  if (!store) return;
  const container = cp.kubelet?.containers().find((c) => c.state === "Running" && c.name === "kube-apiserver");
  if (!container) return;
  if (anonymousLivezAllowed(store)) {
    state.livenessFailing.delete(container.id);
    return;
  }
  const t = now.getTime();
  const failing = state.livenessFailing.get(container.id) ?? { since: t, logged: 0 };
  state.livenessFailing.set(container.id, failing);
  const pod = `${container.namespace}/${container.podName}`;
  const failures = Math.min(LIVENESS_FAILURES, 1 + Math.floor((t - failing.since) / LIVENESS_PERIOD_MS));
  for (; failing.logged < failures; failing.logged++) {
    cp.journal.kubelet.push(
      klog("I", now, "prober.go:107", `"Probe failed" probeType="Liveness" pod="${pod}" podUID="${container.podUid}" containerName="kube-apiserver" probeResult="failure" output="HTTP probe failed with statuscode: 403"`),
    );
  }
  if (failures < LIVENESS_FAILURES) return;
  const exit = exitFn(cp);
  if (!exit) return;
  state.livenessFailing.delete(container.id);
  cp.journal.kubelet.push(
    klog("I", now, "kuberuntime_manager.go:1066", `"Message for Container of pod" containerName="kube-apiserver" containerStatusID={"Type":"containerd","ID":"${container.id}"} pod="${pod}" containerMessage="Container kube-apiserver failed liveness probe, will be restarted"`),
    klog("I", now, "kuberuntime_container.go:809", `"Killing container with a grace period" pod="${pod}" podUID="${container.podUid}" containerName="kube-apiserver" containerID="containerd://${container.id}" gracePeriod=30`),
  );
  // SIGTERM: the apiserver shuts down gracefully and exits 0.
  exit(container.id, 0, [klog("I", now, "genericapiserver.go:1083", `"[graceful-termination] shutdown event" name="ShutdownInitiated"`)]);
}
