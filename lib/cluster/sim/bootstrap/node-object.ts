import type { SimNodeSpec } from "../node/node-spec";
import type { KubeObject } from "../store/types";
import { CONTAINERD_VERSION, KUBERNETES_VERSION, OS_IMAGE } from "./kind-layout";

/** The machine under a node, as its kubelet reports it in capacity and nodeInfo. */
export interface NodeMachine {
  cpu: string;
  /** e.g. 32827152Ki */
  memory: string;
  /** e.g. 263112772Ki */
  ephemeralStorage: string;
  kernelVersion: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

export interface NodeObjectInput {
  /** The kind cluster's name (in the node's providerID). */
  cluster: string;
  node: SimNodeSpec;
  machine: NodeMachine;
  /** Whether a control-plane node carries the NoSchedule taint (kind drops it when there are no workers). */
  controlPlaneTaint: boolean;
  /**
   * When the kubelet last posted a healthy status: the Node then has the four conditions
   * (no pressure, Ready) stamped with that time, and its image list. Absent: the Node is as
   * registration leaves it, before the kubelet's first status update.
   */
  healthyAt?: Date;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function healthyConditions(at: Date): Array<Record<string, string>> {
  const t = iso(at);
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return [
    cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
  ];
}

/** The Node object kubelet registration produces on a kind node. */
export function nodeObject({ cluster, node: n, machine: m, controlPlaneTaint, healthyAt }: NodeObjectInput): KubeObject {
  const cp = n.role === "control-plane";
  const resources = { cpu: m.cpu, "ephemeral-storage": m.ephemeralStorage, "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: m.memory, pods: "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        ...(cp ? { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {}),
      },
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: n.podCidr,
      podCIDRs: [n.podCidr],
      providerID: `kind://docker/${cluster}/${n.name}`,
      ...(cp && controlPlaneTaint ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } : {}),
    },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      addresses: [
        { type: "InternalIP", address: n.ip },
        { type: "Hostname", address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: "amd64",
        bootID: m.bootID,
        containerRuntimeVersion: CONTAINERD_VERSION,
        kernelVersion: m.kernelVersion,
        kubeProxyVersion: KUBERNETES_VERSION,
        kubeletVersion: KUBERNETES_VERSION,
        machineID: m.machineID,
        operatingSystem: "linux",
        osImage: OS_IMAGE,
        systemUUID: m.systemUUID,
      },
      conditions: healthyAt ? healthyConditions(healthyAt) : [],
      ...(healthyAt ? { images: [] } : {}),
    },
  };
}
