/**
 * The container runtime as the kubelet drives it (kuberuntime_manager over containerd): the
 * node's container and sandbox records that crictl shows, container start with the crash-loop
 * back-off, env and volume files, the catalogue's run plan (log lines, file changes, exit), the
 * SIGTERM/SIGKILL kill, PLEG lines, container logs and their followers, and `kubectl exec`.
 */
import { planContainer } from "../container-shell/plan-container";
import { renderLogLine } from "../container-shell/render-log-line";
import type { NetView, RunPlan } from "../container-shell/run-plan";
import { bytesOf, randomHex } from "../controllers/object-helpers";
import { badRequest, StatusError } from "../store/status-error";
import type { Pod } from "../controllers/api-types";
import { Backoff, goDuration } from "./backoff";
import { containerFiles, resolveEnv, resolveVolumes } from "./container-config";
import type { ImageManager } from "./image-manager";
import { RESYNC_DELAYS, type KubeletContext, type PodActions } from "./kubelet-context";
import { isDefaultBinary } from "../container-shell/image-process";
import { BUSYBOX_APPLETS, NETWORK_TOOLS, SHELLS } from "../container-shell/known-commands";
import { createContainerAttach } from "./container-attach";
import { createSandboxExec } from "./container-exec";
import type { ContainerRecord, ExecRequest, ExecResult, ExecStream, ExecStreamIo, ExecStreamRequest, LogLine, SandboxRecord } from "./kubelet-seams";
import { clearContainerTimers, mirrorPodName, type ContainerRuntimeState, type NodeImageRecord, type PodRuntimeState } from "./pod-runtime-state";
import { podRef } from "./pod-status";

const MAX_LOG_LINES = 5000;
/** Network clients that are busybox applets: in the exec sandbox they are the real ones, on the sandbox's network. */
const BUSYBOX_NET_CLIENTS = new Set(["wget", "nc", "nslookup", "ping", "telnet"]);
/** Lines the interpreted tools write to stderr. */
const STDERR_LINE = /^(sh: |cat: |ls: |wget: |nc: |curl: |sleep: |Error)/;

export interface ContainerRuntimeDeps extends PodActions {
  images: ImageManager;
  hostIP(): string;
  podCidrBase(): string;
  /** The API pod a runtime reports to, for the pod reference in back-off texts. */
  currentPodObject(rt: PodRuntimeState): Pod | undefined;
  /** Starts the probes of a container that just started running. */
  startProbes(rt: PodRuntimeState, st: ContainerRuntimeState): void;
}

export interface ContainerRuntime {
  /** Container records, oldest first (crictl ps -a). */
  containers(): ContainerRecord[];
  /** Sandbox records, oldest first (crictl pods). */
  sandboxes(): SandboxRecord[];
  addSandbox(sandbox: SandboxRecord): void;
  containerLogs(id: string): LogLine[];
  subscribeLogs(containerId: string, fn: (line: LogLine) => void): () => void;
  appendLog(rec: ContainerRecord, text: string, stream?: "stdout" | "stderr"): void;
  /** A log line template rendered for this pod: time, pod and host IPs, names. */
  render(rt: PodRuntimeState, line: string): string;
  /** Starts (or restarts, after the crash-loop back-off) the container of `st`. */
  startContainer(rt: PodRuntimeState, st: ContainerRuntimeState): void;
  /** The running container's process ended with `code`. */
  containerExited(rt: PodRuntimeState, st: ContainerRuntimeState, code: number, reason?: string): void;
  /** SIGTERM, then SIGKILL after the grace period if the process ignores it. */
  killContainer(rt: PodRuntimeState, st: ContainerRuntimeState, graceMs: number, done?: () => void): void;
  exec(req: ExecRequest): ExecResult;
  /** exec in a real shell; undefined when the model's exec serves this command (container-exec.ts). */
  execStream(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
  /** kubectl attach (container-attach.ts). */
  attachStream(req: ExecStreamRequest, io: ExecStreamIo): ExecStream;
  /** The kubelet stops: exec's private files go. */
  stop(): void;
  /** crictl rm: forgets an exited container. */
  removeContainer(id: string): void;
  /** crictl rmp: forgets a NotReady sandbox. */
  removeSandbox(id: string): void;
  /** The process of a running container exits now, writing `lines` to stderr first. */
  exitContainer(id: string, exitCode: number, lines: string[]): void;
  /** The pod is gone: the kubelet's container GC removes its dead containers and sandboxes. */
  removePodRecords(rt: PodRuntimeState): void;
  /** Forgets every crash-loop back-off (a kubelet restart). */
  resetBackoff(): void;
}

export function createContainerRuntime(ctx: KubeletContext, deps: ContainerRuntimeDeps): ContainerRuntime {
  const { store, clock, nodeName, hooks, network, journal, pods } = ctx;
  const { images, podEvent, schedule, writeStatus, currentPodObject, startProbes } = deps;
  const now = ctx.now;
  const crashBackoff = new Backoff(now);
  const logSubscribers = new Map<string, Set<(l: LogLine) => void>>();
  const sandboxesAll: SandboxRecord[] = [];
  const containersAll: ContainerRecord[] = [];


  function appendLog(rec: ContainerRecord, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    const line: LogLine = { time: clock.now(), stream, text };
    rec.logs.push(line);
    if (rec.logs.length > MAX_LOG_LINES) rec.logs.splice(0, rec.logs.length - MAX_LOG_LINES);
    for (const fn of logSubscribers.get(rec.id) ?? []) fn(line);
  }

  function subscribeLogs(id: string, fn: (l: LogLine) => void): () => void {
    let set = logSubscribers.get(id);
    if (!set) logSubscribers.set(id, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  function render(rt: PodRuntimeState, line: string): string {
    return renderLogLine(line, clock.now(), {
      podIP: rt.sandbox?.ip ?? "",
      hostIP: deps.hostIP(),
      hostname: rt.pod.metadata.name,
      nodeName,
      client: `${deps.podCidrBase()}.1`,
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
    attach.stopped(rec.id);
    rec.state = "Exited";
    rec.exitCode = code;
    rec.finishedAt = clock.now();
    rec.reason = reason ?? (code === 0 ? "Completed" : "Error");
    if (st.killing) journal.runtime("info", `StopContainer for "${rec.id}" returns successfully`);
    pleg(rt, "ContainerDied", rec.id);
    st.ready = false;
    st.killing = false;
    st.waiting = undefined;
    writeStatus(rt);
    schedule(rt, RESYNC_DELAYS.plegMs);
    for (const waiter of st.stopWaiters.splice(0)) waiter();
  }

  /** SIGTERM, then SIGKILL after the grace period if the process ignores it. */
  function killContainer(rt: PodRuntimeState, st: ContainerRuntimeState, graceMs: number, done?: () => void): void {
    const rec = st.current;
    if (!rec || rec.state !== "Running") {
      done?.();
      return;
    }
    // Whoever asked waits for the exit itself, not for this kill's timer: the process can exit on
    // its own first (a crash-looping etcd), which clears the timer, and a second kill while the
    // first is under way must not be forgotten either (its pod would stay terminating for ever).
    if (done) st.stopWaiters.push(done);
    if (st.killing) return;
    st.killing = true;
    const graceS = Math.round(graceMs / 1000);
    journal.write(
      "I",
      "kuberuntime_container.go:809",
      `"Killing container with a grace period" pod="${rt.pod.metadata.namespace}/${mirrorPodName(rt)}" podUID="${rt.uid}" containerName="${st.spec.name}" containerID="containerd://${rec.id}" gracePeriod=${graceS}`,
    );
    journal.runtime("info", `StopContainer for "${rec.id}" with timeout ${graceS} (s)`);
    journal.runtime("info", `Stop container "${rec.id}" with signal terminated`);
    const stop = st.plan?.onStop ?? { exitCode: 137, logs: [] };
    for (const l of stop.logs) appendLog(rec, render(rt, l));
    const ignores = stop.exitCode === 137;
    const after = ignores ? graceMs : Math.min(200, graceMs);
    const fin = clock.after(after, () => {
      // The process ignored SIGTERM for the whole grace period: containerd sends SIGKILL.
      if (ignores && rec.state === "Running") journal.runtime("info", `Kill container "${rec.id}"`);
      containerExited(rt, st, ignores ? 137 : stop.exitCode);
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
    const client = rt.sandbox?.ip ?? deps.hostIP();
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

  function execTarget(req: ExecRequest): { rt: PodRuntimeState; st: ContainerRuntimeState & { image: NodeImageRecord } } {
    const rt = [...pods.values()].find((r) => r.pod.metadata.namespace === req.namespace && mirrorPodName(r) === req.pod && !r.gone);
    const spec = rt?.pod ?? (store.get("pods", req.namespace, req.pod) as Pod | undefined);
    const name = req.container ?? spec?.spec.containers[0]?.name ?? "";
    const st = rt?.containers.get(name);
    if (!rt || !st?.current || st.current.state !== "Running" || !st.image) throw badRequest(`container not found ("${name}")`);
    return { rt, st: st as ContainerRuntimeState & { image: NodeImageRecord } };
  }

  const attach = createContainerAttach({
    start: (rt, st, req, io) => sandboxExec.start(rt, st, req, io, netView(rt)),
    subscribeLogs,
    exited: (rt, st, code) => containerExited(rt, st, code),
    mainCommand: (st) => {
      const b = st.image?.image.behaviour;
      const c = st.spec;
      return [...(c.command ?? b?.entrypoint ?? []), ...(c.args ?? (c.command ? [] : (b?.cmd ?? [])))];
    },
  });

  function attachStream(req: ExecStreamRequest, io: ExecStreamIo): ExecStream {
    const { rt, st } = execTarget(req);
    return attach.attach(rt, st, req, io);
  }

  const sandboxExec = createSandboxExec({ store, nodeName, podsDir: hooks?.podsDir, dnsServer: network?.dnsServer ?? "10.96.0.10", nodeFile: hooks?.nodeFile, nodePath: hooks?.nodePath, serviceAccountKey: hooks?.serviceAccountKey, now: () => clock.now() });

  function execStream(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined {
    const { rt, st } = execTarget(req);
    if (!sandboxExec.handles(st)) return undefined;
    const bin = req.command[0] ?? "";
    const name = bin.split("/").pop() ?? bin;
    // The image's own server binary (nginx, redis-server) is the model's; busybox has no such applet.
    if (isDefaultBinary(bin, st.image.image) && !SHELLS.has(name) && !BUSYBOX_APPLETS.has(name)) return undefined;
    // Clients busybox lacks (curl, dig) answer from the cluster's network model (docs/sim-fidelity.md).
    if (NETWORK_TOOLS.has(name) && !BUSYBOX_NET_CLIENTS.has(name)) return undefined;
    return sandboxExec.start(rt, st, req, io, netView(rt));
  }

  function execIn(req: ExecRequest): ExecResult {
    const { rt, st } = execTarget(req);
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
    const img = images.ensureImage(rt, st, (pulled) => {
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
    let plan = planContainer({ image: img.image, command: c.command, args: c.args, env: env.env, files, mountPaths, memoryLimitBytes: limit, podName: rt.pod.metadata.name, stdin: c.stdin, net: netView(rt) });
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
    const meta = `&ContainerMetadata{Name:${c.name},Attempt:${attempt},}`;
    journal.runtime("info", `CreateContainer within sandbox "${rec.podSandboxId}" for container ${meta}`);
    journal.runtime("info", `CreateContainer within sandbox "${rec.podSandboxId}" for ${meta} returns container id "${rec.id}"`);
    journal.runtime("info", `StartContainer for "${rec.id}"`);
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
      journal.runtime("error", `StartContainer for "${rec.id}" failed`, `error="${plan.startError.replace(/"/g, '\\"')}"`);
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
        writeFile: (path, content) => {
          st.files[path] = content;
        },
        onHttp: (path, status, client) => {
          if (plan.accessLog && rec.state === "Running") {
            appendLog(rec, render(rt, plan.accessLog.replace("{{client}}", client).replace("{{path}}", path).replace("{{status}}", String(status)).replace("{{bytes}}", status === 200 ? String(plan.httpBody?.length ?? 0) : "153")));
          }
        },
      });
    }
    journal.runtime("info", `StartContainer for "${rec.id}" returns successfully`);
    podEvent(rt, c, "Normal", "Started", `Started container ${c.name}`);
    pleg(rt, "ContainerStarted", rec.id);
    runPlan(rt, st, plan);
    startProbes(rt, st);
  }

  return {
    containers: () => [...containersAll],
    sandboxes: () => [...sandboxesAll],
    addSandbox: (sandbox) => void sandboxesAll.push(sandbox),
    containerLogs: (id) => containersAll.find((c) => c.id === id)?.logs ?? [],
    subscribeLogs,
    appendLog,
    render,
    startContainer,
    containerExited,
    killContainer,
    exec: execIn,
    execStream,
    attachStream,
    stop: () => sandboxExec.stop(),
    removeContainer(id) {
      const rec = containersAll.find((c) => c.id === id);
      if (!rec || rec.state === "Running") return;
      containersAll.splice(containersAll.indexOf(rec), 1);
      for (const rt of pods.values()) for (const st of rt.containers.values()) if (st.previous === rec) st.previous = undefined;
    },
    removeSandbox(id) {
      const i = sandboxesAll.findIndex((s) => s.id === id && s.state === "NotReady");
      if (i >= 0) sandboxesAll.splice(i, 1);
    },
    exitContainer(id, exitCode, lines) {
      for (const rt of pods.values()) {
        for (const st of rt.containers.values()) {
          if (st.current?.id !== id || st.current.state !== "Running") continue;
          for (const l of lines) appendLog(st.current, l, "stderr");
          containerExited(rt, st, exitCode);
          return;
        }
      }
    },
    removePodRecords(rt) {
      sandboxExec.removePod(rt.uid);
      for (let i = containersAll.length - 1; i >= 0; i--) {
        const c = containersAll[i]!;
        if (c.podUid !== rt.uid) continue;
        network?.unregister(c.id);
        containersAll.splice(i, 1);
      }
      for (let i = sandboxesAll.length - 1; i >= 0; i--) if (sandboxesAll[i]!.podUid === rt.uid) sandboxesAll.splice(i, 1);
    },
    resetBackoff: () => crashBackoff.reset(),
  };
}
