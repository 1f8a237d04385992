import { InputError } from "@/lib/errors";
import type { Assignment, PrismaClient } from "@/lib/generated/prisma/client";
import { assignmentInputSchema } from "./assignment-input";
import type { ClassActor } from "./class-actor";
import { loadClassForInstructor } from "./load-class-for-instructor";

/** What is installed, so an assignment names a pack or blueprint that exists. */
export interface InstalledTargets {
  hasPack(slug: string): boolean;
  hasExam(slug: string): boolean;
}

/** Assigns a pack or an exam blueprint to a class the actor teaches. */
export async function addAssignment(
  prisma: PrismaClient,
  actor: ClassActor,
  classId: string,
  raw: unknown,
  installed: InstalledTargets,
  now = new Date(),
): Promise<Assignment> {
  const c = await loadClassForInstructor(prisma, actor, classId);
  const parsed = assignmentInputSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${i.path.map(String).join(".") || "assignment"}: ${i.message}`);
  }
  const input = parsed.data;
  const exists = input.kind === "pack" ? installed.hasPack(input.target) : installed.hasExam(input.target);
  if (!exists) throw new InputError(`target: there is no ${input.kind === "pack" ? "scenario pack" : "exam blueprint"} "${input.target}".`);
  const dueAt = input.dueAt ? new Date(input.dueAt) : null;
  if (dueAt && dueAt.getTime() <= now.getTime()) throw new InputError("dueAt: the due date is already past.");
  return prisma.assignment.create({
    data: { classId: c.id, kind: input.kind, target: input.target, dueAt, maxAttempts: input.maxAttempts ?? null, scoring: input.scoring },
  });
}
