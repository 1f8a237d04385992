/**
 * How the kubelet follows the pods bound to its node in the API (the apiserver pod source and
 * HandlePodAdditions/Updates/Removals): a new pod gets a runtime and a sync, a changed container
 * spec restarts that container, a deletion timestamp starts graceful termination and the pod is
 * purged once its containers stopped, a finished pod is not started again.
 */
import type { Pod } from "../controllers/api-types";
import type { ContainerRuntime } from "./container-runtime";
import type { KubeletContext, PodActions } from "./kubelet-context";
import { newPodRuntimeState, terminationGraceMs, type PodRuntimeState } from "./pod-runtime-state";
import type { PodSync } from "./pod-sync";
import { isMirrorPod } from "./static-pod-manager";

export interface ApiPodDeps extends Pick<PodActions, "podEvent" | "schedule">, Pick<PodSync, "terminate" | "removeRuntime"> {
  killContainer: ContainerRuntime["killContainer"];
  /** The last status write of a terminated pod. */
  writeStatusFinal(rt: PodRuntimeState): void;
  onMirrorDeleted(mirror: Pod): void;
}

export interface ApiPodHandler {
  /** A pod was added, changed or (`deleted`) removed in the API, or re-listed. */
  onPod(p: Pod, deleted: boolean): void;
  /** Stops the pod's containers within its deletion grace period, then purges it. */
  deleteGracefully(rt: PodRuntimeState): void;
}

/** Where v1.32's kubelet.go logs each SyncLoop operation. */
const SYNC_LOOP_SOURCE = { ADD: "kubelet.go:2430", UPDATE: "kubelet.go:2436", DELETE: "kubelet.go:2446", REMOVE: "kubelet.go:2440" } as const;

export function createApiPodHandler(ctx: KubeletContext, deps: ApiPodDeps): ApiPodHandler {
  const { store, nodeName, pods, journal } = ctx;
  // The kubelet's config source logs each pod change it hands to the sync loop (kubelet.go, v=2).
  const syncLoop = (op: "ADD" | "UPDATE" | "DELETE" | "REMOVE", p: Pod) =>
    journal.write("I", SYNC_LOOP_SOURCE[op], `"SyncLoop ${op}" source="api" pods=["${p.metadata.namespace}/${p.metadata.name}"]`);
  const { podEvent, schedule, terminate, removeRuntime, killContainer, writeStatusFinal, onMirrorDeleted } = deps;

  function onApiPod(p: Pod, deleted: boolean): void {
    if (ctx.process.stopped) return;
    if (isMirrorPod(p)) {
      if (deleted) onMirrorDeleted(p);
      return;
    }
    if (p.spec?.nodeName !== nodeName) return;
    const rt = pods.get(p.metadata.uid);
    if (deleted) {
      syncLoop("REMOVE", p);
      if (rt) terminate(rt, 0, () => removeRuntime(rt));
      return;
    }
    if (!rt) {
      if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") {
        if (p.metadata.deletionTimestamp && ctx.process.running) store.purge("pods", p.metadata.namespace, p.metadata.name);
        return;
      }
      const nrt = newPodRuntimeState(p, p.metadata.uid);
      pods.set(p.metadata.uid, nrt);
      syncLoop("ADD", p);
      if (p.metadata.deletionTimestamp) {
        deleteGracefully(nrt);
        return;
      }
      schedule(nrt, 10);
      return;
    }
    const wasDeleting = Boolean(rt.pod.metadata.deletionTimestamp);
    rt.pod = p;
    if (p.metadata.deletionTimestamp) {
      if (!wasDeleting) syncLoop("DELETE", p);
      deleteGracefully(rt);
      return;
    }
    if (applySpecChanges(rt)) syncLoop("UPDATE", p);
  }

  /** `kubectl set image` / `kubectl edit` on a pod: a changed container is restarted with its new spec. */
  function applySpecChanges(rt: PodRuntimeState): boolean {
    let changed = false;
    for (const st of rt.containers.values()) {
      const next = (st.init ? rt.pod.spec.initContainers : rt.pod.spec.containers)?.find((c) => c.name === st.spec.name);
      if (!next || JSON.stringify(next) === JSON.stringify(st.spec)) continue;
      st.spec = next;
      changed = true;
      if (st.current?.state === "Running") {
        podEvent(rt, next, "Normal", "Killing", `Container ${next.name} definition changed, will be restarted`);
        killContainer(rt, st, terminationGraceMs(rt));
      } else {
        st.lastPullFailAt = undefined;
        st.lastPullError = undefined;
      }
    }
    if (changed && ctx.process.running) schedule(rt, 10);
    return changed;
  }

  function deleteGracefully(rt: PodRuntimeState): void {
    if (!ctx.process.running) return;
    const grace = (rt.pod.metadata.deletionGracePeriodSeconds ?? rt.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    terminate(rt, grace, () => {
      writeStatusFinal(rt);
      const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
      if (cur && cur.metadata.uid === rt.uid) store.purge("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
      removeRuntime(rt);
    });
  }

  return { onPod: onApiPod, deleteGracefully };
}
