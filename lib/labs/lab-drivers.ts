import { selectDriver, type DriverFactories, type DriverSelection } from "@/lib/cluster/select-driver";
import type { ClusterDriver, DriverName } from "@/lib/cluster/types";
import type { Config } from "@/lib/config";
import type { Logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";

const NAMES: readonly DriverName[] = ["kind", "sim", "ssh"];

function isDriverName(name: string): name is DriverName {
  return (NAMES as readonly string[]).includes(name);
}

export interface LabDrivers {
  /** The driver called `name` (as persisted on a session), built once; null for a name no driver has. */
  named(name: string): ClusterDriver | null;
  /** The driver new labs use (BREAKFIX_DRIVER; `auto` picks kind or sim), chosen once and logged. */
  selection(): Promise<DriverSelection>;
}

/**
 * The drivers labs use, built from the factories the composition root hands in. One instance per
 * driver per process (a driver may hold state: kind's warm pool, sim clusters), shared by both
 * module graphs.
 */
export function createLabDrivers(opts: { factories: DriverFactories; config: Config; log?: Logger }): LabDrivers {
  const instances = () => processSingleton<Map<DriverName, ClusterDriver>>("lab-driver-instances", () => new Map());
  const selected = () => processSingleton<{ current?: Promise<DriverSelection> }>("lab-driver-selection", () => ({}));
  const named = (name: string): ClusterDriver | null => {
    if (!isDriverName(name)) return null;
    const map = instances();
    const have = map.get(name);
    if (have) return have;
    const d = opts.factories[name]({ config: opts.config });
    map.set(name, d);
    return d;
  };
  return {
    named,
    selection() {
      const slot = selected();
      if (slot.current) return slot.current;
      const cached = (n: DriverName) => () => named(n)!;
      const p = selectDriver(opts.config.driver, { kind: cached("kind"), sim: cached("sim"), ssh: cached("ssh") }, { config: opts.config }, opts.log);
      slot.current = p;
      // A failed choice is tried again on the next start request.
      p.catch(() => {
        if (slot.current === p) slot.current = undefined;
      });
      return p;
    },
  };
}
