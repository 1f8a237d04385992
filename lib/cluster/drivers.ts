import type { Config } from "@/lib/config";
import type { ClusterDriver, DriverName } from "./types";
import { createKindDriver } from "./kind/kind-driver";
import { createSshDriver } from "./ssh/ssh-driver";
import { createSimDriver } from "./sim/sim-driver";

export interface DriverDeps {
  config: Config;
}

/**
 * The drivers, as an explicit record. A driver that has not been built yet maps to null,
 * and callers say so plainly instead of pretending.
 */
export const driverFactories: Record<DriverName, ((deps: DriverDeps) => ClusterDriver) | null> = {
  kind: (deps) => createKindDriver(deps),
  sim: (deps) => createSimDriver(deps, { processModel: deps.config.sim.processModel, keyAlgorithm: deps.config.sim.keyAlgorithm }),
  ssh: (deps) => createSshDriver(deps),
};

export const DRIVER_LABELS: Record<DriverName, string> = {
  kind: "kind cluster",
  sim: "Simulated cluster",
  ssh: "Your kubeadm cluster (ssh)",
};
