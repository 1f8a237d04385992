import { z } from "zod";
import { NotFoundError } from "@/lib/errors";

export interface ExamRouteContext {
  params: Promise<{ id: string }>;
}

const idSchema = z.string().regex(/^[a-z0-9]{8,40}$/);

/** The attempt id from the path; anything that is not an id is simply "no such attempt". */
export async function examIdOf(ctx: ExamRouteContext): Promise<string> {
  const parsed = idSchema.safeParse((await ctx.params).id);
  if (!parsed.success) throw new NotFoundError("There is no such exam attempt.");
  return parsed.data;
}
