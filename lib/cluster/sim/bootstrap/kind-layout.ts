/**
 * The shape of a kind cluster as the bootstrap content needs it. Node names, IPs, pod CIDRs and
 * versions come from node/node-spec.ts (one record for PKI, manifests, kubelets and API objects);
 * this file adds what only the API content needs (image references, DNS service IP, kernel).
 */
import { KUBERNETES_SERVICE_IP, POD_CIDR, SERVICE_CIDR, SIM_VERSIONS, kindNodeSpecs } from "../node/node-spec";

export const KUBERNETES_VERSION = SIM_VERSIONS.kubernetes;
export const CONTAINERD_VERSION = `containerd://${SIM_VERSIONS.containerd}`;
export const OS_IMAGE = "Debian GNU/Linux 12 (bookworm)";
export const KERNEL_VERSION = "6.8.0-51-generic";
export const POD_SUBNET = POD_CIDR;
export const SERVICE_SUBNET = SERVICE_CIDR;
export { KUBERNETES_SERVICE_IP };
export const DNS_SERVICE_IP = "10.96.0.10";

export const KIND_IMAGES = {
  coredns: `registry.k8s.io/coredns/coredns:${SIM_VERSIONS.coredns}`,
  kubeProxy: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
  kindnetd: `docker.io/kindest/kindnetd:${SIM_VERSIONS.kindnetd}`,
  localPathProvisioner: `docker.io/kindest/local-path-provisioner:${SIM_VERSIONS.kindnetd}`,
  localPathHelper: `docker.io/kindest/local-path-helper:${SIM_VERSIONS.kindnetd}`,
} as const;

export interface KindNode {
  name: string;
  role: "control-plane" | "worker";
  index: number;
  internalIP: string;
  podCIDR: string;
}

/** `<name>-control-plane`, `<name>-worker`, `<name>-worker2`, … with their IPs and pod CIDRs. */
export function kindNodes(cluster: string, workers: number): KindNode[] {
  return kindNodeSpecs(cluster, workers).map((n, index) => ({ name: n.name, role: n.role, index, internalIP: n.ip, podCIDR: n.podCidr }));
}
