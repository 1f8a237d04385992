import fs from "node:fs";
import type { ContainerRecord, SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import type { ApiserverState, ComponentContext, ComponentOutcome, EtcdEndpointState, NodeFs } from "./components/component-context";
import type { EtcdOutcome } from "./components/etcd-model";
import type { ApiserverOutcome } from "./components/kube-apiserver-model";
import type { ControllerComponent } from "./components/kube-controller-model";
import type { NodeLayout } from "./node-layout";
import type { SimNodeSpec } from "./node-spec";
import type { ManifestStaticPodSource } from "./static-pod-source";
import type { NodeServices, UnitName } from "./tools/node-services";

/**
 * The state the node fleet keeps per node and per control-plane container run, shared by the
 * fleet and its reconcilers (each reconciler takes only the parts it changes).
 */

export type ApiEndpointState = "serving" | "etcd-unreachable" | "down";

export interface ControlPlaneEffects {
  /** serving: port open; etcd-unreachable: port open but requests hang and fail; down: port refuses. */
  setApiEndpoint(state: ApiEndpointState): void;
  /** The pair in --tls-cert-file/--tls-private-key-file changed on disk (the apiserver reloads it). */
  setServingCert(certPem: string, keyPem: string): void;
  /** The CA in --client-ca-file changed on disk. */
  setClientCa(caPem: string): void;
  /** Whether kube-scheduler / kube-controller-manager hold their lease and so act. */
  setLeader(component: ControllerComponent, leading: boolean): void;
  /**
   * etcd now serves from a different data directory. `key` names the data (host:<node dir> persists,
   * container:<run> is a container's own filesystem); `fresh` means it starts empty (a new
   * container, or a directory without member/). Switching back to a key restores its data.
   */
  setEtcdData(fresh: boolean, key: string): void;
  /** A new kube-apiserver run reached etcd: its post-start hooks run (rbac/bootstrap-roles). */
  apiserverStarted?(): void;
}

/** Optional runtime operations the kubelet model may offer (crictl rm/stopp/rmp, a leader that loses its lease exits). */
export interface KubeletRuntimeOps {
  removeContainer?(id: string): void;
  stopSandbox?(id: string): void;
  removeSandbox?(id: string): void;
  exitContainer?(id: string, exitCode: number, logs: string[]): void;
}

/** What a component model decided for one container run of a control-plane static pod. */
export interface RunRecord {
  component: "etcd" | "kube-apiserver" | ControllerComponent | "kindnet";
  outcome: ComponentOutcome;
  ctx: ComponentContext;
  startedAt: number;
}

export interface NodeState {
  spec: SimNodeSpec;
  layout: NodeLayout;
  source: ManifestStaticPodSource;
  services: NodeServices;
  kubelet: SimKubelet | null;
  ops: KubeletRuntimeOps;
  /** Lines the node writes to its units' journals besides the kubelet model's own. */
  journal: Record<UnitName, string[]>;
  cniReady: boolean | null;
}

/** The state etcd offers right now, with the run that offers it. */
export type EtcdView = EtcdEndpointState & { outcome: EtcdOutcome | null; run: RunRecord | null };

/** The kube-apiserver as its clients see it now, with the run that serves it. */
export type ApiserverView = ApiserverState & { endpoint: ApiEndpointState; outcome: ApiserverOutcome | null; run: RunRecord | null };

/** Component-model runs, by `<pod uid>/<container>/<attempt>`. */
export type RunRecords = Map<string, RunRecord>;

export function runKey(podUid: string, container: string, attempt: number): string {
  return `${podUid}/${container}/${attempt}`;
}

/** The run record of a container the kubelet reports, if a component model decided it. */
export function runOf(runs: RunRecords, c: ContainerRecord): RunRecord | undefined {
  return runs.get(runKey(c.podUid, c.name, c.attempt));
}

/** The node's files as component models read them (node paths; null / false when absent). */
export function nodeFs(layout: NodeLayout): NodeFs {
  return {
    read(p) {
      try {
        const h = layout.host(p);
        return fs.statSync(h).isFile() ? fs.readFileSync(h, "utf8") : null;
      } catch {
        return null;
      }
    },
    isDir(p) {
      try {
        return fs.statSync(layout.host(p)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
