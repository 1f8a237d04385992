import type { Config, DriverChoice } from "@/lib/config";
import type { Logger } from "@/lib/logger";
import type { ClusterDriver, DriverName } from "./types";

/** What a driver factory is given; each factory picks out the settings its driver needs. */
export interface DriverDeps {
  config: Config;
}

export type DriverFactories = Record<DriverName, (deps: DriverDeps) => ClusterDriver>;

export interface DriverSelection {
  driver: ClusterDriver;
  /** Why this driver was picked, in one line, for the log and the UI. */
  reason: string;
}

/**
 * BREAKFIX_DRIVER=auto|kind|sim|ssh. `auto` takes kind when Docker and kind are usable and
 * sim otherwise, and logs which one and why.
 */
export async function selectDriver(
  choice: DriverChoice,
  factories: DriverFactories,
  deps: DriverDeps,
  log?: Logger,
): Promise<DriverSelection> {
  if (choice !== "auto") {
    const driver = factories[choice](deps);
    const reason = `BREAKFIX_DRIVER=${choice}`;
    log?.info({ driver: choice, reason }, `cluster driver: ${choice} (${reason})`);
    return { driver, reason };
  }
  const kind = factories.kind(deps);
  const avail = await kind.available();
  if (avail.ok) {
    const reason = "auto: docker and kind are usable";
    log?.info({ driver: "kind", reason }, `cluster driver: kind (${reason})`);
    return { driver: kind, reason };
  }
  const reason = `auto: kind is not usable here (missing: ${avail.missing.join(", ") || "unknown"}), so using the simulated cluster`;
  log?.info({ driver: "sim", reason }, `cluster driver: sim (${reason})`);
  return { driver: factories.sim(deps), reason };
}
