import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver, type DriverFactories, type DriverSelection } from "@/lib/cluster/select-driver";
import type { ClusterDriver, DriverName } from "@/lib/cluster/types";
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";

const NAMES: readonly DriverName[] = ["kind", "sim", "ssh"];

function isDriverName(name: string): name is DriverName {
  return (NAMES as readonly string[]).includes(name);
}

// One instance per driver per process: a driver may hold state (kind's warm pool, sim clusters).
const instances = () => processSingleton<Map<DriverName, ClusterDriver>>("lab-driver-instances", () => new Map());

/** The driver called `name` (as persisted on a session), built once; null for a name no driver has. */
export function labDriverNamed(name: string): ClusterDriver | null {
  if (!isDriverName(name)) return null;
  const map = instances();
  const have = map.get(name);
  if (have) return have;
  const d = driverFactories[name]({ config: getConfig() });
  map.set(name, d);
  return d;
}

const selection = () => processSingleton<{ current?: Promise<DriverSelection> }>("lab-driver-selection", () => ({}));

/** The driver new labs use (BREAKFIX_DRIVER; `auto` picks kind or sim), chosen once and logged. */
export function labDriverSelection(): Promise<DriverSelection> {
  const slot = selection();
  if (slot.current) return slot.current;
  const named = (n: DriverName) => () => labDriverNamed(n)!;
  const cached: DriverFactories = { kind: named("kind"), sim: named("sim"), ssh: named("ssh") };
  const p = selectDriver(getConfig().driver, cached, { config: getConfig() }, logger);
  slot.current = p;
  // A failed choice is tried again on the next start request.
  p.catch(() => {
    if (slot.current === p) slot.current = undefined;
  });
  return p;
}
