/** The roles that matter to classes (accounts: lib/auth). */
export type Role = "learner" | "instructor" | "admin";

/** Who is acting on a class: the signed-in user with their role. */
export interface ClassActor {
  id: string;
  role: Role;
}

/** Instructors and admins run classes; an admin may open any class, an instructor their own. */
export function canTeach(role: Role): boolean {
  return role === "instructor" || role === "admin";
}
