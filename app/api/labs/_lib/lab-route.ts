import { z } from "zod";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { BreakfixError, InputError, NotFoundError, toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MAX_API_BODY_BYTES } from "@/lib/server/request-guard";

export interface LabRouteContext {
  params: Promise<{ id: string }>;
}

const idSchema = z.string().regex(/^[a-z0-9]{8,40}$/);

/** The id from the path; anything that is not an id is simply "no such …" (`notFound`). */
export async function idOf(ctx: LabRouteContext, notFound: string): Promise<string> {
  const { id } = await ctx.params;
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError(notFound);
  return parsed.data;
}

/** The lab id from the path; anything that is not an id is simply "no such lab". */
export function labIdOf(ctx: LabRouteContext): Promise<string> {
  return idOf(ctx, "There is no such lab.");
}

/** Parses a JSON body with a zod schema; an empty body counts as {}. */
export async function bodyOf<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await req.text();
  // The server's guard refuses a declared length above this; a chunked body is measured here.
  if (Buffer.byteLength(text) > MAX_API_BODY_BYTES) throw new InputError(`The request body is too large (at most ${MAX_API_BODY_BYTES} bytes).`);
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new InputError("The request body is not JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${i.path.map(String).join(".") || "body"}: ${i.message}`);
  }
  return parsed.data;
}

/** Runs a handler for the current user and maps every error through toHttp (the one place). */
export async function labRoute(req: Request, fn: (user: CurrentUser) => Promise<Response>): Promise<Response> {
  try {
    const user = await getCurrentUser(req);
    return await fn(user);
  } catch (err) {
    if (!(err instanceof BreakfixError)) logger.error({ err, url: req.url, method: req.method }, "lab request failed");
    const { status, body } = toHttp(err);
    return Response.json(body, { status });
  }
}
