import { z } from "zod";
import { ForbiddenError, InputError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { canTeach, type ClassActor } from "./class-actor";
import { newJoinCode } from "./join-code";

export const classNameSchema = z.string().trim().min(1, "give the class a name").max(120, "at most 120 characters");

/** Creates a class owned by the acting instructor, with a fresh join code. */
export async function createClass(prisma: PrismaClient, actor: ClassActor, input: { name: string }): Promise<{ id: string; joinCode: string }> {
  if (!canTeach(actor.role)) throw new ForbiddenError("Only instructors can create classes.", { hint: "Ask an admin to give you the instructor role." });
  const name = classNameSchema.safeParse(input.name);
  if (!name.success) throw new InputError(`name: ${name.error.issues[0]!.message}`);
  return prisma.class.create({ data: { name: name.data, ownerId: actor.id, joinCode: newJoinCode() }, select: { id: true, joinCode: true } });
}
