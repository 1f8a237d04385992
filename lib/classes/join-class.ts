import { NotFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { JOIN_CODE_PATTERN } from "./join-code";

/**
 * Adds the user to the class whose join code this is; joining twice is not an error. An unknown,
 * rotated or archived class's code is "no such class" alike.
 */
export async function joinClass(prisma: PrismaClient, userId: string, code: string): Promise<{ classId: string; name: string; joined: boolean }> {
  const c = JOIN_CODE_PATTERN.test(code) ? await prisma.class.findUnique({ where: { joinCode: code } }) : null;
  if (!c || c.archivedAt) {
    throw new NotFoundError("This join link does not open a class.", { hint: "Ask your instructor for the current link; an old one stops working when they renew it." });
  }
  const existing = await prisma.classMember.findUnique({ where: { classId_userId: { classId: c.id, userId } } });
  if (!existing) await prisma.classMember.create({ data: { classId: c.id, userId } });
  return { classId: c.id, name: c.name, joined: !existing };
}
