import { ConflictError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AssignmentKind } from "./assignment-input";
import { assignmentAttempts } from "./assignment-attempts";
import { gradeAssignmentCell } from "./grade-assignment-cell";

/**
 * Refuses a new attempt at a pack or blueprint that one of the learner's classes assigned with an
 * attempt cap the learner has used up, while that assignment is open. After its due date a
 * learner may practise again (late attempts never count), and resuming a live lab is not a new
 * attempt (the caller resumes before asking).
 */
export async function assertAttemptAllowed(prisma: PrismaClient, userId: string, kind: AssignmentKind, target: string, now = new Date()): Promise<void> {
  const capped = await prisma.assignment.findMany({
    where: {
      kind,
      target,
      maxAttempts: { not: null },
      OR: [{ dueAt: null }, { dueAt: { gt: now } }],
      class: { archivedAt: null, members: { some: { userId } } },
    },
    include: { class: { select: { name: true } } },
  });
  for (const a of capped) {
    const attempts = (await assignmentAttempts(prisma, kind, target, [userId], a.createdAt)).get(userId) ?? [];
    const cell = gradeAssignmentCell(a, attempts);
    if (cell.exhausted) {
      throw new ConflictError(`You have used all ${a.maxAttempts} attempts that "${a.class.name}" allows for ${kind === "pack" ? "this scenario" : "this exam"}.`, {
        hint: a.dueAt ? `Your result stands; you can practise it again after ${a.dueAt.toISOString()}, or ask your instructor.` : "Your result stands; ask your instructor if you need another attempt.",
      });
    }
  }
}
