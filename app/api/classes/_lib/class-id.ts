import { idOf, type LabRouteContext } from "../../labs/_lib/lab-route";

/** The class id from the path; anything that is not an id is simply "no such class". */
export function classIdOf(ctx: LabRouteContext): Promise<string> {
  return idOf(ctx, "There is no such class.");
}
