import { kubeadmYaml } from "./static-pod-manifests";
import type { SimNodeSpec } from "./node-spec";

/**
 * /var/lib/kubelet/config.yaml as kubeadm writes it (fidelity/real/kubelet-config.yaml), with
 * kind's differences: systemd cgroup driver, the node's address left unset, and kind's eviction
 * and image-GC settings that keep a laptop-sized node from evicting everything.
 */
export function kubeletConfigYaml(node: SimNodeSpec): string {
  void node;
  return kubeadmYaml({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    authentication: {
      anonymous: { enabled: false },
      webhook: { cacheTTL: "0s", enabled: true },
      x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
    },
    authorization: { mode: "Webhook", webhook: { cacheAuthorizedTTL: "0s", cacheUnauthorizedTTL: "0s" } },
    cgroupDriver: "systemd",
    cgroupRoot: "/kubelet",
    clusterDNS: ["10.96.0.10"],
    clusterDomain: "cluster.local",
    containerRuntimeEndpoint: "",
    cpuManagerReconcilePeriod: "0s",
    crashLoopBackOff: {},
    evictionHard: { "imagefs.available": "0%", "nodefs.available": "0%", "nodefs.inodesFree": "0%" },
    evictionPressureTransitionPeriod: "0s",
    failSwapOn: false,
    fileCheckFrequency: "0s",
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    httpCheckFrequency: "0s",
    imageGCHighThresholdPercent: 100,
    imageMaximumGCAge: "0s",
    imageMinimumGCAge: "0s",
    kind: "KubeletConfiguration",
    logging: { flushFrequency: 0, options: { json: { infoBufferSize: "0" }, text: { infoBufferSize: "0" } }, verbosity: 0 },
    memorySwap: {},
    nodeStatusReportFrequency: "0s",
    nodeStatusUpdateFrequency: "0s",
    rotateCertificates: true,
    runtimeRequestTimeout: "0s",
    shutdownGracePeriod: "0s",
    shutdownGracePeriodCriticalPods: "0s",
    staticPodPath: "/etc/kubernetes/manifests",
    streamingConnectionIdleTimeout: "0s",
    syncFrequency: "0s",
    volumeStatsAggPeriod: "0s",
  });
}

/**
 * kindnetd's /etc/cni/net.d/10-kindnet.conflist (ptp + host-local + portmap) for a node's pod CIDR,
 * in kindnetd's own layout.
 */
export function kindnetConflist(node: SimNodeSpec): string {
  return `
{
	"cniVersion": "0.3.1",
	"name": "kindnet",
	"plugins": [
	{
		"type": "ptp",
		"ipMasq": false,
		"ipam": {
			"type": "host-local",
			"dataDir": "/run/cni-ipam-state",
			"routes": [
				{ "dst": "0.0.0.0/0" }
			],
			"ranges": [
				[ { "subnet": "${node.podCidr}" } ]
			]
		}
		,
		"mtu": 1500
	},
	{
		"type": "portmap",
		"capabilities": {
			"portMappings": true
		}
	}
	]
}
`;
}
