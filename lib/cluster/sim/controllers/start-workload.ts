/**
 * The workload side of a sim cluster in one call, for sim-cluster.ts (via sim-components.ts):
 * seeds the kind add-ons and RBAC (objects that exist already are kept), starts the event
 * recorder, the controllers and one kubelet per node (with node/'s hooks), and offers the
 * cluster-wide pod log source.
 */
import type { SimClock } from "../clock";
import type { LogSource, SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { createEventRecorder, type SimEventRecorder } from "../events/event-recorder";
import { startKubelet } from "../kubelet/kubelet";
import { createClusterExec, type ClusterExec } from "../kubelet/cluster-exec";
import { createClusterLogSource } from "../kubelet/cluster-log-source";
import type { KubeletHooks, SimKubelet } from "../kubelet/kubelet-seams";
import { createPodNetwork, type PodNetwork } from "../kubelet/pod-network";
import { seedKindCluster } from "../bootstrap/seed-kind-cluster";
import { startControllers, type SimControllers } from "./start-controllers";

export interface StartWorkloadOptions {
  store: ObjectStore;
  clock: SimClock;
  clusterName: string;
  nodes: { name: string; role: "control-plane" | "worker" }[];
  caPem?: string;
  /** The cluster CA's key, for the controller-manager's CSR signer. */
  caKeyPem?: string;
  /** node/'s hooks per node (static pods, process model). */
  kubeletHooks?: (node: string) => KubeletHooks | undefined;
  /** Called with each kubelet once it runs (node/ attaches it to its node). */
  onKubelet?: (node: string, kubelet: SimKubelet) => void;
  /** Do not seed CoreDNS, kube-proxy, kindnet and local-path-provisioner. */
  withoutAddons?: boolean;
}

export interface StartedWorkload {
  components: SimComponent[];
  logs: LogSource;
  events: SimEventRecorder;
  controllers: SimControllers;
  kubelets: Map<string, SimKubelet>;
  /** Reachability inside the cluster (DNS, Services, pod IPs), for probes and checks. */
  network: PodNetwork;
  /** Non-interactive `kubectl exec` for the API layer's exec subresource. */
  exec: ClusterExec;
}

const ADDONS = [
  ["deployments.apps", "kube-system", "coredns"],
  ["deployments.apps", "local-path-storage", "local-path-provisioner"],
  ["daemonsets.apps", "kube-system", "kube-proxy"],
  ["daemonsets.apps", "kube-system", "kindnet"],
] as const;

export function startWorkload(opts: StartWorkloadOptions): StartedWorkload {
  const { store, clock } = opts;
  const hadAddons = new Set(ADDONS.filter(([k, ns, n]) => store.get(k, ns, n)).map(([k, ns, n]) => `${k}/${ns}/${n}`));
  seedKindCluster(store, { name: opts.clusterName, workers: opts.nodes.filter((n) => n.role === "worker").length, caCertPem: opts.caPem, now: clock.now() });
  if (opts.withoutAddons) for (const [k, ns, n] of ADDONS) if (!hadAddons.has(`${k}/${ns}/${n}`)) store.purge(k, ns, n);
  const events = createEventRecorder(store, clock);
  const network = createPodNetwork(store);
  const kubelets = new Map<string, SimKubelet>();
  for (const n of opts.nodes) {
    const k = startKubelet({ store, clock, events, nodeName: n.name, hooks: opts.kubeletHooks?.(n.name), network });
    kubelets.set(n.name, k);
    opts.onKubelet?.(n.name, k);
  }
  const controllers = startControllers({
    store,
    clock,
    events,
    signingCa: opts.caPem && opts.caKeyPem ? { certPem: opts.caPem, keyPem: opts.caKeyPem } : undefined,
  });
  return {
    components: [controllers, ...kubelets.values(), events],
    logs: createClusterLogSource(store, () => kubelets),
    events,
    controllers,
    kubelets,
    network,
    exec: createClusterExec(store, () => kubelets),
  };
}
