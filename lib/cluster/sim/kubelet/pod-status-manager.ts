/**
 * The kubelet's status manager and pod events: finds the API object a pod runtime reports to
 * (the mirror pod for a static pod), records events on it, and writes its status when it changed.
 */
import type { KubeObject } from "../store/types";
import type { Container, Pod } from "../controllers/api-types";
import { buildPodStatus } from "./build-pod-status";
import { kubeletConnected, type KubeletContext } from "./kubelet-context";
import type { PodIpAllocator } from "./pod-ip-allocator";
import { isInitContainer, mirrorPodName, type PodRuntimeState } from "./pod-runtime-state";

export interface PodStatusDeps {
  hostIP(): string;
  ips: PodIpAllocator;
  /** Re-creates a static pod's mirror pod when it is missing. */
  ensureMirror(rt: PodRuntimeState): void;
}

export interface PodStatusManager {
  /** The pod object in the API this runtime reports to (the mirror pod for static pods). */
  currentPodObject(rt: PodRuntimeState): Pod | undefined;
  podEvent(rt: PodRuntimeState, container: Container | undefined, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Writes the status if it changed; a finished pod's sandbox is torn down here. */
  write(rt: PodRuntimeState): void;
  /** The last write before a terminated pod is removed; it goes out even when the kubelet stops. */
  writeFinal(rt: PodRuntimeState): void;
}

export function createPodStatusManager(ctx: KubeletContext, deps: PodStatusDeps): PodStatusManager {
  const { store, clock, events, nodeName } = ctx;

  function currentPodObject(rt: PodRuntimeState): Pod | undefined {
    const o = store.get("pods", rt.pod.metadata.namespace, mirrorPodName(rt)) as Pod | undefined;
    if (!o) return undefined;
    if (rt.isStatic) return o.metadata.annotations?.["kubernetes.io/config.mirror"] === rt.staticHash ? o : undefined;
    return o.metadata.uid === rt.uid ? o : undefined;
  }

  return {
    currentPodObject,
    podEvent(rt, c, type, reason, message) {
      const obj: KubeObject = currentPodObject(rt) ?? rt.pod;
      events.record({
        involvedObject: obj,
        type,
        reason,
        message,
        component: "kubelet",
        host: nodeName,
        fieldPath: c ? `spec.${isInitContainer(rt, c) ? "initContainers" : "containers"}{${c.name}}` : undefined,
      });
    },
    write(rt) {
      if (!kubeletConnected(ctx)) return;
      if (rt.isStatic) deps.ensureMirror(rt);
      const cur = currentPodObject(rt);
      if (!cur) return;
      const status = buildPodStatus(rt, cur.status, clock.now(), deps.hostIP());
      if ((status.phase === "Succeeded" || status.phase === "Failed") && rt.sandbox?.state === "Ready") {
        // A finished pod's sandbox is torn down; its IP goes back to the pool (status keeps it).
        rt.sandbox.state = "NotReady";
        if (!rt.pod.spec.hostNetwork) deps.ips.release(rt.sandbox.ip);
      }
      const key = JSON.stringify(status);
      if (key === rt.lastStatus && JSON.stringify(cur.status) === key) return;
      cur.status = status;
      try {
        store.update("pods", cur, { subresource: "status", force: true });
        rt.lastStatus = key;
      } catch {
        // deleted meanwhile
      }
    },
    writeFinal(rt) {
      const cur = currentPodObject(rt);
      if (!cur) return;
      cur.status = buildPodStatus(rt, cur.status, clock.now(), deps.hostIP());
      try {
        store.update("pods", cur, { subresource: "status", force: true });
      } catch {
        // gone
      }
    },
  };
}
