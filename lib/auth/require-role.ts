import { ForbiddenError } from "@/lib/errors";
import type { CurrentUser } from "./current-user";
import { roleAtLeast, type Role } from "./roles";

/** Throws ForbiddenError (403) unless `user` has `role` or a higher one. */
export function requireRole(user: Pick<CurrentUser, "role">, role: Role): void {
  if (!roleAtLeast(user.role, role)) {
    throw new ForbiddenError(`This needs the ${role} role.`, { hint: "Ask an admin of this breakfix server for access." });
  }
}
