import type { CoreV1Event, V1Node, V1Pod, V1Taint } from "@kubernetes/client-node";

/**
 * Objects shaped as a real kubeadm/kind cluster returns them (`kubectl get … -o json`), with the
 * messages recorded in ../shared/fidelity/real (see its README, "Faults as they really played
 * out"). Built by functions so that each test states only what differs.
 */

/** The Ready condition message a node shows once its CNI config is gone (containerd 1.6). */
export const CNI_NOT_READY_MESSAGE =
  "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

export function realNode(name: string, opts: { ready?: boolean; taints?: V1Taint[]; unschedulable?: boolean } = {}): V1Node {
  const ready = opts.ready ?? true;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" } },
    spec: { podCIDR: "10.244.0.0/24", ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
        { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
        { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
        ready
          ? { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }
          : { type: "Ready", status: "False", reason: "KubeletNotReady", message: CNI_NOT_READY_MESSAGE },
      ],
    },
  };
}

type ContainerState = NonNullable<NonNullable<V1Pod["status"]>["containerStatuses"]>[number];

/** A pod with one container `main`, in the phase and container state given. */
export function realPod(
  name: string,
  opts: {
    namespace?: string;
    uid?: string;
    phase?: string;
    image?: string;
    restartPolicy?: string;
    container?: Partial<ContainerState>;
    conditions?: NonNullable<V1Pod["status"]>["conditions"];
    labels?: Record<string, string>;
    nodeName?: string;
  } = {},
): V1Pod {
  const image = opts.image ?? "nginx:1.27";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: opts.namespace ?? "cap", uid: opts.uid ?? `uid-${name}`, labels: opts.labels ?? {} },
    spec: {
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
      restartPolicy: opts.restartPolicy ?? "Always",
      containers: [{ name: "main", image }],
    },
    status: {
      phase: opts.phase ?? "Pending",
      ...(opts.conditions ? { conditions: opts.conditions } : {}),
      containerStatuses: opts.container
        ? [{ name: "main", image, imageID: "", ready: false, restartCount: 0, ...opts.container } as ContainerState]
        : undefined,
    },
  };
}

/** An event about `pod`, as `kubectl get events -o json` lists it. */
export function realEvent(pod: V1Pod, type: "Normal" | "Warning", reason: string, message: string, from = "kubelet"): CoreV1Event {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${pod.metadata?.name}.1870a8c1d2e3f4a5`, namespace: pod.metadata?.namespace },
    involvedObject: { kind: "Pod", name: pod.metadata?.name, namespace: pod.metadata?.namespace, uid: pod.metadata?.uid, apiVersion: "v1" },
    reason,
    message,
    type,
    source: { component: from },
    count: 1,
  };
}

/**
 * Event messages recorded on the real cluster, by reason. The sandbox message is not in the
 * recordings; it is containerd 1.6's wording for a CNI plugin that cannot be found.
 */
export const REAL_MESSAGES = {
  failedSchedulingTaint: "0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.",
  failedSchedulingSelector: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
  networkNotReady: `network is not ready: ${CNI_NOT_READY_MESSAGE}`,
  sandbox:
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9d8c2b1a": plugin type="ptp" failed (add): failed to find plugin "ptp" in path [/opt/cni/bin]',
  pullFailed:
    'Failed to pull image "nginx:1.27.9999": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nginx:1.27.9999": failed to resolve reference "docker.io/library/nginx:1.27.9999": docker.io/library/nginx:1.27.9999: not found',
  pulling: 'Pulling image "nginx:1.27"',
  scheduled: "Successfully assigned cap/web-6bccddcdc8-hbtt4 to vm",
};
