import { z } from "zod";
import { getConfig, type Config } from "@/lib/config";
import { ForbiddenError } from "@/lib/errors";
import type { CurrentUser } from "./current-user";

/**
 * The roles that may see the instructor pages. Read defensively: `CurrentUser` has no `role`
 * until accounts land, so an absent or unknown role is "no role" and falls back to the mode.
 */
const roleSchema = z.enum(["learner", "instructor", "admin"]);

function roleOf(user: CurrentUser): z.infer<typeof roleSchema> | undefined {
  const parsed = roleSchema.safeParse((user as CurrentUser & { role?: unknown }).role);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Whether this user may see learners' results and the packs' solutions. A user with a role is
 * an instructor as an instructor or admin. Without one, local mode's one implicit user is the
 * instructor of their own machine; in shared mode nobody is (until accounts give roles).
 */
export function isInstructor(user: CurrentUser, deps: { config?: Pick<Config, "mode"> } = {}): boolean {
  const role = roleOf(user);
  if (role) return role === "instructor" || role === "admin";
  return (deps.config ?? getConfig()).mode === "local";
}

/**
 * Refuses (403) a user who is not an instructor, for the instructor pages, routes and the lab's
 * instructor panel.
 *
 * @example
 * const user = await getCurrentUser(req);
 * requireInstructor(user); // throws ForbiddenError for a learner
 */
export function requireInstructor(user: CurrentUser, deps: { config?: Pick<Config, "mode"> } = {}): void {
  if (!isInstructor(user, deps))
    throw new ForbiddenError("This page is for instructors.", { hint: "Ask an admin of this server for the instructor role." });
}
