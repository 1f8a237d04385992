import type { ObjectStore } from "../store/object-store";
import { badRequest, notFound, StatusError } from "../store/status-error";
import { nodeIp } from "./cluster-log-source";
import type { ExecRequest, ExecResult, ExecStream, ExecStreamIo, ExecStreamRequest, SimKubelet } from "./kubelet-seams";

export interface ClusterExec {
  /** The model's exec: output at once (network tools, images without a shell). */
  (req: ExecRequest): ExecResult;
  /** The real shell, or undefined when the model's exec serves the command. */
  stream(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
  /** kubectl attach. */
  attach(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
}

/**
 * `kubectl exec` for the API layer: finds the pod's kubelet and runs the command there. A stopped
 * kubelet refuses like the real port does.
 */
export function createClusterExec(store: ObjectStore, kubelets: () => Map<string, SimKubelet>): ClusterExec {
  const kubeletFor = (req: ExecRequest): SimKubelet => {
    const pod = store.get("pods", req.namespace, req.pod);
    if (!pod) throw notFound({ group: "", resource: "pods" }, req.pod);
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node) throw badRequest(`pod ${req.pod} does not have a host assigned`);
    const k = kubelets().get(node);
    if (!k?.exec || !k.running()) {
      const ip = nodeIp(store, node);
      throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `error dialing backend: dial tcp ${ip}:10250: connect: connection refused`, reason: "", code: 500 });
    }
    return k;
  };
  const exec = ((req: ExecRequest) => kubeletFor(req).exec!(req)) as ClusterExec;
  exec.stream = (req, io) => kubeletFor(req).execStream?.(req, io);
  exec.attach = (req, io) => kubeletFor(req).attachStream?.(req, io);
  return exec;
}
