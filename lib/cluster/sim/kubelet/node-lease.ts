/**
 * The kubelet's node lease (pkg/kubelet/nodelease): kube-node-lease/<node>, owned by the Node,
 * renewed every 10 s. The node-lifecycle controller reads renewTime to tell a live kubelet.
 */
import type { Node } from "../controllers/api-types";
import { kubeletConnected, type KubeletContext } from "./kubelet-context";

export const LEASE_RENEW_MS = 10_000;
const LEASE_DURATION_SECONDS = 40;

/** A MicroTime as the apiserver writes it: the clock's milliseconds plus three random digits. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}Z`);
}

/** Creates or renews the lease of `ctx.nodeName`; `node` is the Node to own it (undefined when missing). */
export function renewNodeLease(ctx: KubeletContext, node: Node | undefined): void {
  if (!kubeletConnected(ctx)) return;
  const { store, nodeName, journal } = ctx;
  const renewTime = microTime(ctx.clock.now());
  const cur = store.get("leases.coordination.k8s.io", "kube-node-lease", nodeName);
  if (!node && (!cur || !cur.metadata.ownerReferences?.length)) {
    // The lease controller sets the Node as owner; a store without the Node (etcd on an emptied data dir) fails that every renewal.
    journal.write("E", "controller.go:256", `"Failed to get node when trying to set owner ref to the node lease" err="nodes \\"${nodeName}\\" not found" node="${nodeName}"`);
  }
  try {
    if (!cur) {
      store.create("leases.coordination.k8s.io", {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name: nodeName,
          namespace: "kube-node-lease",
          ownerReferences: node ? [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: node.metadata.uid ?? "" }] : undefined,
        },
        spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
      });
    } else {
      cur.spec = { ...(cur.spec as object), holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime };
      store.update("leases.coordination.k8s.io", cur, { force: true });
    }
  } catch {
    // kube-node-lease missing (e.g. etcd emptied): the real kubelet logs and retries
    journal.write("E", "controller.go:145", `"Failed to ensure lease exists, will retry" err="namespaces \\"kube-node-lease\\" not found" interval="7s"`);
  }
}
