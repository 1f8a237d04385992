import type { CurrentUser } from "@/lib/auth/current-user";
import { roleAtLeast, type Role } from "@/lib/auth/roles";

export type { Role };

/** Who is acting on a class: the signed-in user (local mode's one implicit user is admin). */
export type ClassActor = Pick<CurrentUser, "id" | "role">;

/** Instructors and admins run classes; an admin may open any class, an instructor their own. */
export function canTeach(role: Role): boolean {
  return roleAtLeast(role, "instructor");
}
