/**
 * The controllers of a sim cluster's kube-controller-manager and kube-scheduler that this area
 * owns, started together. stop() stops them all. The GC, namespace-lifecycle, serviceaccount and
 * root-ca-cert-publisher controllers belong to the API layer (api-controllers/).
 */
import type { SimClock } from "../clock";
import type { EventRecorder, SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { startClusterRoleAggregationController } from "./clusterrole-aggregation-controller";
import { startCronJobController } from "./cronjob-controller";
import { startCsrSigningController } from "./csr-signing-controller";
import { startDaemonSetController } from "./daemonset-controller";
import { startDeploymentController } from "./deployment-controller";
import { startDisruptionController } from "./disruption-controller";
import { startEndpointsController } from "./endpoints-controller";
import { startHpaController } from "./hpa-controller";
import { startJobController } from "./job-controller";
import { startNodeLifecycleController } from "./node-lifecycle-controller";
import { startPvBinder } from "./pv-binder";
import { startReplicaSetController } from "./replicaset-controller";
import { startResourceQuotaController } from "./resource-quota-controller";
import { startScheduler } from "./scheduler";
import { startStatefulSetController } from "./statefulset-controller";

export interface SimControllersOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  /** Leave out some controllers (a scenario where the scheduler is down is driven by node/). */
  without?: ("scheduler" | "controller-manager")[];
  /** The cluster CA pair the CSR signer signs with (--cluster-signing-*-file); no signer without it. */
  signingCa?: { certPem: string; keyPem: string };
}

export interface SimControllers extends SimComponent {
  /** kube-scheduler on/off, for a control plane whose scheduler crash-loops. */
  setSchedulerRunning(running: boolean): void;
  /** kube-controller-manager on/off, likewise. */
  setControllerManagerRunning(running: boolean): void;
}

export function startControllers(opts: SimControllersOptions): SimControllers {
  const base = { store: opts.store, clock: opts.clock, events: opts.events };
  let scheduler: SimComponent | undefined;
  let kcm: SimComponent[] = [];
  const startKcm = () => {
    kcm = [
      startReplicaSetController(base),
      startDeploymentController(base),
      startDaemonSetController(base),
      startStatefulSetController(base),
      startJobController(base),
      startEndpointsController(base),
      startNodeLifecycleController(base),
      startPvBinder(base),
      startClusterRoleAggregationController(base),
      startResourceQuotaController(base),
      startCronJobController(base),
      startHpaController(base),
      startDisruptionController(base),
      ...(opts.signingCa ? [startCsrSigningController({ ...base, ca: opts.signingCa })] : []),
    ];
  };
  if (!opts.without?.includes("scheduler")) scheduler = startScheduler(base);
  if (!opts.without?.includes("controller-manager")) startKcm();
  return {
    setSchedulerRunning(running) {
      if (running && !scheduler) scheduler = startScheduler(base);
      if (!running && scheduler) {
        scheduler.stop();
        scheduler = undefined;
      }
    },
    setControllerManagerRunning(running) {
      if (running && !kcm.length) startKcm();
      if (!running) {
        for (const c of kcm) c.stop();
        kcm = [];
      }
    },
    stop() {
      scheduler?.stop();
      for (const c of kcm) c.stop();
      scheduler = undefined;
      kcm = [];
    },
  };
}
