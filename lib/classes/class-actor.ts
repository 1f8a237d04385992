import { roleAtLeast, type Role } from "@/lib/auth/roles";

export type { Role };

/** Who is acting on a class: the signed-in user (lib/auth CurrentUser) with their role. */
export interface ClassActor {
  id: string;
  role: Role;
}

/** Instructors and admins run classes; an admin may open any class, an instructor their own. */
export function canTeach(role: Role): boolean {
  return roleAtLeast(role, "instructor");
}
