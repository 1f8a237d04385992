/**
 * The emulated kubelet of one sim node. It syncs the pods bound to its node (from the API and
 * from its static-pod source): network and volume checks, image pulls against the catalogue,
 * env from ConfigMaps/Secrets, container start/exit/restart with the kubelet's back-off, probes,
 * graceful termination, and writes pod status, node status and the node Lease. Every event text
 * is the one a v1.32 kubelet emits. Seams for node/ are in kubelet-seams.ts.
 */
import type { SimClock } from "../clock";
import type { EventRecorder, LogRequest } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import type { Pod } from "../controllers/api-types";
import { bytesOf, isoTime, randomHex } from "../controllers/object-helpers";
import { planContainer, renderLogLine, type RunPlan } from "../catalogue/app-behaviour";
import { Backoff, goDuration } from "./backoff";
import { containerFiles, resolveEnv, resolveVolumes } from "./container-config";
import { podRef } from "./pod-status";
import { createNodeLogSource } from "./node-log-source";
import { createKubeletJournal } from "./kubelet-journal";
import { RESYNC_DELAYS, type KubeletContext } from "./kubelet-context";
import { createImageManager } from "./image-manager";
import { PodIpAllocator } from "./pod-ip-allocator";
import { createPodStatusManager } from "./pod-status-manager";
import { createProberManager } from "./prober-manager";
import { createNodeStatusManager, NETWORK_NOT_READY_MESSAGE } from "./node-status-manager";
import { LEASE_RENEW_MS, renewNodeLease } from "./node-lease";
import { clearContainerTimers, containerStateOf, mirrorPodName, newPodRuntimeState, type ContainerRuntimeState, type NodeImageRecord, type PodRuntimeState } from "./pod-runtime-state";
import type { ContainerRecord, ExecRequest, ExecResult, KubeletHooks, LogLine, NodeImage, SandboxRecord, SimKubelet } from "./kubelet-seams";
import { badRequest, StatusError } from "../store/status-error";
import type { PodNetwork } from "./pod-network";
import type { NetView } from "../catalogue/app-behaviour";

export interface KubeletOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  nodeName: string;
  hooks?: KubeletHooks;
  /** The cluster's pod network model; without it containers reach nothing. */
  network?: PodNetwork;
}

const MAX_LOG_LINES = 5000;
/** Lines the interpreted tools write to stderr. */
const STDERR_LINE = /^(sh: |cat: |ls: |wget: |nc: |curl: |sleep: |Error)/;

/** Starts the kubelet of `nodeName`. */
export function startKubelet(opts: KubeletOptions): SimKubelet {
  const { store, clock, events, nodeName, hooks, network } = opts;
  const now = () => clock.now().getTime();
  const crashBackoff = new Backoff(now);
  const stops: (() => void)[] = [];
  const journal = createKubeletJournal(clock);
  const ctx: KubeletContext = { store, clock, events, nodeName, hooks, network, journal, process: { running: true, stopped: false, networkReady: true }, pods: new Map(), now };
  const { pods, process } = ctx;
  const nodeStatus = createNodeStatusManager(ctx);
  const ips = new PodIpAllocator();
  const podStatus = createPodStatusManager(ctx, { hostIP: () => nodeStatus.hostIP(), ips, ensureMirror: (rt) => ensureMirror(rt) });
  const { podEvent, currentPodObject } = podStatus;
  const writeStatus = (rt: PodRuntimeState) => podStatus.write(rt);
  const writeStatusFinal = (rt: PodRuntimeState) => podStatus.writeFinal(rt);
  const imageManager = createImageManager(ctx, { podEvent, schedule, writeStatus });
  const prober = createProberManager(ctx, { podEvent, writeStatus, killContainer: (rt, st, graceMs) => killContainer(rt, st, graceMs), appendLog: (rec, text) => appendLog(rec, text), render: (rt, line) => render(rt, line) });
  const logSubscribers = new Map<string, Set<(l: LogLine) => void>>();
  const sandboxesAll: SandboxRecord[] = [];
  const containersAll: ContainerRecord[] = [];

  function kubeletStarting(): void {
    nodeStatus.announceStart();
    renewLease();
  }

  function renewLease(): void {
    renewNodeLease(ctx, nodeStatus.node());
  }

  // ---------- pod events & status ----------

  // ---------- scheduling syncs ----------

  function schedule(rt: PodRuntimeState, delayMs: number): void {
    const at = now() + delayMs;
    if (rt.syncCancel && rt.syncAt !== undefined && rt.syncAt <= at) return;
    rt.syncCancel?.();
    rt.syncAt = at;
    rt.syncCancel = clock.after(delayMs, () => {
      rt.syncCancel = undefined;
      rt.syncAt = undefined;
      syncPod(rt);
    });
  }

  // ---------- container lifecycle ----------

  function appendLog(rec: ContainerRecord, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    const line: LogLine = { time: clock.now(), stream, text };
    rec.logs.push(line);
    if (rec.logs.length > MAX_LOG_LINES) rec.logs.splice(0, rec.logs.length - MAX_LOG_LINES);
    for (const fn of logSubscribers.get(rec.id) ?? []) fn(line);
  }

  function render(rt: PodRuntimeState, line: string): string {
    return renderLogLine(line, clock.now(), {
      podIP: rt.sandbox?.ip ?? "",
      hostIP: nodeStatus.hostIP(),
      hostname: rt.pod.metadata.name,
      nodeName,
      client: `${nodeStatus.podCidrBase()}.1`,
    });
  }

  /** The kubelet's PLEG line for journalctl, as v1.32 logs it. */
  function pleg(rt: PodRuntimeState, type: "ContainerStarted" | "ContainerDied", id: string): void {
    journal.write(
      "I",
      "kubelet.go:2468",
      `"SyncLoop (PLEG): event for pod" pod="${rt.pod.metadata.namespace}/${mirrorPodName(rt)}" event={"ID":"${rt.uid}","Type":"${type}","Data":"${id}"}`,
    );
  }

  function containerExited(rt: PodRuntimeState, st: ContainerRuntimeState, code: number, reason?: string): void {
    const rec = st.current;
    if (!rec || rec.state !== "Running") return;
    clearContainerTimers(st);
    network?.unregister(rec.id);
    rec.state = "Exited";
    rec.exitCode = code;
    rec.finishedAt = clock.now();
    rec.reason = reason ?? (code === 0 ? "Completed" : "Error");
    pleg(rt, "ContainerDied", rec.id);
    st.ready = false;
    st.killing = false;
    st.waiting = undefined;
    writeStatus(rt);
    schedule(rt, RESYNC_DELAYS.plegMs);
  }

  /** SIGTERM, then SIGKILL after the grace period if the process ignores it. */
  function killContainer(rt: PodRuntimeState, st: ContainerRuntimeState, graceMs: number, done?: () => void): void {
    const rec = st.current;
    if (!rec || rec.state !== "Running") {
      done?.();
      return;
    }
    if (st.killing) return;
    st.killing = true;
    const stop = st.plan?.onStop ?? { exitCode: 137, logs: [] };
    for (const l of stop.logs) appendLog(rec, render(rt, l));
    const ignores = stop.exitCode === 137;
    const after = ignores ? graceMs : Math.min(200, graceMs);
    const fin = clock.after(after, () => {
      containerExited(rt, st, ignores ? 137 : stop.exitCode);
      done?.();
    });
    st.timers.push(fin);
  }

  function runPlan(rt: PodRuntimeState, st: ContainerRuntimeState, plan: RunPlan): void {
    const rec = st.current!;
    const apply = (s: RunPlan["steps"][number]) => {
      if (rec.state !== "Running") return;
      if (s.log !== undefined) appendLog(rec, render(rt, s.log), STDERR_LINE.test(s.log) ? "stderr" : "stdout");
      if (s.touch) st.files[s.touch] = "";
      if (s.rm) delete st.files[s.rm];
    };
    for (const s of plan.steps) st.timers.push(clock.after(s.at, () => apply(s)));
    if (plan.loop) {
      const loop = plan.loop;
      const lastAt = plan.steps.reduce((m, s) => Math.max(m, s.at), 0);
      const iterate = () => {
        if (rec.state !== "Running") return;
        for (const s of loop.steps) st.timers.push(clock.after(s.at, () => apply(s)));
        st.timers.push(clock.after(loop.period, iterate));
      };
      st.timers.push(clock.after(lastAt + 1, iterate));
    }
    if (plan.exit) {
      const ex = plan.exit;
      st.timers.push(clock.after(ex.at, () => containerExited(rt, st, ex.code, ex.reason)));
    }
  }

  function netView(rt: PodRuntimeState): NetView | undefined {
    if (!network) return undefined;
    const ns = rt.pod.metadata.namespace;
    const client = rt.sandbox?.ip ?? nodeStatus.hostIP();
    return {
      dnsServer: network.dnsServer,
      resolve: (host) => {
        const r = network.resolve(host, ns, client);
        return r.ok ? { ok: true, ip: r.ip, fqdn: r.fqdn } : { ok: false, error: r.error, fqdn: r.fqdn };
      },
      http: (ip, port, path) => network.http(ip, port, path, client),
      tcp: (ip, port) => {
        const c = network.connect(ip, port, client);
        return "listener" in c ? "open" : c.error;
      },
    };
  }

  function execIn(req: ExecRequest): ExecResult {
    const rt = [...pods.values()].find((r) => r.pod.metadata.namespace === req.namespace && mirrorPodName(r) === req.pod && !r.gone);
    const spec = rt?.pod ?? (store.get("pods", req.namespace, req.pod) as Pod | undefined);
    const name = req.container ?? spec?.spec.containers[0]?.name ?? "";
    const st = rt?.containers.get(name);
    if (!rt || !st?.current || st.current.state !== "Running" || !st.image) throw badRequest(`container not found ("${name}")`);
    const plan = planContainer({ image: st.image.image, command: req.command, args: [], env: st.env, files: st.files, podName: rt.pod.metadata.name, net: netView(rt) });
    if (plan.startError) {
      const why = plan.startError.replace(/^.*unable to start container process: error during container init: /, "");
      throw new StatusError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${randomHex(64)}": OCI runtime exec failed: exec failed: unable to start container process: ${why}`,
        reason: "InternalError",
        code: 500,
      });
    }
    // Output up to the command's exit; a command that would run on is cut after its first lines.
    const end = plan.exit?.at ?? 1000;
    let stdout = "";
    let stderr = "";
    for (const step of [...plan.steps].sort((a, b) => a.at - b.at)) {
      if (step.at > end) break;
      if (step.touch) st.files[step.touch] = "";
      if (step.rm) delete st.files[step.rm];
      if (step.log === undefined) continue;
      const line = `${render(rt, step.log)}\n`;
      if (STDERR_LINE.test(step.log)) stderr += line;
      else stdout += line;
    }
    return { stdout, stderr, exitCode: plan.exit?.code ?? 0 };
  }

  function startContainer(rt: PodRuntimeState, st: ContainerRuntimeState): void {
    const c = st.spec;
    const key = `${rt.uid}/${st.init ? "init:" : ""}${c.name}`;
    const cur = st.current;
    if (cur && cur.state === "Exited") {
      if (crashBackoff.inBackOffSince(key, (cur.finishedAt ?? clock.now()).getTime())) {
        const delay = crashBackoff.get(key);
        podEvent(rt, c, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${podRef(currentPodObject(rt) ?? rt.pod)}`);
        const msg = `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${podRef(currentPodObject(rt) ?? rt.pod)}`;
        st.waiting = { reason: "CrashLoopBackOff", message: msg };
        journal.write("E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${c.name}\\" with CrashLoopBackOff: \\"${msg}\\"" pod="${rt.pod.metadata.namespace}/${rt.pod.metadata.name}" podUID="${rt.uid}"`);
        const until = (cur.finishedAt ?? clock.now()).getTime() + delay;
        schedule(rt, Math.max(50, until - now() + 50));
        return;
      }
      crashBackoff.next(key);
    }
    const img = imageManager.ensureImage(rt, st, (pulled) => {
      st.image = pulled;
      createAndStart(rt, st, pulled);
      writeStatus(rt);
    });
    if (img) {
      st.image = img;
      createAndStart(rt, st, img);
    }
  }

  function createAndStart(rt: PodRuntimeState, st: ContainerRuntimeState, img: NodeImageRecord): void {
    const c = st.spec;
    const env = resolveEnv(store, rt.pod, c);
    if (!env.ok) {
      podEvent(rt, c, "Warning", "Failed", `Error: ${env.message}`);
      st.waiting = { reason: "CreateContainerConfigError", message: env.message };
      journal.write("E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${c.name}\\" with CreateContainerConfigError: \\"${env.message.replace(/"/g, '\\\\\\"')}\\"" pod="${rt.pod.metadata.namespace}/${rt.pod.metadata.name}" podUID="${rt.uid}"`);
      schedule(rt, RESYNC_DELAYS.configErrorMs);
      return;
    }
    const vols = resolveVolumes(store, rt.pod);
    const files = vols.ok ? containerFiles(c, vols.volumeFiles) : {};
    const limit = c.resources?.limits?.memory ? bytesOf(c.resources.limits.memory) : undefined;
    const mountPaths = (c.volumeMounts ?? []).filter((m) => !m.subPath).map((m) => m.mountPath);
    let plan = planContainer({ image: img.image, command: c.command, args: c.args, env: env.env, files, mountPaths, memoryLimitBytes: limit, podName: rt.pod.metadata.name, net: netView(rt) });
    const attempt = st.current ? st.restartCount + 1 : 0;
    const hooked = hooks?.processModel?.({ nodeName, pod: rt.pod, container: c, attempt, defaultPlan: plan });
    if (hooked) plan = hooked;
    if (st.current) {
      st.restartCount = attempt;
      // Keep one dead container per container name, as the kubelet's GC does (MaxPerPodContainer=1).
      if (st.previous) {
        const i = containersAll.indexOf(st.previous);
        if (i >= 0) containersAll.splice(i, 1);
      }
      st.previous = st.current;
    }
    const rec: ContainerRecord = {
      id: randomHex(64),
      podSandboxId: rt.sandbox?.id ?? "",
      podUid: rt.uid,
      podName: mirrorPodName(rt),
      namespace: rt.pod.metadata.namespace,
      name: c.name,
      attempt,
      image: img.ref,
      imageId: `sha256:${img.id}`,
      state: "Created",
      createdAt: clock.now(),
      logs: [],
    };
    containersAll.push(rec);
    st.current = rec;
    st.plan = plan;
    st.env = env.env;
    st.files = { ...plan.files };
    st.waiting = undefined;
    st.ready = false;
    st.probe = { readyOk: 0, readyFail: 0, liveFail: 0, startFail: 0 };
    podEvent(rt, c, "Normal", "Created", `Created container: ${c.name}`);
    if (plan.startError) {
      rec.state = "Exited";
      rec.exitCode = 128;
      rec.reason = "StartError";
      rec.message = plan.startError;
      rec.finishedAt = clock.now();
      podEvent(rt, c, "Warning", "Failed", `Error: ${plan.startError}`);
      schedule(rt, RESYNC_DELAYS.plegMs);
      return;
    }
    rec.state = "Running";
    rec.startedAt = clock.now();
    if (network && rt.sandbox) {
      network.register(rt.sandbox.ip, {
        containerId: rec.id,
        plan,
        files: () => st.files,
        onHttp: (path, status, client) => {
          if (plan.accessLog && rec.state === "Running") {
            appendLog(rec, render(rt, plan.accessLog.replace("{{client}}", client).replace("{{path}}", path).replace("{{status}}", String(status)).replace("{{bytes}}", status === 200 ? String(plan.httpBody?.length ?? 0) : "153")));
          }
        },
      });
    }
    podEvent(rt, c, "Normal", "Started", `Started container ${c.name}`);
    pleg(rt, "ContainerStarted", rec.id);
    runPlan(rt, st, plan);
    prober.start(rt, st);
  }

  // ---------- pod sync ----------

  function syncPod(rt: PodRuntimeState): void {
    if (!process.running || process.stopped || !pods.has(rt.uid)) return;
    if (rt.terminating) return;
    const pod = rt.pod;
    rt.startTime ??= isoTime(clock.now());
    if (!rt.sandbox) {
      if (!pod.spec.hostNetwork && !process.networkReady) {
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
        schedule(rt, 15_000);
        return;
      }
      for (const v of pod.spec.volumes ?? []) {
        if (!v.persistentVolumeClaim) continue;
        const pvc = store.get("persistentvolumeclaims", pod.metadata.namespace, v.persistentVolumeClaim.claimName);
        if ((pvc?.status as { phase?: string } | undefined)?.phase !== "Bound") {
          writeStatus(rt);
          schedule(rt, 2_000);
          return;
        }
      }
      const attempt = rt.sandboxes.length;
      for (const old of rt.sandboxes) old.state = "NotReady";
      rt.sandbox = {
        id: randomHex(64),
        podUid: rt.uid,
        podName: mirrorPodName(rt),
        namespace: pod.metadata.namespace,
        attempt,
        createdAt: clock.now(),
        state: "Ready",
        ip: pod.spec.hostNetwork ? nodeStatus.hostIP() : ips.allocate(nodeStatus.podCidrBase()),
      };
      rt.sandboxes.push(rt.sandbox);
      sandboxesAll.push(rt.sandbox);
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
      startContainer(rt, st);
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
      startContainer(rt, st);
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
      if (rt.sandbox) rt.sandbox.state = "NotReady";
      if (rt.sandbox && !rt.pod.spec.hostNetwork) ips.release(rt.sandbox.ip);
      then();
    };
    if (!left) {
      finish();
      return;
    }
    for (const st of runningStates) {
      podEvent(rt, st.spec, "Normal", "Killing", `Stopping container ${st.spec.name}`);
      killContainer(rt, st, graceMs, () => {
        if (--left === 0) finish();
      });
    }
    writeStatus(rt);
  }

  /** The pod is gone: the kubelet's container GC removes its dead containers and sandboxes. */
  function removeRt(rt: PodRuntimeState): void {
    pods.delete(rt.uid);
    rt.syncCancel?.();
    for (let i = containersAll.length - 1; i >= 0; i--) {
      const c = containersAll[i]!;
      if (c.podUid !== rt.uid) continue;
      network?.unregister(c.id);
      containersAll.splice(i, 1);
    }
    for (let i = sandboxesAll.length - 1; i >= 0; i--) if (sandboxesAll[i]!.podUid === rt.uid) sandboxesAll.splice(i, 1);
  }

  // ---------- API pods ----------

  function isMirror(p: Pod): boolean {
    return Boolean(p.metadata.annotations?.["kubernetes.io/config.mirror"]);
  }

  function onApiPod(p: Pod, deleted: boolean): void {
    if (process.stopped) return;
    if (isMirror(p)) {
      if (deleted) {
        const rt = [...pods.values()].find((r) => r.isStatic && r.staticHash === p.metadata.annotations?.["kubernetes.io/config.mirror"]);
        if (rt && !rt.terminating && process.running) clock.after(500, () => ensureMirror(rt));
      }
      return;
    }
    if (p.spec?.nodeName !== nodeName) return;
    const rt = pods.get(p.metadata.uid);
    if (deleted) {
      if (rt) terminate(rt, 0, () => removeRt(rt));
      return;
    }
    if (!rt) {
      if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") {
        if (p.metadata.deletionTimestamp && process.running) store.purge("pods", p.metadata.namespace, p.metadata.name);
        return;
      }
      const nrt = newPodRuntimeState(p, p.metadata.uid);
      pods.set(p.metadata.uid, nrt);
      if (p.metadata.deletionTimestamp) {
        deleteGracefully(nrt);
        return;
      }
      schedule(nrt, 10);
      return;
    }
    rt.pod = p;
    if (p.metadata.deletionTimestamp) {
      deleteGracefully(rt);
      return;
    }
    applySpecChanges(rt);
  }

  /** `kubectl set image` / `kubectl edit` on a pod: a changed container is restarted with its new spec. */
  function applySpecChanges(rt: PodRuntimeState): void {
    let changed = false;
    for (const st of rt.containers.values()) {
      const next = (st.init ? rt.pod.spec.initContainers : rt.pod.spec.containers)?.find((c) => c.name === st.spec.name);
      if (!next || JSON.stringify(next) === JSON.stringify(st.spec)) continue;
      st.spec = next;
      changed = true;
      if (st.current?.state === "Running") {
        podEvent(rt, next, "Normal", "Killing", `Container ${next.name} definition changed, will be restarted`);
        killContainer(rt, st, (rt.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000);
      } else {
        st.lastPullFailAt = undefined;
        st.lastPullError = undefined;
      }
    }
    if (changed && process.running) schedule(rt, 10);
  }

  function deleteGracefully(rt: PodRuntimeState): void {
    if (!process.running) return;
    const grace = (rt.pod.metadata.deletionGracePeriodSeconds ?? rt.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    terminate(rt, grace, () => {
      writeStatusFinal(rt);
      const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
      if (cur && cur.metadata.uid === rt.uid) store.purge("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
      removeRt(rt);
    });
  }

  // ---------- static pods ----------

  function staticHashOf(p: Pod): string {
    const s = JSON.stringify({ m: p.metadata.name, ns: p.metadata.namespace, spec: p.spec, labels: p.metadata.labels, ann: p.metadata.annotations });
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < s.length; i++) {
      h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ s.charCodeAt(i), 0x5bd1e995) >>> 0;
    }
    return (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0")).repeat(2);
  }

  function ensureMirror(rt: PodRuntimeState): void {
    if (!process.running || process.stopped || rt.terminating) return;
    const ns = rt.pod.metadata.namespace;
    const name = mirrorPodName(rt);
    const cur = store.get("pods", ns, name);
    if (cur) {
      if (cur.metadata.annotations?.["kubernetes.io/config.mirror"] === rt.staticHash) return;
      if (cur.metadata.annotations?.["kubernetes.io/config.mirror"]) store.purge("pods", ns, name);
      else return; // an API pod with the mirror's name: the real kubelet also leaves it alone
    }
    const n = nodeStatus.node();
    try {
      store.create("pods", {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          ...rt.pod.metadata,
          name,
          namespace: ns,
          uid: undefined,
          annotations: {
            ...(rt.pod.metadata.annotations ?? {}),
            "kubernetes.io/config.hash": rt.staticHash ?? "",
            "kubernetes.io/config.mirror": rt.staticHash ?? "",
            "kubernetes.io/config.seen": clock.now().toISOString().replace("Z", "000000Z").replace(/\.(\d{3})000000Z$/, ".$1000000Z"),
            "kubernetes.io/config.source": "file",
          },
          ownerReferences: n ? [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: n.metadata.uid ?? "", controller: true }] : undefined,
        },
        spec: { ...rt.pod.spec, nodeName },
      });
      rt.lastStatus = undefined;
    } catch {
      // namespace missing (emptied etcd): retried on the next sync
    }
  }

  function syncStatic(): void {
    if (!hooks?.staticPods || process.stopped || !process.running) return;
    const want = new Map<string, Pod>();
    for (const p of hooks.staticPods.list()) {
      const copy = structuredClone(p);
      copy.metadata.namespace ??= "default";
      copy.metadata.name = `${p.metadata.name}-${nodeName}`;
      copy.spec.nodeName = nodeName;
      want.set(copy.metadata.name, copy);
    }
    for (const rt of [...pods.values()].filter((r) => r.isStatic)) {
      const w = want.get(rt.pod.metadata.name);
      if (w && staticHashOf(w) === rt.staticHash) {
        want.delete(rt.pod.metadata.name);
        continue;
      }
      if (rt.terminating) continue;
      journal.write("I", "kubelet.go:2446", `"SyncLoop REMOVE" source="file" pods=["${rt.pod.metadata.namespace}/${rt.pod.metadata.name}"]`);
      terminate(rt, (rt.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000, () => {
        const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
        if (cur?.metadata.annotations?.["kubernetes.io/config.mirror"] === rt.staticHash) store.purge("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
        removeRt(rt);
        syncStatic();
      });
      want.delete(rt.pod.metadata.name);
    }
    for (const p of want.values()) {
      if ([...pods.values()].some((r) => r.isStatic && r.pod.metadata.name === p.metadata.name)) continue;
      const hash = staticHashOf(p);
      p.metadata.uid = hash;
      journal.write("I", "kubelet.go:2430", `"SyncLoop ADD" source="file" pods=["${p.metadata.namespace}/${p.metadata.name}"]`);
      const rt = newPodRuntimeState(p, hash, hash);
      pods.set(hash, rt);
      ensureMirror(rt);
      schedule(rt, 10);
    }
  }

  // ---------- wiring ----------

  const unwatch = store.watch("pods", {}, (e) => {
    const p = e.object as Pod;
    onApiPod(p, e.type === "DELETED");
  });
  stops.push(unwatch);
  if (hooks?.staticPods) stops.push(hooks.staticPods.subscribe(() => clock.after(0, syncStatic)));
  // etcd switched data (apiserver clients re-list): pods that are not in the new store are killed,
  // pods of the restored store start again, and mirror pods are re-created where missing.
  stops.push(
    store.onReset(() => {
      if (process.stopped) return;
      for (const rt of [...pods.values()]) {
        if (rt.isStatic || rt.gone) continue;
        const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
        if (!cur || cur.metadata.uid !== rt.uid) onApiPod(rt.pod, true);
      }
      for (const p of store.list("pods").items) onApiPod(p as Pod, false);
      for (const rt of pods.values()) if (rt.isStatic) ensureMirror(rt);
      renewLease();
      nodeStatus.update(true);
    }),
  );
  const unwatchNs = store.watch("namespaces", {}, () => undefined);
  stops.push(unwatchNs);
  for (const p of store.list("pods").items) onApiPod(p as Pod, false);
  kubeletStarting();
  syncStatic();
  stops.push(
    clock.every(LEASE_RENEW_MS, () => {
      renewLease();
      nodeStatus.update(false);
    }),
  );
  // Periodic resync, as the kubelet's 1-minute sync and its static-pod file check do.
  stops.push(
    clock.every(20_000, () => {
      if (!process.running || process.stopped) return;
      syncStatic();
      for (const rt of pods.values()) {
        if (rt.isStatic) ensureMirror(rt);
        if (!rt.syncCancel) schedule(rt, 10);
      }
    }),
  );

  const logs = createNodeLogSource({
    findPod: (ns, name) => [...pods.values()].find((r) => r.pod.metadata.namespace === ns && mirrorPodName(r) === name && !r.gone),
    subscribe: (id, fn) => {
      let set = logSubscribers.get(id);
      if (!set) logSubscribers.set(id, (set = new Set()));
      set.add(fn);
      return () => set.delete(fn);
    },
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
    setRunning(r: boolean) {
      if (process.running === r) return;
      process.running = r;
      if (r) {
        kubeletStarting();
        syncStatic();
        for (const rt of pods.values()) {
          rt.lastStatus = undefined;
          if (rt.pod.metadata.deletionTimestamp) deleteGracefully(rt);
          else schedule(rt, 10);
        }
        for (const p of store.list("pods").items) onApiPod(p as Pod, false);
      } else {
        journal.write("I", "kubelet.go:1670", `"Shutting down kubelet"`);
      }
    },
    running: () => process.running,
    restart() {
      crashBackoff.reset();
      imageManager.resetBackoff();
      if (process.running) {
        process.running = false;
        kubelet.setRunning(true);
      } else kubelet.setRunning(true);
    },
    containers: () => [...containersAll],
    sandboxes: () => [...sandboxesAll],
    images: (): NodeImage[] => imageManager.list(),
    containerLogs: (id: string) => containersAll.find((c) => c.id === id)?.logs ?? [],
    exec: execIn,
    removeContainer(id: string) {
      const rec = containersAll.find((c) => c.id === id);
      if (!rec || rec.state === "Running") return;
      containersAll.splice(containersAll.indexOf(rec), 1);
      for (const rt of pods.values()) for (const st of rt.containers.values()) if (st.previous === rec) st.previous = undefined;
    },
    stopSandbox(id: string) {
      const rt = [...pods.values()].find((r) => r.sandbox?.id === id);
      if (!rt) {
        const sb = sandboxesAll.find((s) => s.id === id);
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
    removeSandbox(id: string) {
      const i = sandboxesAll.findIndex((s) => s.id === id && s.state === "NotReady");
      if (i >= 0) sandboxesAll.splice(i, 1);
    },
    exitContainer(id: string, exitCode: number, lines: string[]) {
      for (const rt of pods.values()) {
        for (const st of rt.containers.values()) {
          if (st.current?.id !== id || st.current.state !== "Running") continue;
          for (const l of lines) appendLog(st.current, l, "stderr");
          containerExited(rt, st, exitCode);
          return;
        }
      }
    },
    journal: () => journal.lines(),
    stop() {
      process.stopped = true;
      for (const s of stops) s();
      for (const rt of pods.values()) {
        rt.syncCancel?.();
        for (const st of rt.containers.values()) clearContainerTimers(st);
      }
    },
  };
  return kubelet;
}

export type { LogRequest };
