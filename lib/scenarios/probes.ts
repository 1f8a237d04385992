import { randomBytes } from "node:crypto";
import type { CoreV1Event, V1Node, V1Pod, V1Toleration } from "@kubernetes/client-node";
import type { K8sApis, ProbeResult, Probes } from "./context";
import { askApi } from "./ask-api";
import { sleep } from "./wait-for";

/** Probe pods live here, apart from the learner's namespaces, and are deleted after each probe. */
export const PROBE_NAMESPACE = "breakfix-probes";
export const DEFAULT_PROBE_IMAGE = "busybox:1.36";

interface ProbeDeps {
  k8s: K8sApis;
  signal: AbortSignal;
  /** The clock (a seam for tests). */
  now?: () => number;
}

/**
 * How long a node's kubelet may take to report on a pod bound to it. A running kubelet reports
 * a new pod (Pending, ContainerCreating) within about a second; one that has said nothing after
 * this long is not going to start it while the check waits.
 */
export const KUBELET_PICKUP_MS = 2500;

function errText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "number") return `the API server answered ${code}`;
  return err instanceof Error ? err.message.split("\n")[0]! : String(err);
}

async function ensureNamespace(k8s: K8sApis): Promise<void> {
  try {
    await askApi(k8s, k8s.core.readNamespace({ name: PROBE_NAMESPACE }), "reading the probe namespace");
  } catch (err) {
    if ((err as { code?: unknown }).code !== 404) throw err;
    try {
      await askApi(
        k8s,
        k8s.core.createNamespace({ body: { metadata: { name: PROBE_NAMESPACE, labels: { "breakfix.dev/probes": "true" } } } }),
        "creating the probe namespace",
      );
    } catch (e) {
      if ((e as { code?: unknown }).code !== 409) throw e;
    }
  }
}

/** Why a pod is not running (yet), in kubectl's words (Terminating, ContainerCreating, ImagePullBackOff, Pending). */
export function podState(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
  if (waiting) return waiting;
  const unsched = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unsched) return `Pending (not scheduled${unsched.reason ? `: ${unsched.reason}` : ""})`;
  return pod.status?.phase ?? "Unknown";
}

/**
 * Waiting reasons after which a container does not start unless someone changes something.
 * CreateContainerError is left out: containerd under load gives it for a moment ("failed to
 * reserve container name") and the retry succeeds.
 */
const STUCK_WAITING = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "ErrImageNeverPull",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CrashLoopBackOff",
  "RunContainerError",
]);

/**
 * Warning events that say a pod cannot start as things stand: the scheduler found no node, the
 * runtime could not create the pod's sandbox (no CNI config, CNI plugin failing), or the node's
 * network is not ready. The kubelet and scheduler retry, but only a change to the cluster makes
 * the retry succeed, so a check need not wait out its timeout to know the answer.
 */
const STUCK_EVENTS = new Set(["FailedScheduling", "FailedCreatePodSandBox", "NetworkNotReady"]);

/**
 * Why a node cannot start a new pod now, or undefined when it can: it is not Ready (the kubelet
 * does not run new pods' sandboxes without a ready runtime network), or it carries the taints
 * the node lifecycle controller sets on such nodes.
 */
export function nodeRefusesNewPods(node: V1Node): string | undefined {
  const name = node.metadata?.name ?? "the node";
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status !== "True") return `node ${name} is NotReady`;
  const taint = node.spec?.taints?.find((t) => t.key === "node.kubernetes.io/not-ready" || t.key === "node.kubernetes.io/unreachable");
  if (taint) return `node ${name} has the taint ${taint.key}:${taint.effect}`;
  if (node.spec?.unschedulable) return `node ${name} is cordoned (SchedulingDisabled)`;
  return undefined;
}

/**
 * Why a new pod will not start without a change to the cluster, from its status and its own
 * events, or undefined while it may still start. In kubectl's words (the pod's status column and
 * the event's reason), never the event's full message.
 */
export function podCannotStart(pod: V1Pod, events: CoreV1Event[]): string | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.find((c) => c.state?.waiting?.reason && STUCK_WAITING.has(c.state.waiting.reason))?.state?.waiting?.reason;
  if (waiting) return `the probe pod is ${waiting}`;
  if (pod.spec?.restartPolicy !== "Never" && statuses.some((c) => c.state?.terminated || c.restartCount > 0))
    return "the probe pod's container exited";
  const own = events.filter(
    (e) =>
      e.type === "Warning" &&
      e.involvedObject.name === pod.metadata?.name &&
      (!e.involvedObject.uid || !pod.metadata?.uid || e.involvedObject.uid === pod.metadata.uid),
  );
  const stuck = own.find((e) => e.reason && STUCK_EVENTS.has(e.reason));
  if (stuck) return `the probe pod is ${podState(pod)} (${stuck.reason})`;
  const unsched = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable");
  if (unsched) return `the probe pod is ${podState(pod)}`;
  return undefined;
}

/** How often a probe looks at its pod: a healthy pod runs within a second on sim and kind. */
const POLL_MS = 200;

async function runProbePod(
  deps: ProbeDeps,
  spec: { prefix: string; node?: string; image: string; command?: string[]; timeoutMs: number; tolerations?: V1Toleration[] },
  done: (pod: V1Pod) => ProbeResult | undefined,
): Promise<ProbeResult> {
  const { k8s, signal } = deps;
  const name = `${spec.prefix}-${randomBytes(3).toString("hex")}`;
  if (spec.node) {
    // A node that cannot run a new pod is the answer already; no pod needs to wait on it.
    try {
      const refused = nodeRefusesNewPods(await askApi(k8s, k8s.core.readNode({ name: spec.node }), `reading node ${spec.node}`));
      if (refused) return { ok: false, detail: refused };
    } catch (err) {
      return { ok: false, detail: `could not read node ${spec.node}: ${errText(err)}` };
    }
  }
  // Everything after the create sits in the try whose finally deletes the pod: a create that
  // timed out here may still have happened on the server.
  try {
    try {
      await ensureNamespace(k8s);
      await askApi(
        k8s,
        k8s.core.createNamespacedPod({
          namespace: PROBE_NAMESPACE,
          body: {
            metadata: { name, labels: { "breakfix.dev/probe": spec.prefix } },
            spec: {
              ...(spec.node ? { nodeName: spec.node } : {}),
              // Bound by hand, or left to the scheduler, which may also pick a one-node
              // cluster's control plane (kubeadm keeps its taint; kind drops it).
              ...(spec.tolerations
                ? { tolerations: spec.tolerations }
                : spec.node
                  ? {}
                  : { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }),
              restartPolicy: spec.command ? "Never" : "Always",
              terminationGracePeriodSeconds: 0,
              automountServiceAccountToken: false,
              containers: [
                {
                  name: "probe",
                  image: spec.image,
                  imagePullPolicy: "IfNotPresent",
                  ...(spec.command ? { command: spec.command } : {}),
                },
              ],
            },
          },
        }),
        "creating the probe pod",
      );
    } catch (err) {
      return { ok: false, detail: `could not create a probe pod: ${errText(err)}` };
    }
    const now = deps.now ?? Date.now;
    const created = now();
    const deadline = created + spec.timeoutMs;
    let last = "Pending";
    while (now() < deadline && !signal.aborted) {
      try {
        const pod = await askApi(k8s, k8s.core.readNamespacedPod({ name, namespace: PROBE_NAMESPACE }), "reading the probe pod");
        const r = done(pod);
        if (r) return r;
        last = podState(pod);
        const events = await askApi(k8s, k8s.core.listNamespacedEvent({ namespace: PROBE_NAMESPACE }), "listing the probe pod's events");
        const stuck = podCannotStart(pod, events.items);
        if (stuck) return { ok: false, detail: stuck };
        if (spec.node && !pod.status?.containerStatuses?.length && now() - created >= KUBELET_PICKUP_MS)
          return { ok: false, detail: `the probe pod is still Pending on ${spec.node}, with no status from the node` };
      } catch (err) {
        // The API server answered the create a moment ago; one that stops answering is the answer.
        return { ok: false, detail: `could not read the probe pod: ${errText(err)}` };
      }
      await sleep(POLL_MS, signal).catch(() => undefined);
    }
    return { ok: false, detail: `after ${Math.round(spec.timeoutMs / 1000)} s the probe pod is ${last}` };
  } finally {
    await askApi(k8s, k8s.core.deleteNamespacedPod({ name, namespace: PROBE_NAMESPACE, gracePeriodSeconds: 0 }), "deleting the probe pod").catch(
      () => undefined,
    );
  }
}

async function commandProbe(
  deps: ProbeDeps,
  prefix: string,
  image: string,
  command: string[],
  timeoutMs: number,
  what: string,
): Promise<ProbeResult> {
  return runProbePod(deps, { prefix, image, command, timeoutMs }, (pod) => {
    const phase = pod.status?.phase;
    if (phase === "Succeeded") return { ok: true, detail: `${what}: yes` };
    if (phase === "Failed") {
      const term = pod.status?.containerStatuses?.[0]?.state?.terminated;
      return { ok: false, detail: `${what}: no (exit code ${term?.exitCode ?? "?"})` };
    }
    return undefined;
  });
}

/**
 * Probes run short-lived pods with images the pack declares, so that they exercise the same
 * scheduler, kubelet, CNI and image pulls as the learner's workloads.
 *
 * @example
 * const r = await probes.podRuns({ node: ctx.workers[0]!, image: "nginx:1.27" });
 * if (!r.ok) return { ok: false, message: "New pods do not start on every node.", detail: ... };
 */
export function createProbes(deps: ProbeDeps): Probes {
  return {
    podRuns({ node, image, timeoutMs = 60_000 }) {
      return runProbePod(deps, { prefix: "probe-run", node, image, timeoutMs }, (pod) => {
        const ready = pod.status?.containerStatuses?.[0]?.ready === true;
        if (pod.status?.phase === "Running" && pod.status.podIP && ready)
          return { ok: true, detail: `a new pod runs on ${node ?? pod.spec?.nodeName ?? "a node"} with IP ${pod.status.podIP}` };
        return undefined;
      });
    },
    dns(name, { image = DEFAULT_PROBE_IMAGE, timeoutMs = 60_000 } = {}) {
      return commandProbe(deps, "probe-dns", image, ["nslookup", name], timeoutMs, `${name} resolves`);
    },
    http(svc, port, { image = DEFAULT_PROBE_IMAGE, timeoutMs = 60_000 } = {}) {
      const url = `http://${svc}:${port}/`;
      return commandProbe(deps, "probe-http", image, ["wget", "-q", "-O", "/dev/null", "-T", "5", url], timeoutMs, `${url} answers`);
    },
  };
}
