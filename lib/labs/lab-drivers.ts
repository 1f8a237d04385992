import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver, type DriverSelection } from "@/lib/cluster/select-driver";
import type { ClusterDriver, DriverName } from "@/lib/cluster/types";
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";

const NAMES: DriverName[] = ["kind", "sim", "ssh"];

// One instance per driver per process: a driver may hold state (kind's warm pool, sim clusters).
const instances = () => processSingleton<Map<DriverName, ClusterDriver>>("lab-driver-instances", () => new Map());

/** The driver called `name`, built once; null when that driver is not built. */
export function labDriverNamed(name: DriverName): ClusterDriver | null {
  if (!NAMES.includes(name)) return null;
  const map = instances();
  const have = map.get(name);
  if (have) return have;
  const factory = driverFactories[name];
  if (!factory) return null;
  const d = factory({ config: getConfig() });
  map.set(name, d);
  return d;
}

const selection = () => processSingleton<{ current?: Promise<DriverSelection> }>("lab-driver-selection", () => ({}));

/** The driver new labs use (BREAKFIX_DRIVER; `auto` picks kind or sim), chosen once and logged. */
export function labDriverSelection(): Promise<DriverSelection> {
  const slot = selection();
  if (slot.current) return slot.current;
  const cached = Object.fromEntries(NAMES.map((n) => [n, driverFactories[n] ? () => labDriverNamed(n)! : null])) as Parameters<
    typeof selectDriver
  >[1];
  const p = selectDriver(getConfig().driver, cached, { config: getConfig() }, logger);
  slot.current = p;
  // A failed choice (e.g. a driver not built yet) is tried again on the next start request.
  p.catch(() => {
    if (slot.current === p) slot.current = undefined;
  });
  return p;
}
