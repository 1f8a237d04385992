/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log` for the whole sim cluster: finds the pod's node
 * and asks that node's kubelet, with the apiserver's answers when it cannot (pod not found, no
 * node assigned, kubelet port refusing connections while the kubelet is stopped).
 */
import type { LogRequest, LogSource } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { badRequest, notFound, StatusError } from "../store/status-error";
import type { SimKubelet } from "./kubelet-seams";

export function nodeIp(store: ObjectStore, node: string): string {
  const n = store.get("nodes", undefined, node);
  return (n?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses?.find((a) => a.type === "InternalIP")?.address ?? node;
}

function kubeletUnreachable(store: ObjectStore, node: string, req: LogRequest): StatusError {
  const ip = nodeIp(store, node);
  const url = `https://${ip}:10250/containerLogs/${req.namespace}/${req.pod}/${req.container ?? ""}`;
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Get "${url}": dial tcp ${ip}:10250: connect: connection refused`,
    reason: "",
    code: 500,
  });
}

export function createClusterLogSource(store: ObjectStore, kubelets: () => Map<string, SimKubelet>): LogSource {
  function kubeletFor(req: LogRequest): SimKubelet {
    const pod = store.get("pods", req.namespace, req.pod);
    if (!pod) throw notFound({ group: "", resource: "pods" }, req.pod);
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node) throw badRequest(`pod ${req.pod} does not have a host assigned`);
    const k = kubelets().get(node);
    if (!k || !k.running()) throw kubeletUnreachable(store, node, req);
    return k;
  }
  return {
    read: (req) => kubeletFor(req).logs.read(req),
    follow: (req, onChunk, signal) => kubeletFor(req).logs.follow(req, onChunk, signal),
  };
}
