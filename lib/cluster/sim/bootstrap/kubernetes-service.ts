import { KUBERNETES_SERVICE_IP } from "../node/node-spec";
import type { KubeObject } from "../store/types";

/**
 * The `default/kubernetes` Service and its Endpoints, as the apiserver's bootstrap controller
 * writes them for the advertise address. Used by the initial seed and by an apiserver that finds
 * itself on an empty etcd.
 */
export function kubernetesServiceObjects(advertiseIp: string): { service: KubeObject; endpoints: KubeObject } {
  return {
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: {
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        internalTrafficPolicy: "Cluster",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
        sessionAffinity: "None",
        type: "ClusterIP",
      },
      status: { loadBalancer: {} },
    },
    endpoints: {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: [{ addresses: [{ ip: advertiseIp }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }],
    },
  };
}
