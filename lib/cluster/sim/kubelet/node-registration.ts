/**
 * The Node a kubelet registers (kubelet_node_status.go, initialNode): what the kubelet itself
 * knows and nothing that kubeadm or the controller-manager added later. On a kind node that is the
 * five default labels (`--node-labels` is empty), the attach/detach annotation, the
 * `--provider-id`, the `--node-ip` address and the machine it measures, with its first status.
 * Not in it: kubeadm's mark-control-plane label, exclude-from-external-load-balancers label and
 * NoSchedule taint (kubeadm init writes no `--register-with-taints` for a control plane, and kind's
 * join configuration has no taints), the cri-socket annotation kubeadm patches in, the TTL
 * controller's `node.alpha.kubernetes.io/ttl` and the node-IPAM controller's podCIDR.
 */
import type { Node, NodeCondition } from "../controllers/api-types";

/** What the kubelet knows about its machine and flags: the Node it last saw, when it saw one. */
export function initialNode(nodeName: string, known: Node | undefined, conditions: NodeCondition[]): Node {
  const labels = known?.metadata.labels ?? {};
  const arch = labels["kubernetes.io/arch"] ?? "amd64";
  const os = labels["kubernetes.io/os"] ?? "linux";
  const st = known?.status ?? {};
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: nodeName,
      labels: {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/os": os,
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": labels["kubernetes.io/hostname"] ?? nodeName,
        "kubernetes.io/os": os,
      },
      annotations: { "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: known?.spec.providerID ? { providerID: known.spec.providerID } : {},
    status: {
      ...(st.capacity ? { capacity: { ...st.capacity } } : {}),
      ...(st.allocatable ? { allocatable: { ...st.allocatable } } : {}),
      conditions,
      ...(st.addresses ? { addresses: st.addresses.map((a) => ({ ...a })) } : {}),
      daemonEndpoints: st.daemonEndpoints ?? { kubeletEndpoint: { Port: 10250 } },
      ...(st.nodeInfo ? { nodeInfo: { ...st.nodeInfo } } : {}),
      images: st.images ?? [],
    },
  };
}
