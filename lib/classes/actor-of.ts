import type { CurrentUser } from "@/lib/auth/current-user";
import type { ClassActor } from "./class-actor";

/** The class actor for a signed-in user (local mode's one implicit user is admin). */
export function actorOf(user: Pick<CurrentUser, "id" | "role">): ClassActor {
  return { id: user.id, role: user.role };
}
