import { NotFoundError } from "@/lib/errors";
import type { Class, PrismaClient } from "@/lib/generated/prisma/client";
import { canTeach, type ClassActor } from "./class-actor";

/**
 * A class the actor teaches: its owner, or an admin. Anyone else's class answers exactly like a
 * missing one, so class ids cannot be probed.
 */
export async function loadClassForInstructor(prisma: PrismaClient, actor: ClassActor, classId: string): Promise<Class> {
  const c = canTeach(actor.role) ? await prisma.class.findUnique({ where: { id: classId } }) : null;
  if (!c || (actor.role !== "admin" && c.ownerId !== actor.id)) throw new NotFoundError("There is no such class.", { hint: "Open it from your classes." });
  return c;
}
