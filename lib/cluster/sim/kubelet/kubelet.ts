/**
 * The emulated kubelet of one sim node. It syncs the pods bound to its node (from the API and
 * from its static-pod source): network and volume checks, image pulls against the catalogue,
 * env from ConfigMaps/Secrets, container start/exit/restart with the kubelet's back-off, probes,
 * graceful termination, and writes pod status, node status and the node Lease. Every event text
 * is the one a v1.32 kubelet emits. Seams for node/ are in kubelet-seams.ts.
 *
 * This file composes the parts, each over the shared KubeletContext and the pods' runtime states
 * (pod-runtime-state.ts): node-status-manager and node-lease, image-manager, container-runtime,
 * prober-manager, pod-status-manager (with build-pod-status), static-pod-manager, pod-sync and
 * api-pod-handler. The parts call each other in cycles (a sync starts a container, its exit
 * writes status and schedules a sync), so each gets the others' functions as late-bound
 * callbacks; nothing is called before startKubelet has built them all.
 */
import type { LogRequest } from "../contracts";
import type { Pod } from "../controllers/api-types";
import { createNodeLogSource } from "./node-log-source";
import { createKubeletJournal } from "./kubelet-journal";
import { RESYNC_DELAYS, type KubeletContext, type KubeletOptions } from "./kubelet-context";
import { createImageManager } from "./image-manager";
import { PodIpAllocator } from "./pod-ip-allocator";
import { createPodStatusManager } from "./pod-status-manager";
import { createProberManager } from "./prober-manager";
import { createContainerRuntime } from "./container-runtime";
import { createStaticPodManager } from "./static-pod-manager";
import { createPodSync } from "./pod-sync";
import { createApiPodHandler } from "./api-pod-handler";
import { createNodeStatusManager } from "./node-status-manager";
import { LEASE_RENEW_MS, renewNodeLease } from "./node-lease";
import { clearContainerTimers, mirrorPodName, type PodRuntimeState } from "./pod-runtime-state";
import type { NodeImage, SimKubelet } from "./kubelet-seams";

export type { KubeletOptions } from "./kubelet-context";

/** Starts the kubelet of `nodeName`. */
export function startKubelet(opts: KubeletOptions): SimKubelet {
  const { store, clock, nodeName, hooks, network } = opts;
  const now = () => clock.now().getTime();
  const stops: (() => void)[] = [];
  const journal = createKubeletJournal(clock);
  // A kubelet cut off from the API server records no events (the real one retries, then drops them).
  const events: KubeletContext["events"] = { record: (e) => (ctx.process.apiFault ? undefined : opts.events.record(e)) };
  const ctx: KubeletContext = { store, clock, events, nodeName, hooks, network, journal, process: { running: true, stopped: false, networkReady: true, apiFault: null }, pods: new Map(), now };
  const { pods, process } = ctx;
  const nodeStatus = createNodeStatusManager(ctx);
  const ips = new PodIpAllocator();
  const podStatus = createPodStatusManager(ctx, { hostIP: () => nodeStatus.hostIP(), ips, ensureMirror: (rt) => staticPods.ensureMirror(rt) });
  const { podEvent, currentPodObject } = podStatus;
  const writeStatus = (rt: PodRuntimeState) => podStatus.write(rt);
  const writeStatusFinal = (rt: PodRuntimeState) => podStatus.writeFinal(rt);
  const imageManager = createImageManager(ctx, { podEvent, schedule, writeStatus });
  const runtime = createContainerRuntime(ctx, {
    podEvent,
    schedule,
    writeStatus,
    images: imageManager,
    hostIP: () => nodeStatus.hostIP(),
    podCidrBase: () => nodeStatus.podCidrBase(),
    currentPodObject,
    startProbes: (rt, st) => prober.start(rt, st),
  });
  const { killContainer, containerExited } = runtime;
  const podSync = createPodSync(ctx, { podEvent, writeStatus, containers: runtime, ips, hostIP: () => nodeStatus.hostIP(), podCidrBase: () => nodeStatus.podCidrBase() });
  const { terminate } = podSync;
  const staticPods = createStaticPodManager(ctx, { schedule, node: () => nodeStatus.node(), terminate, removeRuntime: (rt) => podSync.removeRuntime(rt) });
  const apiPods = createApiPodHandler(ctx, {
    podEvent,
    schedule,
    terminate,
    removeRuntime: (rt) => podSync.removeRuntime(rt),
    killContainer,
    writeStatusFinal,
    onMirrorDeleted: (p) => staticPods.onMirrorDeleted(p),
  });
  const onApiPod = apiPods.onPod;
  const prober = createProberManager(ctx, { podEvent, writeStatus, killContainer, appendLog: runtime.appendLog, render: runtime.render });

  function schedule(rt: PodRuntimeState, delayMs: number): void {
    podSync.schedule(rt, delayMs);
  }

  function kubeletStarting(): void {
    nodeStatus.announceStart();
    renewLease();
  }

  function renewLease(): void {
    renewNodeLease(ctx, nodeStatus.node());
  }

  const unwatch = store.watch("pods", {}, (e) => {
    // Without the API server the kubelet's pod informer sees nothing; it re-lists on reconnect.
    if (process.apiFault) return;
    const p = e.object as Pod;
    // The real kubelet learns of a change from its own watch, after the API server committed it
    // and sent it to every watcher; acting inside the store's notification would put the
    // kubelet's reaction (a Killing event) on other watch streams before the change itself.
    queueMicrotask(() => {
      if (e.type === "DELETED") return onApiPod(p, true);
      // Purged meanwhile (the kubelet's own final delete): the DELETED that follows is what counts.
      const cur = store.get("pods", p.metadata.namespace, p.metadata.name);
      if (cur && cur.metadata.uid === p.metadata.uid) onApiPod(p, false);
    });
  });
  stops.push(unwatch);
  if (hooks?.staticPods) stops.push(hooks.staticPods.subscribe(() => clock.after(0, () => staticPods.sync())));
  /**
   * A fresh list of the API's pods, as the informer's re-list: pods that are gone (or are another
   * pod by now) are killed, pods bound here start, and mirror pods are re-created where missing.
   */
  function relist(): void {
    for (const rt of [...pods.values()]) {
      if (rt.isStatic || rt.gone) continue;
      const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
      if (!cur || cur.metadata.uid !== rt.uid) onApiPod(rt.pod, true);
    }
    if (!process.running) return;
    for (const p of store.list("pods").items) onApiPod(p as Pod, false);
    for (const rt of pods.values()) if (rt.isStatic) staticPods.ensureMirror(rt);
    renewLease();
    nodeStatus.update(true);
  }
  /** What a kubelet whose API server does not answer logs every node-status period (v1.32's texts). */
  function logApiFault(fault: { server: string; dialError: string }): void {
    const base = fault.server.replace(/\/+$/, "");
    journal.write(
      "E",
      "controller.go:145",
      `"Failed to ensure lease exists, will retry" err="Get \\"${base}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}?timeout=10s\\": ${fault.dialError}" interval="7s"`,
    );
    // tryUpdateNodeStatus: the first try reads the node from the apiserver's cache, four more do not.
    for (let i = 0; i < 5; i++) {
      journal.write(
        "E",
        "kubelet_node_status.go:549",
        `"Error updating node status, will retry" err="error getting node \\"${nodeName}\\": Get \\"${base}/api/v1/nodes/${nodeName}?${i === 0 ? "resourceVersion=0&" : ""}timeout=10s\\": ${fault.dialError}"`,
      );
    }
    journal.write("E", "kubelet_node_status.go:536", `"Unable to update node status" err="update node status exceeds retry count"`);
  }
  // etcd switched data (apiserver clients re-list): pods that are not in the new store are killed,
  // pods of the restored store start again, and mirror pods are re-created where missing, as long
  // as the new store has this kubelet's Node (it registers only at start: an emptied store gets
  // neither the Node nor mirror pods until `systemctl restart kubelet`).
  stops.push(
    store.onReset(() => {
      if (process.stopped || process.apiFault) return;
      relist();
    }),
  );
  const unwatchNs = store.watch("namespaces", {}, () => undefined);
  stops.push(unwatchNs);
  for (const p of store.list("pods").items) onApiPod(p as Pod, false);
  kubeletStarting();
  staticPods.sync();
  stops.push(
    clock.every(LEASE_RENEW_MS, () => {
      if (process.apiFault) {
        if (process.running && !process.stopped) logApiFault(process.apiFault);
        return;
      }
      renewLease();
      nodeStatus.update(false);
    }),
  );
  // Periodic resync, as the kubelet's 1-minute sync and its static-pod file check do.
  stops.push(
    clock.every(20_000, () => {
      if (!process.running || process.stopped) return;
      staticPods.sync();
      for (const rt of pods.values()) {
        if (rt.isStatic) staticPods.ensureMirror(rt);
        if (!rt.syncCancel) schedule(rt, 10);
      }
    }),
  );

  const logs = createNodeLogSource({
    findPod: (ns, name) => [...pods.values()].find((r) => r.pod.metadata.namespace === ns && mirrorPodName(r) === name && !r.gone),
    subscribe: (id, fn) => runtime.subscribeLogs(id, fn),
  }, () => clock.now());

  const kubelet: SimKubelet = {
    nodeName,
    logs,
    setNetworkReady(ready: boolean) {
      if (process.networkReady === ready) return;
      process.networkReady = ready;
      nodeStatus.update(true);
      if (ready) for (const rt of pods.values()) schedule(rt, 10);
    },
    networkReady: () => process.networkReady,
    setApiFault(fault) {
      const was = process.apiFault;
      process.apiFault = fault;
      if (fault && process.running) logApiFault(fault);
      if (was && !fault && !process.stopped) relist();
    },
    setRunning(r: boolean) {
      if (process.running === r) return;
      process.running = r;
      if (r) {
        kubeletStarting();
        staticPods.sync();
        for (const rt of pods.values()) {
          rt.lastStatus = undefined;
          if (rt.pod.metadata.deletionTimestamp) apiPods.deleteGracefully(rt);
          else schedule(rt, 10);
        }
        if (process.apiFault) logApiFault(process.apiFault);
        else for (const p of store.list("pods").items) onApiPod(p as Pod, false);
      } else {
        journal.write("I", "kubelet.go:1670", `"Shutting down kubelet"`);
      }
    },
    running: () => process.running,
    restart() {
      runtime.resetBackoff();
      imageManager.resetBackoff();
      if (process.running) {
        process.running = false;
        kubelet.setRunning(true);
      } else kubelet.setRunning(true);
    },
    containers: () => runtime.containers(),
    sandboxes: () => runtime.sandboxes(),
    images: (): NodeImage[] => imageManager.list(),
    tagImage: (source, target, force) => imageManager.tag(source, target, force),
    pushImage: (req) => imageManager.push(req),
    containerLogs: (id: string) => runtime.containerLogs(id),
    exec: (req) => runtime.exec(req),
    execStream: (req, io) => runtime.execStream(req, io),
    attachStream: (req, io) => runtime.attachStream(req, io),
    removeContainer: (id: string) => runtime.removeContainer(id),
    stopSandbox(id: string) {
      const rt = [...pods.values()].find((r) => r.sandbox?.id === id);
      if (!rt) {
        const sb = runtime.sandboxes().find((s) => s.id === id);
        if (sb) sb.state = "NotReady";
        return;
      }
      for (const st of rt.containers.values()) if (st.current?.state === "Running") containerExited(rt, st, st.plan?.onStop.exitCode ?? 137);
      rt.sandbox!.state = "NotReady";
      if (!rt.pod.spec.hostNetwork) ips.release(rt.sandbox!.ip);
      rt.sandbox = undefined;
      podEvent(rt, undefined, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      schedule(rt, RESYNC_DELAYS.plegMs);
    },
    removeSandbox: (id: string) => runtime.removeSandbox(id),
    exitContainer: (id: string, exitCode: number, lines: string[]) => runtime.exitContainer(id, exitCode, lines),
    journal: () => journal.lines(),
    runtimeJournal: () => journal.runtimeLines(),
    stop() {
      process.stopped = true;
      for (const s of stops) s();
      runtime.stop();
      for (const rt of pods.values()) {
        rt.syncCancel?.();
        for (const st of rt.containers.values()) clearContainerTimers(st);
      }
    },
  };
  return kubelet;
}

export type { LogRequest };
