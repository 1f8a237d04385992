import type { ClassActor, Role } from "./class-actor";

/**
 * The class actor for a signed-in user. A user record without a role is local mode's one implicit
 * user, who is also the instructor (shared mode always carries a role).
 */
export function actorOf(user: { id: string; role?: Role }): ClassActor {
  return { id: user.id, role: user.role ?? "admin" };
}
