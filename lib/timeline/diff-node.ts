import type { RowDraft } from "./timeline-row";
import type { TimelineNode } from "./timeline-objects";

/**
 * The rows between two versions of a Node: a condition's status, cordon (spec.unschedulable) and
 * taints. The kubelet writes its node's conditions; when it stops reporting, the node lifecycle
 * controller in kube-controller-manager sets them to Unknown (NodeStatusUnknown).
 */
export function diffNode(prev: TimelineNode | undefined, next: TimelineNode, at: string, deleted = false): RowDraft[] {
  const name = next.metadata.name;
  const base = { at, object: `node/${name}`, source: "watch" as const };
  if (deleted) return [{ ...base, actor: "kube-apiserver", action: "node object removed", field: "metadata", from: "present", to: "deleted" }];
  if (!prev) return [{ ...base, actor: `kubelet/${name}`, action: "node registered" }];
  const rows: RowDraft[] = [];
  const conds = new Map((prev.status?.conditions ?? []).map((c) => [c.type, c]));
  for (const c of next.status?.conditions ?? []) {
    const b = conds.get(c.type);
    if (b?.status === c.status) continue;
    const actor = c.status === "Unknown" ? "kube-controller-manager" : `kubelet/${name}`;
    rows.push({ ...base, actor, action: `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`, field: `status.conditions[${c.type}]`, from: b?.status ?? "", to: c.status, detail: c.message ?? undefined });
  }
  const cordoned = (n: TimelineNode) => Boolean(n.spec?.unschedulable);
  if (cordoned(prev) !== cordoned(next)) {
    rows.push({ ...base, actor: "kube-apiserver", action: cordoned(next) ? "node cordoned" : "node uncordoned", field: "spec.unschedulable", from: String(cordoned(prev)), to: String(cordoned(next)) });
  }
  const taints = (n: TimelineNode) => (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`).sort().join(",");
  if (taints(prev) !== taints(next)) {
    // node.kubernetes.io/* taints are the node lifecycle controller's; any other came from a client (kubectl taint).
    const auto = (next.spec?.taints ?? []).concat(prev.spec?.taints ?? []).every((t) => t.key.startsWith("node.kubernetes.io/"));
    rows.push({ ...base, actor: auto ? "kube-controller-manager" : "kube-apiserver", action: "taints changed", field: "spec.taints", from: taints(prev), to: taints(next) });
  }
  return rows;
}
