import { ForbiddenError } from "@/lib/errors";
import type { CurrentUser } from "./current-user";
import { requireRole } from "./require-role";
import { roleAtLeast } from "./roles";

/**
 * Whether this user may see learners' results and the packs' solutions: instructors and admins.
 * Local mode's one implicit user is admin (lib/auth/current-user.ts), so the instructor of their
 * own machine; in shared mode the role is the account's.
 */
export function isInstructor(user: Pick<CurrentUser, "role">): boolean {
  return roleAtLeast(user.role, "instructor");
}

/**
 * Refuses (403) a user who is not an instructor, for the instructor pages, routes and the lab's
 * instructor panel.
 *
 * @example
 * const user = await getCurrentUser(req);
 * requireInstructor(user); // throws ForbiddenError for a learner
 */
export function requireInstructor(user: Pick<CurrentUser, "role">): void {
  try {
    requireRole(user, "instructor");
  } catch (err) {
    if (err instanceof ForbiddenError) throw new ForbiddenError("This page is for instructors.", { hint: "Ask an admin of this server for the instructor role." });
    throw err;
  }
}
