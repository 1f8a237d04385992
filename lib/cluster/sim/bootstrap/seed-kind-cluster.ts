/**
 * The API content of a fresh kind cluster, written into an empty store: namespaces, Nodes,
 * default ServiceAccounts and kube-root-ca.crt ConfigMaps, the `kubernetes` Service and its
 * Endpoints, CoreDNS, kube-proxy, kindnet, local-path-provisioner, StorageClass `standard`,
 * node Leases, the RBAC objects kubectl users meet, and kubeadm's ConfigMaps. Controllers and
 * kubelets then bring the workloads up as they do on a real cluster. Control-plane static pods
 * come from node/ (manifests), not from here.
 */
import { bootstrapPolicy } from "../api/rbac/bootstrap-policy";
import { kubernetesServiceObjects } from "./kubernetes-service";
import { kindNodeMachine } from "./node-machine";
import { nodeObject } from "./node-object";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { DNS_SERVICE_IP, KIND_IMAGES, KUBERNETES_VERSION, POD_SUBNET, SERVICE_SUBNET, kindNodes } from "./kind-layout";

export interface SeedOptions {
  /** cluster name (kind's --name) */
  name: string;
  workers: number;
  /** PEM of the cluster CA, published in every kube-root-ca.crt ConfigMap and cluster-info. */
  caCertPem?: string;
  now?: Date;
}

export const BASE_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"];

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

function clusterRole(name: string, rules: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" }, annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" } },
    rules,
    ...extra,
  };
}

function clusterRoleBinding(name: string, role: string, subjects: unknown[]): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" }, annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects,
  };
}

const READ = ["get", "list", "watch"];
const RBAC_GROUP = "rbac.authorization.k8s.io";

/** kubeadm's and kind's own objects: no bootstrapping label, no autoupdate annotation (the apiserver never reconciles them). */
function unlabelled(o: KubeObject): KubeObject {
  delete o.metadata.labels;
  delete o.metadata.annotations;
  return o;
}

/**
 * RBAC as a kind v1.32 cluster has it: the apiserver's default policy (rbac/bootstrap-roles) plus
 * what kubeadm init and kind's add-ons create. kubeadm's are the ones an emptied etcd never gets
 * back from an apiserver restart: `kubeadm:cluster-admins` (admin.conf's group), the CoreDNS and
 * kube-proxy bindings, kubeadm:get-nodes.
 */
function rbac(): { key: string; obj: KubeObject }[] {
  const policy = bootstrapPolicy();
  const crs = [
    ...policy.clusterRoles,
    clusterRole("system:coredns", [
      { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
    ]),
    unlabelled(clusterRole("kindnet", [
      { apiGroups: ["policy"], resources: ["podsecuritypolicies"], verbs: ["use"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["list", "watch", "patch"] },
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
      { apiGroups: [""], resources: ["namespaces", "pods"], verbs: ["list", "watch"] },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["list", "watch"] },
    ])),
    unlabelled(clusterRole("local-path-provisioner-role", [
      { apiGroups: [""], resources: ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"], verbs: READ },
      { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get", "list", "watch", "create", "patch", "update", "delete"] },
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
      { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: READ },
    ])),
    unlabelled(clusterRole("kubeadm:get-nodes", [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }])),
  ];
  const group = (name: string) => ({ apiGroup: RBAC_GROUP, kind: "Group", name });
  const crbs = [
    ...policy.clusterRoleBindings,
    unlabelled(clusterRoleBinding("kubeadm:cluster-admins", "cluster-admin", [group("kubeadm:cluster-admins")])),
    clusterRoleBinding("system:coredns", "system:coredns", [{ kind: "ServiceAccount", name: "coredns", namespace: "kube-system" }]),
    unlabelled(clusterRoleBinding("kubeadm:node-proxier", "system:node-proxier", [{ kind: "ServiceAccount", name: "kube-proxy", namespace: "kube-system" }])),
    unlabelled(clusterRoleBinding("kubeadm:get-nodes", "kubeadm:get-nodes", [group("system:bootstrappers:kubeadm:default-node-token")])),
    unlabelled(clusterRoleBinding("kubeadm:kubelet-bootstrap", "system:node-bootstrapper", [group("system:bootstrappers:kubeadm:default-node-token")])),
    unlabelled(clusterRoleBinding("kindnet", "kindnet", [{ kind: "ServiceAccount", name: "kindnet", namespace: "kube-system" }])),
    unlabelled(clusterRoleBinding("local-path-provisioner-bind", "local-path-provisioner-role", [{ kind: "ServiceAccount", name: "local-path-provisioner-service-account", namespace: "local-path-storage" }])),
  ];
  return [
    ...crs.map((obj) => ({ key: "clusterroles.rbac.authorization.k8s.io", obj })),
    ...crbs.map((obj) => ({ key: "clusterrolebindings.rbac.authorization.k8s.io", obj })),
    {
      key: "roles.rbac.authorization.k8s.io",
      obj: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "kube-proxy", namespace: "kube-system" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["kube-proxy"], verbs: ["get"] }],
      },
    },
    {
      key: "rolebindings.rbac.authorization.k8s.io",
      obj: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "kube-proxy", namespace: "kube-system" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "kube-proxy" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:bootstrappers:kubeadm:default-node-token" }],
      },
    },
  ];
}

function kubeadmConfig(cluster: string): string {
  return `apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
  - name: runtime-config
    value: ""
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: ${cluster}
controlPlaneEndpoint: ${cluster}-control-plane:6443
controllerManager:
  extraArgs:
  - name: enable-hostpath-provisioner
    value: "true"
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${KUBERNETES_VERSION}
networking:
  dnsDomain: cluster.local
  podSubnet: ${POD_SUBNET}
  serviceSubnet: ${SERVICE_SUBNET}
proxy: {}
scheduler: {}
`;
}

const KUBELET_CONFIG = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
cgroupRoot: /kubelet
clusterDNS:
- ${DNS_SERVICE_IP}
clusterDomain: cluster.local
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
failSwapOn: false
imageGCHighThresholdPercent: 100
kind: KubeletConfiguration
staticPodPath: /etc/kubernetes/manifests
`;

function kubeProxyConfig(cluster: string): Record<string, string> {
  return {
    "config.conf": `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: ${POD_SUBNET}
conntrack:
  maxPerCore: 0
iptables:
  minSyncPeriod: 1s
kind: KubeProxyConfiguration
mode: iptables
`,
    "kubeconfig.conf": `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://${cluster}-control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`,
  };
}

/** Objects of a fresh kind cluster, in creation order (namespaces first). */
export function kindClusterObjects(opts: SeedOptions): { key: string; obj: KubeObject }[] {
  const nodes = kindNodes(opts.name, opts.workers);
  const cp = nodes[0]!;
  const out: { key: string; obj: KubeObject }[] = [];
  const add = (key: string, obj: KubeObject) => out.push({ key, obj });
  const cm = (ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>) =>
    add("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, data });
  const sa = (ns: string, name: string) => add("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } });

  for (const ns of BASE_NAMESPACES) {
    add("namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  }
  // kind keeps the control-plane taint only when there are workers to run workloads.
  const controlPlaneTaint = nodes.length > 1;
  for (const n of nodes) {
    const node = { name: n.name, role: n.role, ip: n.internalIP, podCidr: n.podCIDR };
    add("nodes", nodeObject({ cluster: opts.name, node, machine: kindNodeMachine(), controlPlaneTaint }));
  }
  for (const n of nodes) {
    add("leases.coordination.k8s.io", {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: n.name, namespace: "kube-node-lease" },
      spec: { holderIdentity: n.name, leaseDurationSeconds: 40, renewTime: (opts.now ?? new Date()).toISOString().replace("Z", "000Z") },
    });
  }
  for (const ns of BASE_NAMESPACES) {
    sa(ns, "default");
    cm(ns, "kube-root-ca.crt", opts.caCertPem ? { "ca.crt": opts.caCertPem } : {});
  }
  for (const n of ["coredns", "kube-proxy", "kindnet", "attachdetach-controller", "bootstrap-signer", "certificate-controller", "clusterrole-aggregation-controller", "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller", "endpoint-controller", "endpointslice-controller", "generic-garbage-collector", "horizontal-pod-autoscaler", "job-controller", "namespace-controller", "node-controller", "persistent-volume-binder", "pod-garbage-collector", "replicaset-controller", "replication-controller", "resourcequota-controller", "service-account-controller", "statefulset-controller", "token-cleaner", "ttl-after-finished-controller", "ttl-controller"]) {
    sa("kube-system", n);
  }
  sa("local-path-storage", "local-path-provisioner-service-account");

  cm("kube-system", "kubeadm-config", { ClusterConfiguration: kubeadmConfig(opts.name) });
  cm("kube-system", "kubelet-config", { kubelet: KUBELET_CONFIG });
  cm("kube-system", "coredns", { Corefile: COREFILE });
  cm("kube-system", "kube-proxy", kubeProxyConfig(opts.name), { app: "kube-proxy" });
  cm("kube-system", "extension-apiserver-authentication", opts.caCertPem ? { "client-ca-file": opts.caCertPem } : {});
  cm("kube-public", "cluster-info", {
    kubeconfig: `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${opts.caCertPem ? Buffer.from(opts.caCertPem).toString("base64") : ""}
    server: https://${opts.name}-control-plane:6443
  name: ""
contexts: null
current-context: ""
kind: Config
preferences: {}
users: null
`,
  });
  cm("local-path-storage", "local-path-config", {
    "config.json": `{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}`,
    "helperPod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  containers:
  - name: helper-pod
    image: ${KIND_IMAGES.localPathHelper}
    imagePullPolicy: IfNotPresent
`,
    setup: "#!/bin/sh\nset -eu\nmkdir -m 0777 -p \"$VOL_DIR\"\n",
    teardown: "#!/bin/sh\nset -eu\nrm -rf \"$VOL_DIR\"\n",
  });

  const kubernetes = kubernetesServiceObjects(cp.internalIP);
  add("services", kubernetes.service);
  add("endpoints", kubernetes.endpoints);
  add("endpointslices.discovery.k8s.io", {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } },
    addressType: "IPv4",
    endpoints: [{ addresses: [cp.internalIP], conditions: { ready: true } }],
    ports: [{ name: "https", port: 6443, protocol: "TCP" }],
  });
  add("services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kube-dns",
      namespace: "kube-system",
      labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" },
      annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
    },
    spec: {
      clusterIP: DNS_SERVICE_IP,
      clusterIPs: [DNS_SERVICE_IP],
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
      selector: { "k8s-app": "kube-dns" },
      sessionAffinity: "None",
      type: "ClusterIP",
    },
    status: { loadBalancer: {} },
  });
  add("deployments.apps", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { "k8s-app": "kube-dns" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
      template: {
        metadata: { labels: { "k8s-app": "kube-dns" } },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "k8s-app", operator: "In", values: ["kube-dns"] }] }, topologyKey: "kubernetes.io/hostname" } },
              ],
            },
          },
          containers: [
            {
              name: "coredns",
              image: KIND_IMAGES.coredns,
              imagePullPolicy: "IfNotPresent",
              args: ["-conf", "/etc/coredns/Corefile"],
              ports: [
                { name: "dns", containerPort: 53, protocol: "UDP" },
                { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
                { name: "metrics", containerPort: 9153, protocol: "TCP" },
                { name: "liveness-probe", containerPort: 8080, protocol: "TCP" },
                { name: "readiness-probe", containerPort: 8181, protocol: "TCP" },
              ],
              resources: { limits: { memory: "170Mi" }, requests: { cpu: "100m", memory: "70Mi" } },
              livenessProbe: { httpGet: { path: "/health", port: "liveness-probe", scheme: "HTTP" }, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: "/ready", port: "readiness-probe", scheme: "HTTP" }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          dnsPolicy: "Default",
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-cluster-critical",
          restartPolicy: "Always",
          schedulerName: "default-scheduler",
          serviceAccount: "coredns",
          serviceAccountName: "coredns",
          terminationGracePeriodSeconds: 30,
          tolerations: [
            { key: "CriticalAddonsOnly", operator: "Exists" },
            { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
          ],
          volumes: [{ name: "config-volume", configMap: { name: "coredns", items: [{ key: "Corefile", path: "Corefile" }], defaultMode: 420 } }],
        },
      },
    },
  });
  add("daemonsets.apps", {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-proxy", namespace: "kube-system", labels: { "k8s-app": "kube-proxy" } },
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { "k8s-app": "kube-proxy" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { "k8s-app": "kube-proxy" } },
        spec: {
          containers: [
            {
              name: "kube-proxy",
              image: KIND_IMAGES.kubeProxy,
              imagePullPolicy: "IfNotPresent",
              command: ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
              env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } }],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: "kube-proxy", mountPath: "/var/lib/kube-proxy" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
              ],
            },
          ],
          dnsPolicy: "ClusterFirst",
          hostNetwork: true,
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-node-critical",
          restartPolicy: "Always",
          serviceAccount: "kube-proxy",
          serviceAccountName: "kube-proxy",
          terminationGracePeriodSeconds: 30,
          tolerations: [{ operator: "Exists" }],
          volumes: [
            { name: "kube-proxy", configMap: { name: "kube-proxy", defaultMode: 420 } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            { name: "lib-modules", hostPath: { path: "/lib/modules", type: "" } },
          ],
        },
      },
    },
  });
  add("daemonsets.apps", {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kindnet", namespace: "kube-system", labels: { app: "kindnet", "k8s-app": "kindnet", tier: "node" } },
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: "kindnet" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: "kindnet", "k8s-app": "kindnet", tier: "node" } },
        spec: {
          containers: [
            {
              name: "kindnet-cni",
              image: KIND_IMAGES.kindnetd,
              imagePullPolicy: "IfNotPresent",
              env: [
                { name: "HOST_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.hostIP" } } },
                { name: "POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } },
                { name: "POD_SUBNET", value: POD_SUBNET },
                { name: "CONTROL_PLANE_ENDPOINT", value: `${opts.name}-control-plane:6443` },
              ],
              resources: { limits: { cpu: "100m", memory: "50Mi" }, requests: { cpu: "100m", memory: "50Mi" } },
              securityContext: { capabilities: { add: ["NET_RAW", "NET_ADMIN"] }, privileged: false },
              volumeMounts: [
                { name: "cni-cfg", mountPath: "/etc/cni/net.d" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
              ],
            },
          ],
          dnsPolicy: "ClusterFirst",
          hostNetwork: true,
          nodeSelector: { "kubernetes.io/os": "linux" },
          restartPolicy: "Always",
          serviceAccount: "kindnet",
          serviceAccountName: "kindnet",
          terminationGracePeriodSeconds: 30,
          tolerations: [{ operator: "Exists" }],
          volumes: [
            { name: "cni-cfg", hostPath: { path: "/etc/cni/net.d", type: "DirectoryOrCreate" } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            { name: "lib-modules", hostPath: { path: "/lib/modules", type: "" } },
          ],
        },
      },
    },
  });
  add("deployments.apps", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "local-path-provisioner", namespace: "local-path-storage" },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: "local-path-provisioner" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "local-path-provisioner" } },
        spec: {
          containers: [
            {
              name: "local-path-provisioner",
              image: KIND_IMAGES.localPathProvisioner,
              imagePullPolicy: "IfNotPresent",
              command: ["local-path-provisioner", "--debug", "start", "--helper-image", KIND_IMAGES.localPathHelper, "--config", "/etc/config/config.json"],
              env: [
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
                { name: "CONFIG_MOUNT_PATH", value: "/etc/config/" },
              ],
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/config/" }],
            },
          ],
          dnsPolicy: "ClusterFirst",
          nodeSelector: { "kubernetes.io/os": "linux" },
          restartPolicy: "Always",
          serviceAccount: "local-path-provisioner-service-account",
          serviceAccountName: "local-path-provisioner-service-account",
          terminationGracePeriodSeconds: 30,
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Equal", effect: "NoSchedule" },
            { key: "node-role.kubernetes.io/master", operator: "Equal", effect: "NoSchedule" },
          ],
          volumes: [{ name: "config-volume", configMap: { name: "local-path-config", defaultMode: 420 } }],
        },
      },
    },
  });
  add("storageclasses.storage.k8s.io", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "rancher.io/local-path",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  });
  out.push(...rbac());
  return out;
}

/**
 * Writes a fresh kind cluster's objects into `store`. Objects that already exist (namespaces and
 * nodes the runtime created first) are left as they are.
 */
export function seedKindCluster(store: ObjectStore, opts: SeedOptions): void {
  for (const { key, obj } of kindClusterObjects(opts)) {
    if (store.get(key, obj.metadata.namespace, obj.metadata.name ?? "")) continue;
    store.create(key, obj);
  }
}
