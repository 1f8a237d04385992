import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import type { LabRouteContext } from "../../labs/_lib/lab-route";

const idSchema = z.string().regex(/^[a-z0-9]{8,40}$/);

/** The class id from the path; anything that is not an id is simply "no such class". */
export async function classIdOf(ctx: LabRouteContext): Promise<string> {
  const { id } = await ctx.params;
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError("There is no such class.");
  return parsed.data;
}
