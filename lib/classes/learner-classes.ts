import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AssignmentKind } from "./assignment-input";
import { assignmentAttempts } from "./assignment-attempts";
import { gradeAssignmentCell, type CellResult } from "./grade-assignment-cell";

export interface LearnerClass {
  id: string;
  name: string;
  joinedAt: Date;
  assignments: { id: string; kind: AssignmentKind; target: string; dueAt: Date | null; maxAttempts: number | null; scoring: string; result: CellResult }[];
}

/** The classes a learner belongs to, each assignment with the learner's own result. */
export async function learnerClasses(prisma: PrismaClient, userId: string): Promise<LearnerClass[]> {
  const memberships = await prisma.classMember.findMany({
    where: { userId, class: { archivedAt: null } },
    orderBy: { joinedAt: "asc" },
    include: { class: { include: { assignments: { orderBy: { createdAt: "asc" } } } } },
  });
  return Promise.all(
    memberships.map(async (m) => ({
      id: m.class.id,
      name: m.class.name,
      joinedAt: m.joinedAt,
      assignments: await Promise.all(
        // The next due first; those without a due date after them.
        [...m.class.assignments].sort((x, y) => (x.dueAt?.getTime() ?? Infinity) - (y.dueAt?.getTime() ?? Infinity)).map(async (a) => {
          const attempts = (await assignmentAttempts(prisma, a.kind as AssignmentKind, a.target, [userId], a.createdAt)).get(userId) ?? [];
          return { id: a.id, kind: a.kind as AssignmentKind, target: a.target, dueAt: a.dueAt, maxAttempts: a.maxAttempts, scoring: a.scoring, result: gradeAssignmentCell(a, attempts) };
        }),
      ),
    })),
  );
}
