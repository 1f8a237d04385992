import type { DriverChoice } from "@/lib/config";
import { NotImplementedError, UnavailableError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import type { DriverDeps } from "./drivers";
import type { ClusterDriver, DriverName } from "./types";

export interface DriverSelection {
  driver: ClusterDriver;
  /** Why this driver was picked, in one line, for the log and the UI. */
  reason: string;
}

type Factories = Record<DriverName, ((deps: DriverDeps) => ClusterDriver) | null>;

function build(name: DriverName, factories: Factories, deps: DriverDeps): ClusterDriver {
  const factory = factories[name];
  if (!factory) {
    throw new NotImplementedError(`The ${name} cluster driver is not built yet.`, {
      hint: name === "sim" ? undefined : "Use BREAKFIX_DRIVER=sim, or auto.",
    });
  }
  return factory(deps);
}

/**
 * BREAKFIX_DRIVER=auto|kind|sim|ssh. `auto` takes kind when Docker and kind are usable and
 * sim otherwise, and logs which one and why.
 */
export async function selectDriver(
  choice: DriverChoice,
  factories: Factories,
  deps: DriverDeps,
  log?: Logger,
): Promise<DriverSelection> {
  if (choice !== "auto") {
    const driver = build(choice, factories, deps);
    const reason = `BREAKFIX_DRIVER=${choice}`;
    log?.info({ driver: choice, reason }, `cluster driver: ${choice} (${reason})`);
    return { driver, reason };
  }
  let reason: string;
  if (factories.kind) {
    const kind = factories.kind(deps);
    const avail = await kind.available();
    if (avail.ok) {
      reason = "auto: docker and kind are usable";
      log?.info({ driver: "kind", reason }, `cluster driver: kind (${reason})`);
      return { driver: kind, reason };
    }
    reason = `auto: kind is not usable here (missing: ${avail.missing.join(", ") || "unknown"})`;
  } else {
    reason = "auto: the kind driver is not built";
  }
  if (!factories.sim) {
    throw new UnavailableError(`No cluster driver can run here: ${reason}, and the sim driver is not built yet.`);
  }
  const sim = factories.sim(deps);
  reason = `${reason}, so using the simulated cluster`;
  log?.info({ driver: "sim", reason }, `cluster driver: sim (${reason})`);
  return { driver: sim, reason };
}
