import { createPublicKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SimClock } from "@/lib/cluster/sim/clock";
import type { SimKubelet, KubeletHooks, ProcessModel, ProcessModelContext } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import type { RunPlan } from "@/lib/cluster/sim/container-shell/run-plan";
import { DEFAULT_BACKEND, type ObjectStore } from "@/lib/cluster/sim/store/object-store";
import type { ExecOptions, ExecResult, ShellSpec } from "@/lib/cluster/types";
import { NotFoundError, TimeoutError } from "@/lib/errors";
import type { ApiServerHandle } from "@/lib/cluster/sim/api/api-server";
import { controlPlaneEffects, type ControlPlaneTargets } from "./control-plane-effects";
import { logger } from "@/lib/logger";
import { hostPathOf, klog, type ComponentContext, type ComponentOutcome, type HostPathVolume } from "./components/component-context";
import { etcdModel, type EtcdOutcome } from "./components/etcd-model";
import { kubeApiserverModel, type ApiserverOutcome } from "./components/kube-apiserver-model";
import { kubeControllerModel, type ControllerComponent } from "./components/kube-controller-model";
import { withKubeconfigAsAtStart } from "./components/kubeconfig-read-at-start";
import { nodeFs, runKey, runOf, type ApiEndpointState, type ApiserverView, type ControlPlaneEffects, type EtcdView, type KubeletRuntimeOps, type NodeState, type RunRecord } from "./fleet-state";
import { parseKubeconfig } from "./kubeconfig-file";
import { kindnetConflist } from "./kubelet-config";
import { kubeletStartup } from "./kubelet-startup";
import { NodeAgent } from "./node-agent";
import { sandboxPathsFor } from "./sim-node-access";
import { ApiBridge, type ApiEndpointWatch } from "./api-bridge";
import { NodeLayout, nodeRootDir } from "./node-layout";
import { execInNode, installNodeTools, nodeShellSpec, type SandboxPaths } from "./node-sandbox";
import type { SimClusterVersions, SimNodeSpec } from "./node-spec";
import { provisionNodes } from "./provision-node";
import { reconcileApiEndpoint } from "./reconcile-api-endpoint";
import { reconcileApiserverCertificates, type LoadedCertificates } from "./reconcile-apiserver-certificates";
import { reconcileCniReadiness } from "./reconcile-cni-readiness";
import { reconcileEtcdData, type EtcdDataState } from "./reconcile-etcd-data";
import { reconcileLeaderElection, type LeaderElectionState } from "./reconcile-leader-election";
import { reconcileApiserverStart, type ApiserverStartState } from "./reconcile-apiserver-start";
import { reconcileLostProcesses } from "./reconcile-lost-processes";
import { reconcilePodLogFiles, type PodLogFile } from "./reconcile-pod-log-files";
import { ManifestStaticPodSource } from "./static-pod-source";
import { NodeServices, type UnitName } from "./tools/node-services";
import type { NodeToolHost } from "./tools/node-tool-host";
import { NODE_TOOLS } from "./tools/node-tools";
import { syslogDate } from "./tools/text-format";

/**
 * Everything node-side of one sim cluster: the node trees, the manifests' static-pod sources and
 * the component models that decide what each control-plane container does, the node agent that
 * the node tools talk to, and node shells. It drives the rest of the cluster through two doors:
 * the kubelet models (hooks in, records out) and ControlPlaneEffects (API endpoint, leaders,
 * etcd data), which sim-cluster.ts maps onto the API server and the controllers.
 */

export interface PemTriple {
  certPem: string;
  keyPem: string;
  publicKeyPem: string;
}

export interface SimNodeFleetOptions {
  clusterName: string;
  /** The cluster's data directory; node trees live in <clusterDir>/nodes/<node>. */
  clusterDir: string;
  nodes: SimNodeSpec[];
  clock: SimClock;
  /** The sim API server as node shells reach it, e.g. https://127.0.0.1:41234 */
  server: string;
  /** For leader leases in kube-system. */
  store?: ObjectStore;
  versions?: SimClusterVersions;
  algorithm?: "rsa-2048" | "ecdsa-p256";
  /** Tick of the control-plane monitor, in real ms. */
  monitorMs?: number;
}

const CONTROL_PLANE = new Set(["etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager"]);

/** Ids the sim shows for processes (ss -p): stable per container. */
function pidOf(id: string): number {
  return 1000 + (parseInt(id.slice(0, 6), 16) % 30000);
}

function logOffsets(lines: string[], t0: Date): Array<{ at: number; log: string }> {
  return lines.map((log, i) => {
    const m = /^[IWEF]\d{4} (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(log);
    const j = /"ts":"([^"]+)"/.exec(log);
    let at = 20 + i * 5;
    if (m) {
      const d = new Date(t0);
      d.setUTCHours(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
      at = Math.max(at, d.getTime() - t0.getTime());
    } else if (j) {
      const d = new Date(j[1]!);
      if (!Number.isNaN(d.getTime())) at = Math.max(at, d.getTime() - t0.getTime());
    }
    return { at, log };
  });
}

export class SimNodeFleet {
  private readonly nodes = new Map<string, NodeState>();
  private readonly runs = new Map<string, RunRecord>();
  private effects: ControlPlaneEffects | null = null;
  private agent: NodeAgent | null = null;
  private apiBridge: ApiBridge | null = null;
  private cancelMonitor: (() => void) | null = null;
  private readonly paths: Omit<SandboxPaths, "root">;
  /** The endpoint state the API server was last told (startWith waits for "serving"). */
  private readonly last = { api: null as ApiEndpointState | null };
  private readonly certificates: LoadedCertificates = { cert: "", ca: "" };
  private readonly etcdData: EtcdDataState = { key: DEFAULT_BACKEND, run: null };
  private readonly leaderElection: LeaderElectionState = {
    leaders: { "kube-scheduler": null, "kube-controller-manager": null },
    leaseHolders: { "kube-scheduler": "", "kube-controller-manager": "" },
    hasLed: new Set<string>(),
  };
  /** Running containers that lost what they depend on, by container id: since when (sim ms). */
  private readonly lostSince = new Map<string, number>();
  private readonly apiserverStart: ApiserverStartState = { bootstrapped: null, livenessFailing: new Map() };
  /** Log lines already written to /var/log/pods, by container id. */
  private readonly logWritten = new Map<string, PodLogFile>();

  /** The API server's URL as node shells reach it (setServer keeps it current). */
  private server: string;

  private constructor(private readonly opts: SimNodeFleetOptions) {
    this.server = opts.server;
    this.paths = sandboxPathsFor(opts.clusterDir);
    for (const spec of opts.nodes) {
      const layout = new NodeLayout(nodeRootDir(opts.clusterDir, spec.name));
      const journal: Record<UnitName, string[]> = { kubelet: [], containerd: [] };
      const state: NodeState = {
        spec,
        layout,
        journal,
        kubelet: null,
        ops: {},
        cniReady: null,
        source: new ManifestStaticPodSource(layout.host("/etc/kubernetes/manifests"), spec.name, opts.clock, (line) => journal.kubelet.push(line)),
        services: new NodeServices(opts.clock, {
          onKubelet: (action) => {
            const k = this.nodes.get(spec.name)?.kubelet;
            if (!k) return;
            if (action === "stop") return k.setRunning(false);
            // The kubeconfig is read as the process starts: its server decides whom it talks to.
            const startup = kubeletStartup(nodeFs(layout).read, this.server);
            k.setApiFault?.(startup.kind === "runs" ? startup.api : null);
            if (action === "start") k.setRunning(true);
            else k.restart();
          },
          onContainerd: () => {},
          exitsOnStart: (unit, pid) => {
            if (unit !== "kubelet") return null;
            const startup = kubeletStartup(nodeFs(layout).read, this.server);
            if (startup.kind === "runs") return null;
            return klog("E", opts.clock.now(), "run.go:72", `"command failed" err="${startup.err.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`, pid);
          },
        }),
      };
      this.nodes.set(spec.name, state);
    }
  }

  /** Lays out the node trees (once per cluster dir) and returns the fleet, not yet started. */
  static async create(opts: SimNodeFleetOptions): Promise<SimNodeFleet> {
    const marker = path.join(opts.clusterDir, "nodes", ".provisioned");
    if (!fs.existsSync(marker)) {
      const roots = Object.fromEntries(opts.nodes.map((n) => [n.name, nodeRootDir(opts.clusterDir, n.name)]));
      await provisionNodes({ clusterName: opts.clusterName, roots, nodes: opts.nodes, server: opts.server, versions: opts.versions, algorithm: opts.algorithm });
      fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    }
    const fleet = new SimNodeFleet(opts);
    fleet.setServer(opts.server);
    return fleet;
  }

  get specs(): SimNodeSpec[] {
    return this.opts.nodes;
  }

  private node(name: string): NodeState {
    const n = this.nodes.get(name);
    if (!n) throw new NotFoundError(`No node named "${name}" in sim cluster "${this.opts.clusterName}".`, { hint: `Nodes: ${[...this.nodes.keys()].join(", ")}` });
    return n;
  }

  private controlPlane(): NodeState {
    return [...this.nodes.values()].find((n) => n.spec.role === "control-plane")!;
  }

  /** Reads a node file (node path); null if it does not exist. */
  readNodeFile(node: string, nodePath: string): string | null {
    return nodeFs(this.node(node).layout).read(nodePath);
  }

  /** The apiserver's serving pair and client CA as they are on the control plane's disk now. */
  apiserverFiles(): { certPem: string; keyPem: string; clientCaPem: string } {
    const read = nodeFs(this.controlPlane().layout).read;
    return {
      certPem: read("/etc/kubernetes/pki/apiserver.crt") ?? "",
      keyPem: read("/etc/kubernetes/pki/apiserver.key") ?? "",
      clientCaPem: read("/etc/kubernetes/pki/ca.crt") ?? "",
    };
  }

  /** The admin credentials of the control plane's admin.conf (for the server-side kubeconfig). */
  adminCredentials(): { caPem: string; certPem: string; keyPem: string } {
    const text = nodeFs(this.controlPlane().layout).read("/etc/kubernetes/admin.conf");
    const kc = text ? parseKubeconfig(text) : null;
    if (!kc?.ok || !kc.value.caPem || !kc.value.certPem || !kc.value.keyPem) throw new Error("admin.conf on the control plane is missing or unreadable");
    return { caPem: kc.value.caPem, certPem: kc.value.certPem, keyPem: kc.value.keyPem };
  }

  /** Points every kubeconfig on every node at `server` (the API's host port can change on re-attach). */
  setServer(server: string): void {
    this.server = server;
    for (const n of this.nodes.values()) {
      const dir = n.layout.host("/etc/kubernetes");
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir).filter((f) => f.endsWith(".conf"));
      } catch {
        continue;
      }
      for (const f of names) {
        const file = path.join(dir, f);
        const text = fs.readFileSync(file, "utf8");
        const next = text.replace(/^(\s+server: )https:\/\/127\.0\.0\.1:\d+$/m, `$1${server}`);
        if (next !== text) fs.writeFileSync(file, next);
      }
    }
  }

  /** Hooks for the kubelet model of `node`. */
  kubeletHooks(node: string): KubeletHooks {
    const n = this.node(node);
    return { staticPods: n.source, processModel: this.processModel, nodeFile: (p) => nodeFs(n.layout).read(p), podsDir: n.layout.host("/var/lib/kubelet/pods"), nodePath: (p) => (n.layout.owns(p) ? n.layout.host(p) : null), serviceAccountKey: () => this.serviceAccountKey() };
  }

  /** Hands the fleet the node's kubelet model (after it was started with kubeletHooks). */
  attachKubelet(node: string, kubelet: SimKubelet, ops: KubeletRuntimeOps = {}): void {
    const n = this.node(node);
    n.kubelet = kubelet;
    n.ops = ops;
  }

  connect(effects: ControlPlaneEffects): void {
    this.effects = effects;
  }

  /** The state etcd offers right now: a running etcd, or one whose container is being started. */
  private etcdState(): EtcdView {
    const cp = this.controlPlane();
    const now = this.opts.clock.now().getTime();
    let best: RunRecord | null = null;
    for (const c of cp.kubelet?.containers() ?? []) {
      const r = runOf(this.runs, c);
      if (!r || r.component !== "etcd") continue;
      const starting = c.state === "Created" || (now - r.startedAt < 3000 && c.state !== "Exited");
      if ((c.state === "Running" || starting) && r.outcome.run.kind === "runs") best = r;
    }
    if (!best) {
      // A container the kubelet has not recorded yet (the model runs before the record exists).
      for (const r of this.runs.values()) {
        if (r.component === "etcd" && r.outcome.run.kind === "runs" && now - r.startedAt < 3000) best = r;
      }
    }
    const o = best?.outcome as EtcdOutcome | undefined;
    return { clientUrls: o?.clientUrls ?? [], trustedCaPem: o?.trustedCaPem ?? null, serverCertPem: o?.serverCertPem ?? null, outcome: o ?? null, run: best };
  }

  private apiState(): ApiserverView {
    const cp = this.controlPlane();
    const read = nodeFs(cp.layout).read;
    let run: RunRecord | null = null;
    for (const c of cp.kubelet?.containers() ?? []) {
      if (c.state !== "Running") continue;
      const r = runOf(this.runs, c);
      if (r?.component === "kube-apiserver") run = r;
    }
    const o = (run?.outcome as ApiserverOutcome | undefined) ?? null;
    if (!run || !o || o.port !== 6443) return { serving: false, port: 6443, clientCaPem: null, servingCertPem: null, endpoint: "down", outcome: o, run };
    const mapped = (p: string | null) => (p ? hostPathOf(p, run.ctx.container.volumeMounts, run.ctx.volumes) : null);
    const certPem = mapped(o.tlsCertFile) ? read(mapped(o.tlsCertFile)!) : null;
    const caPem = mapped(o.clientCaFile) ? read(mapped(o.clientCaFile)!) : null;
    // etcd may have gone away since the apiserver started: then its requests hang.
    const etcd = this.etcdState();
    const now = kubeApiserverModel({ ...run.ctx, now: this.opts.clock.now(), etcd });
    const endpoint: ApiEndpointState = o.etcdUnreachable || now.etcdUnreachable ? "etcd-unreachable" : "serving";
    return { serving: endpoint === "serving", port: o.port, clientCaPem: caPem, servingCertPem: certPem, controlPlaneRbac: this.controlPlaneRbac(), endpoint, outcome: o, run };
  }

  /** Whether the store etcd serves has kubeadm's bindings for the scheduler and controller-manager. */
  private controlPlaneRbac(): boolean {
    const store = this.opts.store;
    if (!store) return true;
    return ["system:kube-scheduler", "system:kube-controller-manager"].every((n) => store.get("clusterrolebindings.rbac.authorization.k8s.io", undefined, n));
  }

  private readonly processModel: ProcessModel = (pm: ProcessModelContext): RunPlan | undefined => {
    try {
      return this.planFor(pm);
    } catch (err) {
      logger.error({ err, pod: pm.pod.metadata.name }, "sim node: component model failed");
      return undefined;
    }
  };

  private planFor(pm: ProcessModelContext): RunPlan | undefined {
    const n = this.nodes.get(pm.nodeName);
    if (!n) return undefined;
    const now = this.opts.clock.now();
    if (pm.container.name === "kindnet-cni") {
      this.writeConflist(n);
      return undefined;
    }
    const component = pm.pod.metadata.labels?.component;
    const isStatic = pm.pod.metadata.annotations?.["kubernetes.io/config.source"] === "file";
    if (!component || !CONTROL_PLANE.has(component) || !isStatic) return undefined;
    const volumes = (pm.pod.spec.volumes ?? []) as HostPathVolume[];
    this.ensureHostPaths(n, volumes);
    const started: ComponentContext = {
      node: n.spec,
      fs: nodeFs(n.layout),
      now,
      container: {
        name: pm.container.name,
        image: pm.container.image ?? "",
        command: pm.container.command ?? [],
        args: pm.container.args ?? [],
        volumeMounts: pm.container.volumeMounts ?? [],
      },
      volumes,
      etcd: this.etcdState(),
      apiserver: this.apiState(),
    };
    // The scheduler and controller-manager keep the kubeconfig they read at start (see there).
    const ctx = component === "etcd" || component === "kube-apiserver" ? started : withKubeconfigAsAtStart(started);
    let outcome: ComponentOutcome;
    if (component === "etcd") outcome = etcdModel(ctx);
    else if (component === "kube-apiserver") outcome = kubeApiserverModel(ctx);
    else outcome = kubeControllerModel(component as ControllerComponent, ctx);
    this.runs.set(runKey(pm.pod.metadata.uid, pm.container.name, pm.attempt), {
      component: component as RunRecord["component"],
      outcome,
      ctx,
      startedAt: now.getTime(),
    });
    this.schedule();
    const plan: RunPlan = {
      ...pm.defaultPlan,
      steps: logOffsets(outcome.logs, now),
      listens: outcome.listen.map((l) => l.port),
      loop: undefined,
      exit: outcome.run.kind === "exits" ? { at: outcome.run.afterMs, code: outcome.run.exitCode } : undefined,
      startError: undefined,
    };
    return plan;
  }

  /** hostPath volumes of type DirectoryOrCreate/FileOrCreate are created by the kubelet before the pod starts. */
  private ensureHostPaths(n: NodeState, volumes: HostPathVolume[]): void {
    for (const v of volumes) {
      const hp = v.hostPath;
      if (!hp || !n.layout.owns(hp.path)) continue;
      const h = n.layout.host(hp.path);
      try {
        if (hp.type === "DirectoryOrCreate" && !fs.existsSync(h)) fs.mkdirSync(h, { recursive: true, mode: 0o755 });
        if (hp.type === "FileOrCreate" && !fs.existsSync(h)) {
          fs.mkdirSync(path.dirname(h), { recursive: true });
          fs.writeFileSync(h, "", { mode: 0o644 });
        }
      } catch {
        // A path the learner made unwritable: the component model reports the missing file.
      }
    }
  }

  /** kindnetd writes its conflist atomically when it starts (and only when its inputs change). */
  private writeConflist(n: NodeState): void {
    const file = n.layout.host("/etc/cni/net.d/10-kindnet.conflist");
    const content = kindnetConflist(n.spec);
    try {
      if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.temp`, content, { mode: 0o644 });
      fs.renameSync(`${file}.temp`, file);
    } catch (err) {
      logger.warn({ err, node: n.spec.name }, "sim node: kindnet could not write its CNI config");
    }
    this.schedule();
  }

  private scheduled = false;
  /** Set by stop(): a tick queued before it must not write into node trees being removed. */
  private stopped = false;
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.tick();
    }, 50).unref?.();
  }

  /**
   * Reconciles what the models say with the nodes and the rest of the cluster, in a fixed order:
   * each node's CNI readiness and pod log files, then (once connected) the API endpoint, the
   * apiserver's certificates, processes that lost their dependency, etcd's data, and leader
   * election with its leases.
   */
  tick(): void {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    for (const n of this.nodes.values()) reconcileCniReadiness(n, now);
    for (const n of this.nodes.values()) reconcilePodLogFiles(n, this.logWritten);
    const effects = this.effects;
    if (!effects) return;
    const cp = this.controlPlane();
    const api = this.apiState();
    reconcileApiEndpoint(api.endpoint, this.last, effects);
    reconcileApiserverCertificates(api, nodeFs(cp.layout).read, this.certificates, effects);
    reconcileApiserverStart({ controlPlane: cp, api, store: this.opts.store, now, state: this.apiserverStart, postStart: () => effects.apiserverStarted?.() });
    reconcileLostProcesses({
      controlPlane: cp,
      runs: this.runs,
      api,
      etcdState: () => this.etcdState(),
      now,
      lostSince: this.lostSince,
      hasLed: this.leaderElection.hasLed,
    });
    reconcileEtcdData(this.etcdState(), cp, this.etcdData, effects);
    reconcileLeaderElection({ controlPlane: cp, runs: this.runs, api, now, state: this.leaderElection, effects, store: this.opts.store });
  }

  /** The control-plane node's listening sockets (the apiserver's ComponentStatus probes them). */
  controlPlaneListeners(): Array<{ host: string; port: number; process: string; pid: number }> {
    return this.listeners(this.controlPlane());
  }

  private listeners(n: NodeState): Array<{ host: string; port: number; process: string; pid: number }> {
    const out: Array<{ host: string; port: number; process: string; pid: number }> = [];
    if (n.services.units.kubelet.active) {
      const pid = n.services.units.kubelet.pid;
      out.push({ host: "127.0.0.1", port: 10248, process: "kubelet", pid }, { host: "::", port: 10250, process: "kubelet", pid });
    }
    if (n.services.units.containerd.active) out.push({ host: "127.0.0.1", port: 37311, process: "containerd", pid: n.services.units.containerd.pid });
    for (const c of n.kubelet?.containers() ?? []) {
      if (c.state !== "Running") continue;
      const r = runOf(this.runs, c);
      if (r) {
        for (const l of r.outcome.listen) out.push({ host: l.host === "0.0.0.0" ? "::" : l.host, port: l.port, process: r.component, pid: pidOf(c.id) });
      } else if (c.name === "kube-proxy") {
        out.push({ host: "127.0.0.1", port: 10249, process: "kube-proxy", pid: pidOf(c.id) }, { host: "::", port: 10256, process: "kube-proxy", pid: pidOf(c.id) });
      }
    }
    return out;
  }

  private toolHost(name: string): NodeToolHost | null {
    const n = this.nodes.get(name);
    if (!n?.kubelet) return null;
    const k = n.kubelet as SimKubelet & Partial<KubeletRuntimeOps>;
    const ops: KubeletRuntimeOps = {
      removeContainer: n.ops.removeContainer ?? k.removeContainer?.bind(k),
      stopSandbox: n.ops.stopSandbox ?? k.stopSandbox?.bind(k),
      removeSandbox: n.ops.removeSandbox ?? k.removeSandbox?.bind(k),
    };
    return {
      node: n.spec,
      layout: n.layout,
      clock: this.opts.clock,
      kubelet: n.kubelet,
      services: n.services,
      listeners: () => this.listeners(n),
      extraJournal: (unit) => n.journal[unit],
      etcd: () => {
        if (n.spec.role !== "control-plane") return null;
        const e = this.etcdState();
        if (!e.clientUrls.length) return null;
        const store = this.opts.store;
        return { ...e, name: n.spec.name, dbSizeBytes: 5_242_880 + (store?.resourceVersion ?? 0) * 1024, revision: store?.resourceVersion ?? 1 };
      },
      apiReachable: () => {
        const api = this.apiState();
        if (api.endpoint !== "serving" || !api.servingCertPem) return false;
        try {
          return new Date(new X509Certificate(api.servingCertPem).validTo) > this.opts.clock.now();
        } catch {
          return false;
        }
      },
      runtime:
        ops.removeContainer && ops.stopSandbox && ops.removeSandbox
          ? { removeContainer: ops.removeContainer, stopSandbox: ops.stopSandbox, removeSandbox: ops.removeSandbox }
          : undefined,
    };
  }

  /**
   * The PKI the sim API server must use, read from the control plane's files: the cluster CA, the
   * apiserver's serving pair and the admin client pair of admin.conf (same shape as SimClusterPki).
   */
  apiPki(): { ca: PemTriple; apiserver: PemTriple; admin: PemTriple } {
    const read = nodeFs(this.controlPlane().layout).read;
    const triple = (certPem: string, keyPem: string): PemTriple => ({
      certPem,
      keyPem,
      publicKeyPem: String(createPublicKey(keyPem).export({ type: "spki", format: "pem" })),
    });
    const files = this.apiserverFiles();
    const admin = this.adminCredentials();
    return {
      ca: triple(read("/etc/kubernetes/pki/ca.crt") ?? "", read("/etc/kubernetes/pki/ca.key") ?? ""),
      apiserver: triple(files.certPem, files.keyPem),
      admin: triple(admin.certPem, admin.keyPem),
    };
  }

  /** The private key the apiserver signs ServiceAccount tokens with (--service-account-signing-key-file, kubeadm's sa.key). */
  serviceAccountKey(): string | null {
    return nodeFs(this.controlPlane().layout).read("/etc/kubernetes/pki/sa.key") ?? null;
  }

  /**
   * The whole hand-over for sim-cluster.ts once the API listens: point the node kubeconfigs at it,
   * map the models' effects onto it, start, and wait (bounded) until the kube-apiserver static pod
   * serves, so callers get a cluster whose API answers.
   */
  async startWith(t: {
    api: ApiServerHandle;
    port: number;
    setLeader: ControlPlaneTargets["setLeader"];
    setEtcdData?: ControlPlaneTargets["setEtcdData"];
    onApiserverStart?: ControlPlaneTargets["onApiserverStart"];
    timeoutMs?: number;
  }): Promise<void> {
    this.setServer(`https://127.0.0.1:${t.port}`);
    this.connect(controlPlaneEffects({ api: t.api, port: t.port, setLeader: t.setLeader, setEtcdData: t.setEtcdData, onApiserverStart: t.onApiserverStart }));
    await this.start({ api: t.api });
    const timeoutMs = t.timeoutMs ?? 60_000;
    const end = Date.now() + timeoutMs;
    while (this.last.api !== "serving") {
      if (Date.now() > end) throw new TimeoutError(`Gave up after ${Math.round(timeoutMs / 1000)} s waiting for the kube-apiserver static pod to serve.`);
      await new Promise((r) => setTimeout(r, 100));
    }
    while (!t.api.listening && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * Starts the manifest watchers, the node agent and the monitor and, given the API, the bridge
   * that node shells (each in a network namespace of its own) reach it through.
   */
  async start(opts: { api?: ApiEndpointWatch } = {}): Promise<void> {
    installNodeTools(this.paths);
    for (const n of this.nodes.values()) n.source.start();
    this.agent = new NodeAgent(this.paths.agentSocket, (name) => this.toolHost(name), NODE_TOOLS);
    await this.agent.listen();
    if (opts.api) {
      this.apiBridge = new ApiBridge(this.paths.apiBridgeSocket, opts.api);
      await this.apiBridge.listen();
    }
    // kindnetd reconciles on start: a kindnet container already running (started before the fleet
    // was attached) writes its config now, as its first reconcile would.
    for (const n of this.nodes.values()) {
      if (n.kubelet?.containers().some((c) => c.name === "kindnet-cni" && c.state === "Running")) this.writeConflist(n);
    }
    this.cancelMonitor = this.opts.clock.every((this.opts.monitorMs ?? 250) * this.opts.clock.timeScale, () => this.tick());
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelMonitor?.();
    for (const n of this.nodes.values()) n.services.dispose();
    for (const n of this.nodes.values()) n.source.stop();
    await this.agent?.close();
    this.agent = null;
    await this.apiBridge?.close();
    this.apiBridge = null;
  }

  private sandboxPaths(node: string): SandboxPaths {
    return { ...this.paths, root: this.node(node).layout.root };
  }

  exec(node: string, argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    const n = this.node(node);
    return execInNode({ name: n.spec.name, role: n.spec.role }, this.sandboxPaths(node), argv, opts);
  }

  shell(node: string): ShellSpec {
    const n = this.node(node);
    return nodeShellSpec({ name: n.spec.name, role: n.spec.role }, this.sandboxPaths(node));
  }

  /** A kubelet journal line from the node side (static-pod source errors), in klog format. */
  kubeletLog(node: string, level: "I" | "W" | "E", source: string, msg: string): void {
    this.node(node).journal.kubelet.push(klog(level, this.opts.clock.now(), source, msg));
  }

  /** For tests: the syslog prefix the node's journal uses. */
  static journalPrefix(d: Date, node: string, unit: string, pid: number): string {
    return `${syslogDate(d)} ${node} ${unit}[${pid}]: `;
  }
}
