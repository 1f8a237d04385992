import type { RowDraft } from "./timeline-row";
import type { TimelinePod } from "./timeline-objects";

type ContainerStatus = NonNullable<NonNullable<TimelinePod["status"]>["containerStatuses"]>[number];

/** A container state as one short word, with the reason that matters: "waiting:ContainerCreating", "running", "terminated:Completed(0)". */
export function containerStateText(s: ContainerStatus["state"]): string {
  if (s?.running) return "running";
  if (s?.terminated) {
    const t = s.terminated;
    return `terminated:${t.reason ?? "Unknown"}(${t.exitCode ?? "?"})`;
  }
  if (s?.waiting) return `waiting:${s.waiting.reason ?? ""}`;
  return "unknown";
}

/**
 * Who writes a pod condition. PodScheduled is the scheduler's (True when it binds, False with
 * Unschedulable when no node fits); every other condition is the kubelet's status manager.
 */
function conditionActor(type: string, kubelet: string, scheduler: string): string {
  return type === "PodScheduled" ? scheduler : kubelet;
}

/** The component that created the pod, from the first managedFields entry (kubectl-run, kube-controller-manager, …). */
function creator(pod: TimelinePod): string | undefined {
  return pod.metadata.managedFields?.find((m) => m.operation === "Update" || m.operation === "Apply")?.manager;
}

/**
 * The rows between two versions of a pod. `prev` undefined means the pod was just created (an
 * ADDED watch event); `deleted` means it was removed from the API (DELETED). Rows come in the
 * order the components act: scheduler binding, kubelet phase and IP, containers, conditions.
 */
export function diffPod(prev: TimelinePod | undefined, next: TimelinePod, at: string, deleted = false): RowDraft[] {
  const ns = next.metadata.namespace;
  const name = next.metadata.name;
  const base = { at, namespace: ns, object: `pod/${name}`, pods: [name], source: "watch" as const };
  const node = next.spec?.nodeName ?? prev?.spec?.nodeName ?? "";
  const kubelet = node ? `kubelet/${node}` : "kubelet";
  const scheduler = next.spec?.schedulerName ?? "default-scheduler";
  const rows: RowDraft[] = [];

  if (deleted) {
    const graceful = (prev?.metadata.deletionTimestamp ?? next.metadata.deletionTimestamp) !== undefined;
    rows.push({ ...base, actor: "kube-apiserver", action: graceful ? "pod object removed (kubelet confirmed its containers stopped)" : "pod object removed", field: "metadata", from: "present", to: "deleted" });
    return rows;
  }
  if (!prev) {
    const by = creator(next);
    rows.push({ ...base, actor: "kube-apiserver", action: by ? `pod created (written by ${by})` : "pod created", detail: next.metadata.ownerReferences?.[0] ? `owned by ${next.metadata.ownerReferences[0].kind.toLowerCase()}/${next.metadata.ownerReferences[0].name}` : undefined });
  }
  const p: TimelinePod = prev ?? { metadata: { name, creationTimestamp: undefined, deletionTimestamp: undefined } };

  if (!p.spec?.nodeName && next.spec?.nodeName) {
    rows.push({ ...base, actor: scheduler, action: "bound pod to node (binding subresource)", field: "spec.nodeName", from: "", to: next.spec.nodeName });
  }
  if (!p.metadata.deletionTimestamp && next.metadata.deletionTimestamp) {
    const grace = next.metadata.deletionGracePeriodSeconds ?? next.spec?.terminationGracePeriodSeconds ?? undefined;
    rows.push({
      ...base,
      actor: "kube-apiserver",
      action: grace === 0 ? "force deletion: grace period 0, the object goes without waiting for the kubelet" : `deletion requested: grace period ${grace ?? "?"}s starts`,
      field: "metadata.deletionTimestamp",
      from: "",
      to: next.metadata.deletionTimestamp,
    });
  }
  const phase = (x: TimelinePod) => x.status?.phase ?? "";
  if (phase(p) !== phase(next) && phase(next)) {
    rows.push({ ...base, actor: phase(p) ? kubelet : "kube-apiserver", action: "phase changed", field: "status.phase", from: phase(p), to: phase(next) });
  }
  if ((p.status?.podIP ?? "") !== (next.status?.podIP ?? "")) {
    rows.push({ ...base, actor: kubelet, action: next.status?.podIP ? "pod IP assigned (sandbox network set up by the CNI plugin)" : "pod IP released", field: "status.podIP", from: p.status?.podIP ?? "", to: next.status?.podIP ?? "" });
  }
  for (const key of ["initContainerStatuses", "containerStatuses"] as const) {
    const before = new Map((p.status?.[key] ?? []).map((c) => [c.name, c]));
    for (const c of next.status?.[key] ?? []) {
      const b = before.get(c.name);
      const field = `status.${key}[${c.name}]`;
      const from = b ? containerStateText(b.state) : "";
      const to = containerStateText(c.state);
      if (from !== to) {
        rows.push({ ...base, actor: kubelet, action: containerAction(to), field: `${field}.state`, from, to, detail: c.state?.waiting?.message ?? undefined });
      }
      if ((b?.restartCount ?? 0) !== (c.restartCount ?? 0)) {
        rows.push({ ...base, actor: kubelet, action: "container restarted", field: `${field}.restartCount`, from: String(b?.restartCount ?? 0), to: String(c.restartCount ?? 0) });
      }
      if (b && Boolean(b.ready) !== Boolean(c.ready)) {
        rows.push({ ...base, actor: kubelet, action: c.ready ? "container ready (readiness probe passes or none set)" : "container not ready", field: `${field}.ready`, from: String(Boolean(b.ready)), to: String(Boolean(c.ready)) });
      }
    }
  }
  const conds = new Map((p.status?.conditions ?? []).map((c) => [c.type, c]));
  for (const c of next.status?.conditions ?? []) {
    const b = conds.get(c.type);
    if (b?.status === c.status && (b?.reason ?? "") === (c.reason ?? "")) continue;
    rows.push({
      ...base,
      actor: conditionActor(c.type, kubelet, scheduler),
      action: `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`,
      field: `status.conditions[${c.type}]`,
      from: b?.status ?? "",
      to: c.status,
      detail: c.message ?? undefined,
    });
  }
  return rows;
}

function containerAction(to: string): string {
  if (to === "running") return "container running";
  if (to.startsWith("terminated:")) return "container exited";
  const reason = to.slice("waiting:".length);
  if (reason === "ContainerCreating") return "container waiting: sandbox and image being prepared";
  if (reason === "ErrImagePull" || reason === "ImagePullBackOff") return `image pull failed: ${reason}`;
  if (reason === "CrashLoopBackOff") return "container waiting out the crash-loop back-off";
  return `container waiting: ${reason}`;
}
