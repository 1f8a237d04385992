import type { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import { kubeControllerModel, type ControllerComponent, type ControllerOutcome } from "./components/kube-controller-model";
import { runOf, type ApiserverView, type ControlPlaneEffects, type NodeState, type RunRecords } from "./fleet-state";
import { renewLeaderLease } from "./renew-leader-lease";

const ELECTED: ControllerComponent[] = ["kube-scheduler", "kube-controller-manager"];

/** Leader election of the scheduler and controller-manager, as the fleet remembers it between ticks. */
export interface LeaderElectionState {
  /** Whether each component's controllers were last said to act (null: not yet decided). */
  leaders: Record<ControllerComponent, boolean | null>;
  /** The holder identity of each component's lease while it leads ("" when none). */
  leaseHolders: Record<ControllerComponent, string>;
  /** Containers that have held their lease (only those can lose it). */
  hasLed: Set<string>;
}

export interface LeaderElectionInput {
  controlPlane: Pick<NodeState, "spec" | "kubelet">;
  runs: RunRecords;
  api: ApiserverView;
  now: Date;
  state: LeaderElectionState;
  effects: Pick<ControlPlaneEffects, "setLeader">;
  /** Where leases are kept; without one, leading is passed on but no Lease is written. */
  store?: ObjectStore;
}

/** The holder identity leader election uses: `<node>_<uuid>` (here the container id shaped as a uuid). */
function holderIdentity(node: string, containerId: string): string {
  const id = containerId;
  return `${node}_${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
}

/**
 * A running scheduler or controller-manager whose model says it can lead takes the lead; a change
 * of leader is passed on once, and the leader's Lease is renewed.
 */
export function reconcileLeaderElection(input: LeaderElectionInput): void {
  const { controlPlane: cp, runs, api, now, state, effects, store } = input;
  for (const component of ELECTED) {
    let leading = false;
    let acting = false;
    for (const c of cp.kubelet?.containers() ?? []) {
      if (c.state !== "Running") continue;
      const r = runOf(runs, c);
      if (r?.component !== component) continue;
      const o: ControllerOutcome = kubeControllerModel(component, { ...r.ctx, now, apiserver: api });
      // A container that takes its lease and then exits (a controller that fails to start) holds
      // the lease while it runs, but its controllers never act.
      leading = o.canLead;
      acting = leading && o.run.kind === "runs" && o.startsControllers !== false;
      if (leading) state.hasLed.add(c.id);
      // Each container is a new process with a new identity: a restart is a leader transition.
      if (leading) state.leaseHolders[component] = holderIdentity(cp.spec.name, c.id);
    }
    if (acting !== state.leaders[component]) {
      state.leaders[component] = acting;
      effects.setLeader(component, acting);
    }
    if (!leading) state.leaseHolders[component] = "";
    if (leading && store) renewLeaderLease(store, component, state.leaseHolders[component], now);
  }
}
