import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { requireInstructor } from "@/lib/auth/require-instructor";
import { BreakfixError, toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** Runs a handler for the current user once they are known to be an instructor (403 otherwise); errors through toHttp. */
export async function instructorRoute(req: Request, fn: (user: CurrentUser) => Promise<Response>): Promise<Response> {
  try {
    const user = await getCurrentUser(req);
    requireInstructor(user);
    return await fn(user);
  } catch (err) {
    if (!(err instanceof BreakfixError)) logger.error({ err, url: req.url, method: req.method }, "instructor request failed");
    const { status, body } = toHttp(err);
    return Response.json(body, { status });
  }
}
