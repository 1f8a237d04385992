import type { DriverFactories } from "./select-driver";
import { createKindDriver } from "./kind/kind-driver";
import { createSshDriver } from "./ssh/ssh-driver";
import { createSimDriver } from "./sim/sim-driver";

/**
 * The drivers, as an explicit record: each factory hands its driver only the settings it reads.
 * Drivers never import this file, so it is the one place that knows all of them.
 */
export const driverFactories: DriverFactories = {
  kind: ({ config }) => createKindDriver({ config: { dataDir: config.dataDir, kind: config.kind } }),
  sim: ({ config }) =>
    createSimDriver({ config: { dataDir: config.dataDir } }, { processModel: config.sim.processModel, keyAlgorithm: config.sim.keyAlgorithm }),
  ssh: ({ config }) => createSshDriver({ config: { dataDir: config.dataDir, sshClustersFile: config.sshClustersFile } }),
};
