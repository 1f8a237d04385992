import type { LabDeps } from "./lab-deps";

/** What the UI calls a session's driver; the stored name itself when this server has no such driver. */
export function driverLabel(deps: Pick<LabDeps, "driverNamed">, driverName: string): string {
  return deps.driverNamed(driverName)?.label ?? driverName;
}
