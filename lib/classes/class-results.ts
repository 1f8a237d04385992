import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AssignmentKind } from "./assignment-input";
import { assignmentAttempts } from "./assignment-attempts";
import { gradeAssignmentCell, type CellResult } from "./grade-assignment-cell";

export interface ClassResultsAssignment {
  id: string;
  kind: AssignmentKind;
  target: string;
  dueAt: Date | null;
  maxAttempts: number | null;
  scoring: string;
}

export interface ClassResults {
  assignments: ClassResultsAssignment[];
  /** One row per member, in join order; cells in the assignments' order. */
  rows: { userId: string; name: string; email: string | null; joinedAt: Date; cells: CellResult[] }[];
}

/** The results grid of a class: every member × every assignment (load the class with loadClassForInstructor first). */
export async function classResults(prisma: PrismaClient, classId: string): Promise<ClassResults> {
  const [members, assignments] = await Promise.all([
    prisma.classMember.findMany({ where: { classId }, orderBy: { joinedAt: "asc" }, include: { user: { select: { name: true, email: true } } } }),
    prisma.assignment.findMany({ where: { classId }, orderBy: { createdAt: "asc" } }),
  ]);
  const userIds = members.map((m) => m.userId);
  const attempts = await Promise.all(assignments.map((a) => assignmentAttempts(prisma, a.kind as AssignmentKind, a.target, userIds, a.createdAt)));
  return {
    assignments: assignments.map((a) => ({ id: a.id, kind: a.kind as AssignmentKind, target: a.target, dueAt: a.dueAt, maxAttempts: a.maxAttempts, scoring: a.scoring })),
    rows: members.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      email: m.user.email,
      joinedAt: m.joinedAt,
      cells: assignments.map((a, i) => gradeAssignmentCell(a, attempts[i]!.get(m.userId) ?? [])),
    })),
  };
}
