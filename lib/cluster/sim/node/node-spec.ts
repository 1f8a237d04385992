/**
 * What a sim node is, as kind would have made it: name, role, IP on the "kind" network and the
 * versions of what runs on it. One record feeds the PKI, the manifests, the kubelet config and the
 * node tools, so that they all tell the same story.
 */
export interface SimNodeSpec {
  /** `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, … (kind's names) */
  name: string;
  role: "control-plane" | "worker";
  /** InternalIP; kind hands out 172.18.0.2, .3, … on its docker network. */
  ip: string;
  /** Pod CIDR of this node (10.244.<i>.0/24). */
  podCidr: string;
}

export interface SimClusterVersions {
  kubernetes: string;
  etcd: string;
  pause: string;
  coredns: string;
  kindnetd: string;
  containerd: string;
}

/**
 * kind's node image for v1.32 (kind v0.27, kindest/node:v1.32.2): the client here is kubectl v1.32,
 * so the server stays inside kubectl's supported skew and prints no version warning.
 */
export const SIM_VERSIONS: SimClusterVersions = {
  kubernetes: "v1.32.2",
  etcd: "3.5.16-0",
  pause: "3.10",
  coredns: "v1.11.3",
  kindnetd: "v20250214-acbabc1a",
  containerd: "2.0.2",
};

export const SERVICE_CIDR = "10.96.0.0/16";
export const POD_CIDR = "10.244.0.0/16";
/** First address of the service CIDR: the `kubernetes` Service, in the apiserver's SANs. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

/** kind's node names and IPs for a cluster with `workers` workers. */
export function kindNodeSpecs(cluster: string, workers: number): SimNodeSpec[] {
  const nodes: SimNodeSpec[] = [{ name: `${cluster}-control-plane`, role: "control-plane", ip: "172.18.0.2", podCidr: "10.244.0.0/24" }];
  for (let i = 1; i <= workers; i++) {
    nodes.push({
      name: i === 1 ? `${cluster}-worker` : `${cluster}-worker${i}`,
      role: "worker",
      ip: `172.18.0.${i + 2}`,
      podCidr: `10.244.${i}.0/24`,
    });
  }
  return nodes;
}
