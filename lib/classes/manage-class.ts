import { NotFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClassActor } from "./class-actor";
import { newJoinCode } from "./join-code";
import { loadClassForInstructor } from "./load-class-for-instructor";

/** What an instructor can change on a class they teach, besides adding assignments. */
export type ClassChange =
  | { op: "remove-assignment"; assignmentId: string }
  | { op: "remove-member"; userId: string }
  /** A new join code: the old link stops working; members stay. */
  | { op: "renew-join-code" }
  | { op: "archive" }
  | { op: "unarchive" };

/** Applies one change to a class the actor teaches; an id that is not this class's is "not found". */
export async function manageClass(prisma: PrismaClient, actor: ClassActor, classId: string, change: ClassChange): Promise<void> {
  const c = await loadClassForInstructor(prisma, actor, classId);
  switch (change.op) {
    case "remove-assignment": {
      const r = await prisma.assignment.deleteMany({ where: { id: change.assignmentId, classId: c.id } });
      if (r.count === 0) throw new NotFoundError("This class has no such assignment.");
      return;
    }
    case "remove-member": {
      const r = await prisma.classMember.deleteMany({ where: { userId: change.userId, classId: c.id } });
      if (r.count === 0) throw new NotFoundError("This class has no such member.");
      return;
    }
    case "renew-join-code":
      await prisma.class.update({ where: { id: c.id }, data: { joinCode: newJoinCode() } });
      return;
    case "archive":
      await prisma.class.update({ where: { id: c.id }, data: { archivedAt: c.archivedAt ?? new Date() } });
      return;
    case "unarchive":
      await prisma.class.update({ where: { id: c.id }, data: { archivedAt: null } });
      return;
  }
}
