import { generateKeyPairSync } from "node:crypto";
import YAML from "yaml";
import { createApiServer, type ApiServerHandle } from "./api/api-server";
import { reconcileBootstrapPolicy } from "./api/rbac/reconcile-bootstrap-policy";
import type { ExecFn } from "./api/pod-exec";
import { startGarbageCollector } from "./api-controllers/garbage-collector";
import { startNamespaceController } from "./api-controllers/namespace-controller";
import { kubernetesServiceObjects } from "./bootstrap/kubernetes-service";
import { SimClock } from "./clock";
import type { LogSource, SimComponent } from "./contracts";
import { kindNodeSpecs, SIM_VERSIONS, type SimNodeSpec } from "./node/node-spec";
import { SimNodeFleet } from "./node/sim-node-fleet";
import { createCa, issueCert, type CertPem, type KeyAlgorithm } from "./pki/x509";
import { ObjectStore } from "./store/object-store";
import { RESOURCE_TYPES } from "./store/resource-types";
import { startWorkloadComponents } from "./sim-components";

/**
 * One running sim cluster: the store, the HTTPS API server with its PKI, the API-side
 * controllers (GC, namespaces) and whatever workload components exist (controllers, kubelets,
 * bootstrap content; see sim-components.ts). Used in-process by tests and by the daemon.
 */

export interface SimClusterOptions {
  name: string;
  workers: number;
  /** 0 = a free port. */
  port?: number;
  /** Where the node filesystems live (node shells, static pods, component models). Without it the cluster has no node side. */
  clusterDir?: string;
  /** Simulated ms per real ms (SimClock); 1, real time, for labs. */
  timeScale?: number;
  /** RSA 2048 like kind by default. */
  keyAlgorithm?: KeyAlgorithm;
}

export interface SimClusterPki {
  ca: CertPem;
  apiserver: CertPem;
  admin: CertPem;
}

export interface SimCluster {
  name: string;
  store: ObjectStore;
  clock: SimClock;
  api: ApiServerHandle;
  pki: SimClusterPki;
  nodes: SimNodeSpec[];
  port: number;
  /** kind-style kubeconfig with embedded CA and admin client certificate. */
  kubeconfig(): string;
  stop(): Promise<void>;
}

/** kind's kubeconfig shape: one cluster, context and user, all named after the cluster, data embedded. */
export function kindStyleKubeconfig(name: string, server: string, caPem: string, admin: { certPem: string; keyPem: string }): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return YAML.stringify({
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": b64(caPem), server }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    "current-context": name,
    kind: "Config",
    preferences: {},
    users: [{ name, user: { "client-certificate-data": b64(admin.certPem), "client-key-data": b64(admin.keyPem) } }],
  });
}

/** Creates the cluster PKI: CA, apiserver serving certificate and the admin client certificate. */
export async function createClusterPki(name: string, algorithm: KeyAlgorithm = "rsa-2048"): Promise<SimClusterPki> {
  const ca = await createCa({ commonName: "kubernetes", algorithm });
  const [apiserver, admin] = await Promise.all([
    issueCert({
      ca,
      commonName: "kube-apiserver",
      dnsNames: [`${name}-control-plane`, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost"],
      ipAddresses: ["10.96.0.1", "172.18.0.2", "127.0.0.1"],
      extKeyUsage: ["serverAuth"],
      algorithm,
    }),
    issueCert({ ca, commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"], extKeyUsage: ["clientAuth"], algorithm }),
  ]);
  return { ca, apiserver, admin };
}

/** A service-account signing key for a cluster without a node side (no sa.key on disk). */
function serviceAccountKeyPem(): string {
  return String(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }));
}

/**
 * What the apiserver itself keeps in any etcd it talks to: the system namespaces (its
 * system-namespaces controller) and, given the advertise address, the `kubernetes` Service with its
 * Endpoints (its bootstrap controller). RBAC and priority classes are only written by start-up
 * hooks (reconcileBootstrapPolicy at each apiserver start), so a store that goes empty under a
 * running apiserver stays without them until the apiserver restarts.
 */
export function apiserverBootstrap(api: ApiServerHandle, store: ObjectStore, advertiseIp: string | null): void {
  for (const ns of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    if (store.get("namespaces", undefined, ns)) continue;
    api.rest.create(store.typeFor("namespaces"), "namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }, undefined);
  }
  if (!advertiseIp || store.get("services", "default", "kubernetes")) return;
  const { service, endpoints } = kubernetesServiceObjects(advertiseIp);
  store.create("services", service);
  store.create("endpoints", endpoints);
}

export async function startSimCluster(opts: SimClusterOptions): Promise<SimCluster> {
  const clock = new SimClock(opts.timeScale ?? 1);
  const store = new ObjectStore(RESOURCE_TYPES, () => clock.now());
  const nodes = kindNodeSpecs(opts.name, opts.workers);
  // With a node side, the API serves the PKI kubeadm wrote into the control plane's /etc/kubernetes/pki.
  const fleet = opts.clusterDir
    ? await SimNodeFleet.create({ clusterName: opts.name, clusterDir: opts.clusterDir, nodes, clock, server: "https://127.0.0.1:0", store, algorithm: opts.keyAlgorithm })
    : null;
  const pki = fleet ? fleet.apiPki() : await createClusterPki(opts.name, opts.keyAlgorithm);
  // The apiserver reads its service-account key at start (kubeadm's sa.key when the node side exists).
  let saKey: string | null = fleet ? fleet.serviceAccountKey() : serviceAccountKeyPem();
  // The kubelets (and so the log source) start after the API exists; the API asks lazily.
  const logs: { source?: LogSource; exec?: ExecFn } = {};
  const api = createApiServer({
    store,
    clock,
    servingCertPem: pki.apiserver.certPem,
    servingKeyPem: pki.apiserver.keyPem,
    clientCaPem: pki.ca.certPem,
    gitVersion: SIM_VERSIONS.kubernetes,
    logs: () => logs.source,
    exec: () => logs.exec,
    advertiseAddress: "172.18.0.2",
    serviceAccountKey: () => saKey,
    controlPlane: fleet ? () => ({ listeners: () => fleet.controlPlaneListeners() }) : undefined,
  });
  const components: SimComponent[] = [];
  apiserverBootstrap(api, store, null);
  components.push(startGarbageCollector(store));
  // Seeds the kind content (Nodes, add-ons, RBAC) and starts controllers and kubelets.
  const workload = startWorkloadComponents({
    store,
    clock,
    clusterName: opts.name,
    nodes,
    caPem: pki.ca.certPem,
    caKeyPem: pki.ca.keyPem,
    kubeletHooks: fleet ? (n) => fleet.kubeletHooks(n) : undefined,
    onKubelet: fleet ? (n, k) => fleet.attachKubelet(n, k) : undefined,
  });
  components.push(...workload.components);
  // Without a node side there is one apiserver start: its rbac/bootstrap-roles hook runs now.
  if (!fleet) reconcileBootstrapPolicy(store);
  components.push(startNamespaceController({ store, clock, caPem: pki.ca.certPem }));
  logs.source = workload.logs;
  logs.exec = workload.exec;
  const port = await api.listen(opts.port ?? 0);
  const server = `https://127.0.0.1:${port}`;
  if (fleet) {
    const ctl = workload.controllers;
    await fleet.startWith({
      api,
      port,
      setLeader: (c, on) => (c === "kube-scheduler" ? ctl?.setSchedulerRunning(on) : ctl?.setControllerManagerRunning(on)),
      // etcd serving another data dir: swap the store's backend; an empty one gets what the
      // running apiserver's own controllers write into any store (system namespaces, the kubernetes Service).
      setEtcdData: (fresh, key) => store.switchBackend(key, { reset: fresh, seed: () => apiserverBootstrap(api, store, nodes.find((n) => n.role === "control-plane")?.ip ?? null) }),
      // A new apiserver process: it reads sa.key again and its post-start hook reconciles the default RBAC.
      onApiserverStart: () => {
        saKey = fleet.serviceAccountKey();
        reconcileBootstrapPolicy(store);
      },
    });
  }
  return {
    name: opts.name,
    store,
    clock,
    api,
    pki,
    nodes,
    port,
    kubeconfig: () => kindStyleKubeconfig(opts.name, server, pki.ca.certPem, pki.admin),
    async stop() {
      for (const c of components.reverse()) {
        try {
          c.stop();
        } catch {
          // Stopping must reach every component.
        }
      }
      await fleet?.stop();
      await api.close();
    },
  };
}
