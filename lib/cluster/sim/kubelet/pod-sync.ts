/**
 * The kubelet's pod workers (pod_workers.go, kubelet.go SyncPod): one sync at a time per pod,
 * scheduled on the SimClock; a sync checks the network and volumes, creates the sandbox (with
 * its IP), runs init containers in order and then starts or restarts the app containers by the
 * restart policy. Termination stops every running container within the grace period.
 */
import { isoTime, randomHex } from "../controllers/object-helpers";
import { resolveVolumes } from "./container-config";
import type { ContainerRuntime } from "./container-runtime";
import { kubeletActive, RESYNC_DELAYS, type KubeletContext, type PodActions } from "./kubelet-context";
import { NETWORK_NOT_READY_MESSAGE } from "./node-status-manager";
import type { PodIpAllocator } from "./pod-ip-allocator";
import { clearContainerTimers, containerStateOf, mirrorPodName, type PodRuntimeState } from "./pod-runtime-state";

/** How long a sync waits after a volume that cannot be set up (a missing ConfigMap or Secret). */
const FAILED_MOUNT_RESYNC_MS = 15_000;
/** How long a sync waits for a PersistentVolumeClaim to bind. */
const UNBOUND_CLAIM_RESYNC_MS = 2_000;

export interface PodSyncDeps extends Pick<PodActions, "podEvent" | "writeStatus"> {
  containers: Pick<ContainerRuntime, "addSandbox" | "startContainer" | "killContainer" | "removePodRecords">;
  ips: PodIpAllocator;
  hostIP(): string;
  podCidrBase(): string;
}

export interface PodSync {
  /** Syncs the pod after `delayMs`, unless a sync is already due sooner. */
  schedule(rt: PodRuntimeState, delayMs: number): void;
  /** Stops the pod's running containers with `graceMs`, then marks it gone and calls `then`. */
  terminate(rt: PodRuntimeState, graceMs: number, then: () => void): void;
  /** The pod is gone: forget it; the container GC removes its dead containers and sandboxes. */
  removeRuntime(rt: PodRuntimeState): void;
}

export function createPodSync(ctx: KubeletContext, deps: PodSyncDeps): PodSync {
  const { store, clock, journal, pods } = ctx;
  const { podEvent, writeStatus, containers, ips } = deps;

  function schedule(rt: PodRuntimeState, delayMs: number): void {
    const at = ctx.now() + delayMs;
    if (rt.syncCancel && rt.syncAt !== undefined && rt.syncAt <= at) return;
    rt.syncCancel?.();
    rt.syncAt = at;
    rt.syncCancel = clock.after(delayMs, () => {
      rt.syncCancel = undefined;
      rt.syncAt = undefined;
      syncPod(rt);
    });
  }

  function syncPod(rt: PodRuntimeState): void {
    if (!kubeletActive(ctx) || !pods.has(rt.uid)) return;
    if (rt.terminating) return;
    const pod = rt.pod;
    rt.startTime ??= isoTime(clock.now());
    if (!rt.sandbox) {
      if (!pod.spec.hostNetwork && !ctx.process.networkReady) {
        podEvent(rt, undefined, "Warning", "NetworkNotReady", `network is not ready: ${NETWORK_NOT_READY_MESSAGE}`);
        journal.write("E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="network is not ready: ${NETWORK_NOT_READY_MESSAGE}" pod="${pod.metadata.namespace}/${pod.metadata.name}" podUID="${rt.uid}"`);
        writeStatus(rt);
        schedule(rt, RESYNC_DELAYS.errorMs);
        return;
      }
      const vols = resolveVolumes(store, pod);
      if (!vols.ok) {
        podEvent(rt, undefined, "Warning", "FailedMount", `MountVolume.SetUp failed for volume "${vols.volume}" : ${vols.message}`);
        writeStatus(rt);
        schedule(rt, FAILED_MOUNT_RESYNC_MS);
        return;
      }
      for (const v of pod.spec.volumes ?? []) {
        if (!v.persistentVolumeClaim) continue;
        const pvc = store.get("persistentvolumeclaims", pod.metadata.namespace, v.persistentVolumeClaim.claimName);
        if ((pvc?.status as { phase?: string } | undefined)?.phase !== "Bound") {
          writeStatus(rt);
          schedule(rt, UNBOUND_CLAIM_RESYNC_MS);
          return;
        }
      }
      const attempt = rt.sandboxes.length;
      if (attempt === 0) journal.write("I", "kuberuntime_manager.go:1050", `"No sandbox for pod can be found. Need to start a new one" pod="${pod.metadata.namespace}/${pod.metadata.name}"`);
      const sandboxMeta = `&PodSandboxMetadata{Name:${mirrorPodName(rt)},Uid:${rt.uid},Namespace:${pod.metadata.namespace},Attempt:${attempt},}`;
      journal.runtime("info", `RunPodSandbox for ${sandboxMeta}`);
      for (const old of rt.sandboxes) old.state = "NotReady";
      rt.sandbox = {
        id: randomHex(64),
        podUid: rt.uid,
        podName: mirrorPodName(rt),
        namespace: pod.metadata.namespace,
        attempt,
        createdAt: clock.now(),
        state: "Ready",
        ip: pod.spec.hostNetwork ? deps.hostIP() : ips.allocate(deps.podCidrBase()),
      };
      rt.sandboxes.push(rt.sandbox);
      containers.addSandbox(rt.sandbox);
      journal.runtime("info", `RunPodSandbox for ${sandboxMeta} returns sandbox id "${rt.sandbox.id}"`);
      journal.write("I", "kubelet.go:2468", `"SyncLoop (PLEG): event for pod" pod="${pod.metadata.namespace}/${mirrorPodName(rt)}" event={"ID":"${rt.uid}","Type":"ContainerStarted","Data":"${rt.sandbox.id}"}`);
      // RunPodSandbox (network setup, pause container) takes a moment: the pod shows ContainerCreating.
      writeStatus(rt);
      schedule(rt, RESYNC_DELAYS.sandboxMs);
      return;
    }
    const policy = pod.spec.restartPolicy ?? "Always";
    for (const c of pod.spec.initContainers ?? []) {
      const st = containerStateOf(rt, c, true);
      const cur = st.current;
      if (st.pulling || cur?.state === "Running") {
        writeStatus(rt);
        return;
      }
      if (cur?.state === "Exited" && cur.exitCode === 0) continue;
      if (cur?.state === "Exited" && policy === "Never") {
        writeStatus(rt);
        return;
      }
      containers.startContainer(rt, st);
      writeStatus(rt);
      return;
    }
    for (const c of pod.spec.containers) {
      const st = containerStateOf(rt, c, false);
      const cur = st.current;
      if (st.pulling || cur?.state === "Running") continue;
      if (cur?.state === "Exited") {
        const restart = policy === "Always" || (policy === "OnFailure" && cur.exitCode !== 0);
        if (!restart) continue;
      }
      containers.startContainer(rt, st);
    }
    writeStatus(rt);
  }

  function terminate(rt: PodRuntimeState, graceMs: number, then: () => void): void {
    if (rt.terminating) return;
    rt.terminating = true;
    rt.syncCancel?.();
    const runningStates = [...rt.containers.values()].filter((s) => s.current?.state === "Running");
    let left = runningStates.length;
    const finish = () => {
      rt.gone = true;
      for (const st of rt.containers.values()) {
        clearContainerTimers(st);
        st.pulling = false;
        st.waiting = undefined;
      }
      if (rt.sandbox) {
        rt.sandbox.state = "NotReady";
        journal.runtime("info", `StopPodSandbox for "${rt.sandbox.id}"`);
        if (!rt.pod.spec.hostNetwork) journal.runtime("info", `TearDown network for sandbox "${rt.sandbox.id}" successfully`);
        journal.runtime("info", `StopPodSandbox for "${rt.sandbox.id}" returns successfully`);
      }
      if (rt.sandbox && !rt.pod.spec.hostNetwork) ips.release(rt.sandbox.ip);
      then();
    };
    if (!left) {
      finish();
      return;
    }
    for (const st of runningStates) {
      podEvent(rt, st.spec, "Normal", "Killing", `Stopping container ${st.spec.name}`);
      containers.killContainer(rt, st, graceMs, () => {
        if (--left === 0) finish();
      });
    }
    writeStatus(rt);
  }

  function removeRuntime(rt: PodRuntimeState): void {
    pods.delete(rt.uid);
    rt.syncCancel?.();
    containers.removePodRecords(rt);
  }

  return { schedule, terminate, removeRuntime };
}
