import { stringify } from "yaml";
import { POD_CIDR, SERVICE_CIDR, SIM_VERSIONS, type SimClusterVersions, type SimNodeSpec } from "./node-spec";

/**
 * The four static-pod manifests of a kind control plane, generated from kubeadm's own output
 * (fidelity/real/manifest-*.yaml) and adjusted to kind v1.32: registry.k8s.io images, kind's
 * CIDRs and extra flags, etcd's corruption-check flags and /livez–/readyz probes, the node's IP
 * and name. Keys are sorted and lists are not indented, as kubeadm (sigs.k8s.io/yaml) writes them.
 */

type Obj = Record<string, unknown>;

function probe(host: string, path: string, port: number, scheme: "HTTP" | "HTTPS", kind: "liveness" | "startup" | "readiness"): Obj {
  if (kind === "readiness") {
    return { failureThreshold: 3, httpGet: { host, path, port, scheme }, periodSeconds: 1, timeoutSeconds: 15 };
  }
  return {
    failureThreshold: kind === "startup" ? 24 : 8,
    httpGet: { host, path, port, scheme },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 15,
  };
}

function hostPathVolume(name: string, path: string, type: "DirectoryOrCreate" | "FileOrCreate"): Obj {
  return { hostPath: { path, type }, name };
}

const CA_MOUNTS: Array<[string, string]> = [
  ["ca-certs", "/etc/ssl/certs"],
  ["etc-ca-certificates", "/etc/ca-certificates"],
];
const SHARE_MOUNTS: Array<[string, string]> = [
  ["usr-local-share-ca-certificates", "/usr/local/share/ca-certificates"],
  ["usr-share-ca-certificates", "/usr/share/ca-certificates"],
];

function staticPod(opts: { component: string; annotations?: Record<string, string>; container: Obj; volumes: Obj[] }): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      creationTimestamp: null,
      labels: { component: opts.component, tier: "control-plane" },
      name: opts.component,
      namespace: "kube-system",
    },
    spec: {
      containers: [{ ...opts.container, imagePullPolicy: "IfNotPresent", name: opts.component }],
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes: opts.volumes,
    },
    status: {},
  };
}

export function etcdManifest(node: SimNodeSpec, v: SimClusterVersions = SIM_VERSIONS): Obj {
  const ip = node.ip;
  return staticPod({
    component: "etcd",
    annotations: { "kubeadm.kubernetes.io/etcd.advertise-client-urls": `https://${ip}:2379` },
    container: {
      command: [
        "etcd",
        `--advertise-client-urls=https://${ip}:2379`,
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
        "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd",
        "--experimental-initial-corrupt-check=true",
        "--experimental-watch-progress-notify-interval=5s",
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${node.name}=https://${ip}:2380`,
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        "--listen-metrics-urls=http://127.0.0.1:2381",
        `--listen-peer-urls=https://${ip}:2380`,
        `--name=${node.name}`,
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
        "--peer-client-cert-auth=true",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
        "--snapshot-count=10000",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
      ],
      image: `registry.k8s.io/etcd:${v.etcd}`,
      livenessProbe: probe("127.0.0.1", "/livez", 2381, "HTTP", "liveness"),
      readinessProbe: probe("127.0.0.1", "/readyz", 2381, "HTTP", "readiness"),
      resources: { requests: { cpu: "100m", memory: "100Mi" } },
      startupProbe: probe("127.0.0.1", "/readyz", 2381, "HTTP", "startup"),
      volumeMounts: [
        { mountPath: "/var/lib/etcd", name: "etcd-data" },
        { mountPath: "/etc/kubernetes/pki/etcd", name: "etcd-certs" },
      ],
    },
    volumes: [hostPathVolume("etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate"), hostPathVolume("etcd-data", "/var/lib/etcd", "DirectoryOrCreate")],
  });
}

export function kubeApiserverManifest(node: SimNodeSpec, v: SimClusterVersions = SIM_VERSIONS): Obj {
  const ip = node.ip;
  const mounts = [...CA_MOUNTS, ["k8s-certs", "/etc/kubernetes/pki"] as [string, string], ...SHARE_MOUNTS];
  return staticPod({
    component: "kube-apiserver",
    annotations: { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${ip}:6443` },
    container: {
      command: [
        "kube-apiserver",
        `--advertise-address=${ip}`,
        "--allow-privileged=true",
        "--authorization-mode=Node,RBAC",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-admission-plugins=NodeRestriction",
        "--enable-bootstrap-token-auth=true",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
        "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
        "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-username-headers=X-Remote-User",
        "--runtime-config=",
        "--secure-port=6443",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
        "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
      ],
      image: `registry.k8s.io/kube-apiserver:${v.kubernetes}`,
      livenessProbe: probe(ip, "/livez", 6443, "HTTPS", "liveness"),
      readinessProbe: probe(ip, "/readyz", 6443, "HTTPS", "readiness"),
      resources: { requests: { cpu: "250m" } },
      startupProbe: probe(ip, "/livez", 6443, "HTTPS", "startup"),
      volumeMounts: mounts.map(([name, mountPath]) => ({ mountPath, name, readOnly: true })),
    },
    volumes: mounts.map(([name, p]) => hostPathVolume(name, p, "DirectoryOrCreate")),
  });
}

export function kubeControllerManagerManifest(node: SimNodeSpec, clusterName: string, v: SimClusterVersions = SIM_VERSIONS): Obj {
  void node;
  const mounts: Array<{ name: string; path: string; type: "DirectoryOrCreate" | "FileOrCreate"; readOnly: boolean }> = [
    ...CA_MOUNTS.map(([name, path]) => ({ name, path, type: "DirectoryOrCreate" as const, readOnly: true })),
    { name: "flexvolume-dir", path: "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", type: "DirectoryOrCreate", readOnly: false },
    { name: "k8s-certs", path: "/etc/kubernetes/pki", type: "DirectoryOrCreate", readOnly: true },
    { name: "kubeconfig", path: "/etc/kubernetes/controller-manager.conf", type: "FileOrCreate", readOnly: true },
    ...SHARE_MOUNTS.map(([name, path]) => ({ name, path, type: "DirectoryOrCreate" as const, readOnly: true })),
  ];
  return staticPod({
    component: "kube-controller-manager",
    container: {
      command: [
        "kube-controller-manager",
        "--allocate-node-cidrs=true",
        "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        `--cluster-cidr=${POD_CIDR}`,
        `--cluster-name=${clusterName}`,
        "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
        "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
        "--controllers=*,bootstrapsigner,tokencleaner",
        "--enable-hostpath-provisioner=true",
        "--kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--leader-elect=true",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--root-ca-file=/etc/kubernetes/pki/ca.crt",
        "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        "--use-service-account-credentials=true",
      ],
      image: `registry.k8s.io/kube-controller-manager:${v.kubernetes}`,
      livenessProbe: probe("127.0.0.1", "/healthz", 10257, "HTTPS", "liveness"),
      resources: { requests: { cpu: "200m" } },
      startupProbe: probe("127.0.0.1", "/healthz", 10257, "HTTPS", "startup"),
      volumeMounts: mounts.map((m) => ({ mountPath: m.path, name: m.name, ...(m.readOnly ? { readOnly: true } : {}) })),
    },
    volumes: mounts.map((m) => hostPathVolume(m.name, m.path, m.type)),
  });
}

export function kubeSchedulerManifest(v: SimClusterVersions = SIM_VERSIONS): Obj {
  return staticPod({
    component: "kube-scheduler",
    container: {
      command: [
        "kube-scheduler",
        "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--bind-address=127.0.0.1",
        "--kubeconfig=/etc/kubernetes/scheduler.conf",
        "--leader-elect=true",
      ],
      image: `registry.k8s.io/kube-scheduler:${v.kubernetes}`,
      livenessProbe: probe("127.0.0.1", "/healthz", 10259, "HTTPS", "liveness"),
      resources: { requests: { cpu: "100m" } },
      startupProbe: probe("127.0.0.1", "/healthz", 10259, "HTTPS", "startup"),
      volumeMounts: [{ mountPath: "/etc/kubernetes/scheduler.conf", name: "kubeconfig", readOnly: true }],
    },
    volumes: [hostPathVolume("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate")],
  });
}

/** YAML as kubeadm writes it: sorted keys, block lists at the parent's indent. */
export function kubeadmYaml(obj: unknown): string {
  return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, nullStr: "null" });
}

/** The manifests directory of a kind control-plane node: node path → content. */
export function controlPlaneManifests(node: SimNodeSpec, clusterName: string, v: SimClusterVersions = SIM_VERSIONS): Record<string, string> {
  const dir = "/etc/kubernetes/manifests";
  return {
    [`${dir}/etcd.yaml`]: kubeadmYaml(etcdManifest(node, v)),
    [`${dir}/kube-apiserver.yaml`]: kubeadmYaml(kubeApiserverManifest(node, v)),
    [`${dir}/kube-controller-manager.yaml`]: kubeadmYaml(kubeControllerManagerManifest(node, clusterName, v)),
    [`${dir}/kube-scheduler.yaml`]: kubeadmYaml(kubeSchedulerManifest(v)),
  };
}
