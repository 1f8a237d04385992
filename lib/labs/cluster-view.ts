import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";

/**
 * What the live cluster panel shows, computed from API objects the way `kubectl get` does.
 * Pure functions; the watch (cluster-watch.ts) feeds them.
 */
export interface NodeRow {
  name: string;
  /** "Ready" | "NotReady" | "Unknown", plus ",SchedulingDisabled" when cordoned (as kubectl prints). */
  status: string;
  ready: boolean;
  roles: string;
}

export interface PodRow {
  namespace: string;
  name: string;
  /** kubectl's STATUS column: a waiting/terminated reason when there is one, else the phase. */
  status: string;
  /** Ready containers / all containers, e.g. "0/1". */
  ready: string;
  restarts: number;
  node: string;
  healthy: boolean;
}

export interface EventRow {
  key: string;
  type: string;
  reason: string;
  object: string;
  namespace: string;
  message: string;
  count: number;
  /** ISO time of the last occurrence. */
  at: string;
}

/**
 * Ready condition → status. A missing condition or "Unknown" counts as not ready: the node
 * controller sets Unknown when the kubelet stops reporting, which is exactly the fault to see.
 */
export function nodeRow(node: V1Node): NodeRow {
  const cond = node.status?.conditions?.find((c) => c.type === "Ready");
  const base = cond?.status === "True" ? "Ready" : cond?.status === "False" ? "NotReady" : "Unknown";
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((l) => l.startsWith("node-role.kubernetes.io/"))
    .map((l) => l.slice("node-role.kubernetes.io/".length))
    .filter(Boolean)
    .sort();
  return {
    name: node.metadata?.name ?? "(unnamed)",
    status: node.spec?.unschedulable ? `${base},SchedulingDisabled` : base,
    ready: base === "Ready",
    roles: roles.join(",") || "<none>",
  };
}

/** kubectl's pod STATUS: the last container's waiting or terminated reason wins over the phase. */
export function podStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  let reason = pod.status?.reason || pod.status?.phase || "Unknown";
  const init = pod.status?.initContainerStatuses ?? [];
  const initCount = pod.spec?.initContainers?.length ?? init.length;
  for (let i = 0; i < init.length; i++) {
    const s = init[i]!.state;
    if (s?.terminated?.exitCode === 0) continue;
    if (s?.terminated) return s.terminated.reason ? `Init:${s.terminated.reason}` : `Init:ExitCode:${s.terminated.exitCode}`;
    if (s?.waiting?.reason && s.waiting.reason !== "PodInitializing") return `Init:${s.waiting.reason}`;
    return `Init:${i}/${initCount}`;
  }
  for (const cs of [...(pod.status?.containerStatuses ?? [])].reverse()) {
    if (cs.state?.waiting?.reason) {
      reason = cs.state.waiting.reason;
      break;
    }
    if (cs.state?.terminated) {
      reason = cs.state.terminated.reason || `ExitCode:${cs.state.terminated.exitCode}`;
      break;
    }
  }
  return reason;
}

export function podRow(pod: V1Pod): PodRow {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  const ready = statuses.filter((s) => s.ready).length;
  const status = podStatus(pod);
  return {
    namespace: pod.metadata?.namespace ?? "default",
    name: pod.metadata?.name ?? "(unnamed)",
    status,
    ready: `${ready}/${total}`,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    node: pod.spec?.nodeName ?? "",
    healthy: status === "Completed" || status === "Succeeded" || (status === "Running" && ready === total),
  };
}

function iso(t: unknown): string | undefined {
  if (t instanceof Date && !Number.isNaN(t.getTime())) return t.toISOString();
  if (typeof t === "string" && t) return new Date(t).toISOString();
  return undefined;
}

export function eventRow(ev: CoreV1Event): EventRow {
  const o = ev.involvedObject;
  return {
    key: ev.metadata?.uid ?? `${ev.metadata?.namespace}/${ev.metadata?.name}`,
    type: ev.type ?? "Normal",
    reason: ev.reason ?? "",
    object: `${(o?.kind ?? "").toLowerCase()}/${o?.name ?? ""}`,
    namespace: ev.metadata?.namespace ?? o?.namespace ?? "",
    message: ev.message ?? "",
    count: ev.count ?? ev.series?.count ?? 1,
    at: iso(ev.lastTimestamp) ?? iso(ev.eventTime) ?? iso(ev.firstTimestamp) ?? iso(ev.metadata?.creationTimestamp) ?? new Date(0).toISOString(),
  };
}

/** The newest `limit` events, newest first. */
export function latestEvents(rows: Iterable<EventRow>, limit = 25): EventRow[] {
  return [...rows].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}

/** kube-system first (the control plane is what most faults break), then by namespace and name. */
export function sortPods(rows: Iterable<PodRow>): PodRow[] {
  return [...rows].sort((a, b) => {
    const ak = a.namespace === "kube-system" ? "" : a.namespace;
    const bk = b.namespace === "kube-system" ? "" : b.namespace;
    return ak === bk ? a.name.localeCompare(b.name) : ak.localeCompare(bk);
  });
}

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_OSSL|DEPTH_ZERO/;

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 5; i++) {
    if (typeof e === "object") {
      const c = (e as { code?: unknown }).code;
      if (typeof c === "string") return c;
      e = (e as { cause?: unknown }).cause;
    }
  }
  return undefined;
}

/**
 * Why the API server cannot be reached, in words the learner can act on. Only what kubectl
 * itself would show is said; the cause of the fault is never guessed at.
 */
export function describeUnreachable(err: unknown): string {
  const code = codeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(text)) return "The API server refused the connection: nothing is listening on its port.";
  if (code === "ECONNRESET" || /ECONNRESET|socket hang up|Premature close/.test(text)) return "The API server closed the connection.";
  if ((code && TLS_CODES.test(code)) || /certificate|x509|TLS/i.test(text)) {
    return `The API server's TLS handshake failed (${code ?? text.slice(0, 120)}).`;
  }
  if (code === "ETIMEDOUT" || code === "ABORT_ERR" || /timed? ?out|did not answer/i.test(text)) return "The API server did not answer in time.";
  const status = (err as { code?: unknown } | null)?.code;
  if (typeof status === "number") return `The API server answered with HTTP ${status}.`;
  return `The API server cannot be reached (${text.slice(0, 160)}).`;
}
