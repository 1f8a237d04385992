/**
 * The emulated kubelet's seams, for lib/cluster/sim/node/ (node filesystems, static pods,
 * control-plane components, crictl/journalctl/systemctl) and for sim-cluster.ts.
 *
 * 1. Static pods: pass `hooks.staticPods`, a StaticPodSource. The kubelet runs every pod it lists
 *    (pods parsed from /etc/kubernetes/manifests; `metadata.name` as written in the manifest) and
 *    publishes the mirror pod `<name>-<node>` with the kubernetes.io/config.* annotations and an
 *    owner reference to the Node. Call the subscriber whenever the manifests change; a changed
 *    spec restarts the pod's containers, a removed manifest stops them and deletes the mirror pod.
 * 2. CNI: `kubelet.setNetworkReady(false)` makes the node Ready=False with the kubelet's real
 *    message; the node-lifecycle controller adds the taint node.kubernetes.io/not-ready:NoSchedule;
 *    pods bound to the node stay ContainerCreating with the NetworkNotReady event; pods that
 *    already run keep running; hostNetwork pods (static pods) are not affected.
 * 3. Kubelet process: `kubelet.setRunning(false)` (systemctl stop kubelet) stops lease renewals,
 *    pod syncs and status writes; containers keep running. After the node-monitor grace period the
 *    node-lifecycle controller marks the node Unknown, "Kubelet stopped posting node status.".
 *    `setRunning(true)` or `restart()` starts it again; `restart()` also forgets all back-offs,
 *    like a real kubelet restart does. `setApiFault(fault)` says that the kubeconfig it started
 *    with names an API server that does not answer: it keeps its pods but writes nothing to the
 *    API (the node goes Unknown the same way) and logs the dial errors; `setApiFault(null)`
 *    connects it again, and it re-lists the pods bound to it.
 * 4. Container records: `containers()`, `sandboxes()`, `images()` give what crictl shows (ids,
 *    attempts, states, created times) and `containerLogs(id)` the log lines. `journal()` gives the
 *    kubelet's own log lines (klog format) for `journalctl -u kubelet`. Runtime operations for
 *    crictl: `removeContainer`, `stopSandbox`, `removeSandbox`, `exitContainer`.
 * 5. Process model: `hooks.processModel` decides, per container start, what the process does. It
 *    gets the catalogue's default plan and returns it, a changed plan (e.g. a kube-apiserver that
 *    exits after 20 s with its real log lines), or undefined for the default.
 */
import type { RunPlan } from "../container-shell/run-plan";
import type { LogSource, SimComponent } from "../contracts";
import type { Container, Pod } from "../controllers/api-types";

export interface StaticPodSource {
  /** The static pods of this node as the manifests define them now. */
  list(): Pod[];
  /** Called by the source when the manifests changed. Returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

export interface ProcessModelContext {
  nodeName: string;
  pod: Pod;
  container: Container;
  /** 0 for the first run, then the restart count */
  attempt: number;
  defaultPlan: RunPlan;
}

export type ProcessModel = (ctx: ProcessModelContext) => RunPlan | undefined;

export interface KubeletHooks {
  staticPods?: StaticPodSource;
  processModel?: ProcessModel;
  /** Reads a file of the node (null when absent): containerd's /etc/containerd/certs.d/<host>/hosts.toml. */
  nodeFile?: (path: string) => string | null;
  /** The node's /var/lib/kubelet/pods on disk, where exec'd containers keep their files (a temp dir when absent). */
  podsDir?: string;
  /** The host path of a node path in the node's own tree (hostPath and local PV volumes), else null. */
  nodePath?: (path: string) => string | null;
  /**
   * The key the apiserver signs ServiceAccount tokens with (the control plane's sa.key), for the
   * pods' projected tokens; a real kubelet gets them from the TokenRequest API, signed with it.
   */
  serviceAccountKey?: () => string | null;
}

export interface LogLine {
  time: Date;
  stream: "stdout" | "stderr";
  text: string;
}

export type ContainerRecordState = "Created" | "Running" | "Exited";

export interface ContainerRecord {
  /** 64 hex; crictl shows the first 13 */
  id: string;
  podSandboxId: string;
  podUid: string;
  podName: string;
  namespace: string;
  name: string;
  attempt: number;
  /** image as resolved, e.g. docker.io/library/nginx:1.27 */
  image: string;
  /** sha256:<64 hex> */
  imageId: string;
  state: ContainerRecordState;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  /** Completed | Error | OOMKilled | StartError */
  reason?: string;
  message?: string;
  logs: LogLine[];
}

export interface SandboxRecord {
  id: string;
  podUid: string;
  podName: string;
  namespace: string;
  attempt: number;
  createdAt: Date;
  state: "Ready" | "NotReady";
  ip: string;
}

export interface NodeImage {
  /** docker.io/library/nginx:1.27 */
  ref: string;
  /** sha256:<64 hex> */
  id: string;
  /** the repo digest, sha256:<64 hex> */
  digest?: string;
  size: number;
}

/** `ctr images push [--plain-http] [--user u:p] REF [LOCAL]`. */
export interface ImagePushRequest {
  ref: string;
  local?: string;
  plainHttp: boolean;
  creds?: { username: string; password: string };
}

export type ImagePushResult = { ok: true; manifestDigest: string; configDigest: string; manifestSize: number } | { ok: false; error: string };

export interface ExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
}

/** `kubectl exec` with streams: stdin, a TTY and its size, output as it comes. */
export interface ExecStreamRequest extends ExecRequest {
  tty: boolean;
}

export interface ExecStreamIo {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
}

export interface ExecStream {
  write(data: Buffer): void;
  endStdin(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  /** The command's exit code. */
  done: Promise<number>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The API server a kubelet's kubeconfig names, which does not answer, and the dial error it gets. */
export interface ApiFault {
  /** The kubeconfig's server URL, e.g. https://127.0.0.1:6444 */
  server: string;
  /** e.g. "dial tcp 127.0.0.1:6444: connect: connection refused" */
  dialError: string;
}

export interface SimKubelet extends SimComponent {
  readonly nodeName: string;
  setNetworkReady(ready: boolean): void;
  networkReady(): boolean;
  setRunning(running: boolean): void;
  running(): boolean;
  /**
   * The kubelet (re)started with a kubeconfig whose API server does not answer (null: it
   * answers). Set before setRunning/restart, from the files the kubelet reads as it starts.
   */
  setApiFault?(fault: ApiFault | null): void;
  /** systemctl restart kubelet: forget back-offs and sync every pod again. */
  restart(): void;
  containers(): ContainerRecord[];
  sandboxes(): SandboxRecord[];
  images(): NodeImage[];
  containerLogs(id: string): LogLine[];
  /** The kubelet's own log (klog lines), oldest first. */
  journal(): string[];
  /** containerd's CRI log lines (logrus format) for the calls this kubelet made, oldest first. */
  runtimeJournal?(): string[];
  /** Logs of the pods on this node (kubectl logs). */
  logs: LogSource;
  /** ctr images tag: another name for a node image; names are taken as given (ctr does not normalise). */
  tagImage?(source: string, target: string, force: boolean): { ok: true } | { ok: false; error: string };
  /** ctr images push: uploads a node image to a registry the node reaches. */
  pushImage?(req: ImagePushRequest): ImagePushResult;
  /** crictl rm: forgets an exited container record. */
  removeContainer?(id: string): void;
  /** crictl stopp: stops the sandbox's containers at once; the kubelet then re-creates the sandbox (SandboxChanged). */
  stopSandbox?(id: string): void;
  /** crictl rmp: forgets a NotReady sandbox record. */
  removeSandbox?(id: string): void;
  /** The process of a running container exits now with `exitCode`, writing `logs` first (a leader losing its lease). */
  exitContainer?(id: string, exitCode: number, logs: string[]): void;
  /**
   * `kubectl exec` (non-interactive): runs `command` in the running container through the same
   * interpreter as container commands; files it touches or removes stay changed. Throws
   * StatusError with the runtime's texts (container not found, executable not found).
   */
  exec?(req: ExecRequest): ExecResult;
  /**
   * `kubectl exec` in a real shell (bubblewrap + busybox, container-exec.ts), or undefined when
   * this container keeps the model's exec (no shell in the image, no sandbox on this host, or a
   * network tool the model answers). Throws StatusError like `exec`.
   */
  execStream?(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
  /** `kubectl attach`: joins (or starts) the container's interactive shell, else streams its output. */
  attachStream?(req: ExecStreamRequest, io: ExecStreamIo): ExecStream;
}
