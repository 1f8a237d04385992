/**
 * What every part of one node's kubelet shares: its infrastructure (store, clock, event
 * recorder, pod network), the process state that systemctl and the CNI seam switch, the journal,
 * and the runtime states of the pods it runs. startKubelet builds one and hands it to each part.
 */
import type { SimClock } from "../clock";
import type { EventRecorder } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import type { KubeletJournal } from "./kubelet-journal";
import type { KubeletHooks } from "./kubelet-seams";
import type { PodNetwork } from "./pod-network";
import type { PodRuntimeState } from "./pod-runtime-state";

export interface KubeletProcessState {
  /** False between `systemctl stop kubelet` and a start: no syncs, status writes or lease renewals. */
  running: boolean;
  /** The kubelet was torn down with the cluster; nothing it scheduled may act any more. */
  stopped: boolean;
  /** The CNI plugin is initialised; without it pods that need a network cannot get a sandbox. */
  networkReady: boolean;
}

export interface KubeletContext {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  nodeName: string;
  hooks?: KubeletHooks;
  network?: PodNetwork;
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
