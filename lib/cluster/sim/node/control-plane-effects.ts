import type { ApiServerHandle } from "@/lib/cluster/sim/api/api-server";
import { logger } from "@/lib/logger";
import type { ControllerComponent } from "./components/kube-controller-model";
import type { ApiEndpointState, ControlPlaneEffects } from "./fleet-state";

export interface ControlPlaneTargets {
  api: ApiServerHandle;
  /** The port the API was first bound on (it comes back on the same one). */
  port: number;
  /** kube-scheduler / kube-controller-manager on or off (the controllers' setSchedulerRunning / setControllerManagerRunning). */
  setLeader(component: ControllerComponent, leading: boolean): void;
  /** etcd's data identity changed (swap to an empty store, or back); optional until the runtime supports it. */
  setEtcdData?(fresh: boolean, key: string): void;
  /** A new kube-apiserver run reached etcd (its post-start hooks: the default RBAC policy). */
  onApiserverStart?(): void;
  /** How long requests hang while etcd is unreachable before the apiserver answers 504 (real ms). */
  etcdTimeoutMs?: number;
}

/**
 * Maps what the node models decide onto the sim API server: the port is served, refuses, or
 * accepts but times out (etcd unreachable); certificate files are hot-reloaded.
 */
export function controlPlaneEffects(t: ControlPlaneTargets): ControlPlaneEffects {
  let chain: Promise<unknown> = Promise.resolve();
  const serially = (fn: () => Promise<unknown> | void) => {
    chain = chain.then(fn).catch((err: unknown) => logger.warn({ err }, "sim node: API endpoint change failed"));
  };
  return {
    setApiEndpoint(state: ApiEndpointState) {
      serially(async () => {
        if (state === "down") return t.api.close();
        t.api.setBackendFailure(state === "etcd-unreachable" ? { delayMs: t.etcdTimeoutMs ?? 5000 } : null);
        if (!t.api.listening) await t.api.listen(t.port);
      });
    },
    setServingCert: (certPem, keyPem) => t.api.setServingCert(certPem, keyPem),
    setClientCa: (caPem) => t.api.setClientCa(caPem),
    setLeader: (c, leading) => t.setLeader(c, leading),
    setEtcdData: (fresh, key) => t.setEtcdData?.(fresh, key),
    apiserverStarted: () => t.onApiserverStart?.(),
  };
}
