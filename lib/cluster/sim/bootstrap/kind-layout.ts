/**
 * The shape of a kind cluster as the sim reproduces it: node names, InternalIPs on the `kind`
 * docker network (172.18.0.0/16, control plane first), per-node pod CIDRs from 10.244.0.0/16, and
 * the versions of the pinned node image. node/ and bootstrap/ both read these, so a node's files
 * and its Node object agree.
 */
export const KUBERNETES_VERSION = "v1.32.2";
export const CONTAINERD_VERSION = "containerd://2.0.2";
export const OS_IMAGE = "Debian GNU/Linux 12 (bookworm)";
export const KERNEL_VERSION = "6.8.0-51-generic";
export const POD_SUBNET = "10.244.0.0/16";
export const SERVICE_SUBNET = "10.96.0.0/16";
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
export const DNS_SERVICE_IP = "10.96.0.10";

export const KIND_IMAGES = {
  coredns: "registry.k8s.io/coredns/coredns:v1.11.3",
  kubeProxy: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
  kindnetd: "docker.io/kindest/kindnetd:v20250214-acbabc1a",
  localPathProvisioner: "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
  localPathHelper: "docker.io/kindest/local-path-helper:v20250214-acbabc1a",
  etcd: "registry.k8s.io/etcd:3.5.16-0",
  kubeApiserver: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
  kubeControllerManager: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
  kubeScheduler: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
  pause: "registry.k8s.io/pause:3.10",
} as const;

export interface KindNode {
  name: string;
  role: "control-plane" | "worker";
  index: number;
  internalIP: string;
  podCIDR: string;
}

/** `<name>-control-plane`, `<name>-worker`, `<name>-worker2`, … */
export function kindNodes(cluster: string, workers: number): KindNode[] {
  const nodes: KindNode[] = [{ name: `${cluster}-control-plane`, role: "control-plane", index: 0, internalIP: "172.18.0.2", podCIDR: "10.244.0.0/24" }];
  for (let i = 1; i <= workers; i++) {
    nodes.push({
      name: `${cluster}-worker${i === 1 ? "" : i}`,
      role: "worker",
      index: i,
      internalIP: `172.18.0.${i + 2}`,
      podCIDR: `10.244.${i}.0/24`,
    });
  }
  return nodes;
}
