import type { PrismaClient } from "@/lib/generated/prisma/client";
import { canTeach, type ClassActor } from "./class-actor";

export interface TaughtClass {
  id: string;
  name: string;
  joinCode: string;
  createdAt: Date;
  archivedAt: Date | null;
  members: number;
  assignments: number;
  ownerName: string;
}

/** The classes an instructor owns (an admin: every class), newest first. */
export async function taughtClasses(prisma: PrismaClient, actor: ClassActor): Promise<TaughtClass[]> {
  if (!canTeach(actor.role)) return [];
  const rows = await prisma.class.findMany({
    where: actor.role === "admin" ? {} : { ownerId: actor.id },
    orderBy: { createdAt: "desc" },
    include: { owner: { select: { name: true } }, _count: { select: { members: true, assignments: true } } },
  });
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    joinCode: c.joinCode,
    createdAt: c.createdAt,
    archivedAt: c.archivedAt,
    members: c._count.members,
    assignments: c._count.assignments,
    ownerName: c.owner.name,
  }));
}
