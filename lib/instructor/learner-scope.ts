import type { CurrentUser } from "@/lib/auth/current-user";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Who is looking at learners' results: an instructor or an admin (lib/auth/require-instructor.ts). */
export type Viewer = Pick<CurrentUser, "id" | "role">;

/**
 * Whose labs a viewer may see: an admin everyone's (null); an instructor the members of the
 * classes they teach, and their own labs (a preview is the instructor's own).
 */
export async function visibleLearnerIds(prisma: PrismaClient, viewer: Viewer): Promise<string[] | null> {
  if (viewer.role === "admin") return null;
  const members = await prisma.classMember.findMany({ where: { class: { ownerId: viewer.id } }, select: { userId: true }, distinct: ["userId"] });
  return [...new Set([viewer.id, ...members.map((m) => m.userId)])];
}

/** The same as a Prisma filter on a row's userId ({} for everyone). */
export async function learnerFilter(prisma: PrismaClient, viewer: Viewer): Promise<{ userId?: { in: string[] } }> {
  const ids = await visibleLearnerIds(prisma, viewer);
  return ids === null ? {} : { userId: { in: ids } };
}
