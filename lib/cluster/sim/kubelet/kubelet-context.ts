/**
 * What every part of one node's kubelet shares: its infrastructure (store, clock, event
 * recorder, pod network), the process state that systemctl and the CNI seam switch, the journal,
 * and the runtime states of the pods it runs. startKubelet builds one and hands it to each part.
 */
import type { SimClock } from "../clock";
import type { EventRecorder } from "../contracts";
import type { Container } from "../controllers/api-types";
import type { ObjectStore } from "../store/object-store";
import type { KubeletJournal } from "./kubelet-journal";
import type { ApiFault, KubeletHooks } from "./kubelet-seams";
import type { PodNetwork } from "./pod-network";
import type { PodRuntimeState } from "./pod-runtime-state";

export interface KubeletProcessState {
  /** False between `systemctl stop kubelet` and a start: no syncs, status writes or lease renewals. */
  running: boolean;
  /** The kubelet was torn down with the cluster; nothing it scheduled may act any more. */
  stopped: boolean;
  /** The CNI plugin is initialised; without it pods that need a network cannot get a sandbox. */
  networkReady: boolean;
  /**
   * The API server the kubelet's kubeconfig names does not answer: the kubelet runs its static
   * pods and the containers it has, but writes no lease, node or pod status, events or mirror
   * pods, and learns of no pod change until it is connected again.
   */
  apiFault: ApiFault | null;
}

/** What the kubelet of one node is built from. */
export interface KubeletOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  nodeName: string;
  hooks?: KubeletHooks;
  /** The cluster's pod network model; without it containers reach nothing. */
  network?: PodNetwork;
}

export interface KubeletContext extends KubeletOptions {
  journal: KubeletJournal;
  process: KubeletProcessState;
  /** Pods this kubelet runs, by uid (a static pod's uid is its config hash). */
  pods: Map<string, PodRuntimeState>;
  /** SimClock time in ms. */
  now(): number;
}

/** True while the kubelet may act: its process runs and it was not torn down. */
export function kubeletActive(ctx: KubeletContext): boolean {
  return ctx.process.running && !ctx.process.stopped;
}

/** True while the kubelet may write to the API server: it is active and its kubeconfig's server answers. */
export function kubeletConnected(ctx: KubeletContext): boolean {
  return kubeletActive(ctx) && !ctx.process.apiFault;
}

/** What the kubelet's parts ask of pod sync and pod status; startKubelet wires these late. */
export interface PodActions {
  /** Records an event about the pod (or one of its containers) as the kubelet does. */
  podEvent(rt: PodRuntimeState, container: Container | undefined, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Syncs the pod after `delayMs`, unless a sync is already due sooner. */
  schedule(rt: PodRuntimeState, delayMs: number): void;
  /** Writes the pod's status if it changed. */
  writeStatus(rt: PodRuntimeState): void;
}

/** How long the kubelet waits before it syncs a pod again. */
export const RESYNC_DELAYS = {
  /** After an error that a later sync may clear (network, image pull policy). */
  errorMs: 10_000,
  /** After CreateContainerConfigError (missing ConfigMap or Secret key). */
  configErrorMs: 7_000,
  /** The PLEG relist period: how soon a container start or death is noticed. */
  plegMs: 1_000,
  /** RunPodSandbox: network setup and the pause container. */
  sandboxMs: 600,
} as const;
