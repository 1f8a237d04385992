import { randomBytes } from "node:crypto";
import { InputError, NotFoundError, ConflictError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { revokeUserSessions } from "../auth-sessions";
import { hashPassword, passwordSchema } from "../password";
import { parseUserArgs } from "./parse-user-args";

export interface UserCliDeps {
  prisma: PrismaClient;
  /** All of standard input (only read with --password-stdin). */
  readStdin: () => Promise<string>;
  out: (line: string) => void;
  /** bcrypt cost; tests lower it. */
  bcryptCost?: number;
}

/** A password nobody chose: 120 random bits, printed once for the admin to hand over. */
const generatePassword = (): string => randomBytes(15).toString("base64url");

async function passwordFrom(deps: UserCliDeps, fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  // One line: `echo pw | npm run user …` and a here-string both end in a newline that is not part of it.
  const password = (await deps.readStdin()).replace(/\r?\n$/, "");
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw new InputError(`The password on standard input ${parsed.error.issues[0]!.message}.`);
  return { password, generated: false };
}

async function findUser(prisma: PrismaClient, email: string): Promise<{ id: string; name: string }> {
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, name: true } });
  if (!user) throw new NotFoundError(`There is no user with the email ${email}.`, { hint: "npm run user -- create <email> --name N creates one." });
  return user;
}

/**
 * `npm run user -- create|role|reset-password|disable …`: accounts for shared mode from the
 * command line, which is how the first admin comes to exist. Resetting a password or disabling a
 * user revokes every session they have.
 */
export async function runUserCli(argv: string[], deps: UserCliDeps): Promise<void> {
  const args = parseUserArgs(argv);
  const { prisma, out } = deps;
  switch (args.command) {
    case "create": {
      if (await prisma.user.findUnique({ where: { email: args.email }, select: { id: true } })) {
        throw new ConflictError(`A user with the email ${args.email} exists already.`, { hint: "npm run user -- reset-password or role changes it." });
      }
      const { password, generated } = await passwordFrom(deps, args.passwordStdin);
      const passwordHash = await hashPassword(password, deps.bcryptCost);
      const user = await prisma.user.create({ data: { email: args.email, name: args.name, role: args.role, passwordHash }, select: { id: true } });
      out(`created ${args.role} ${args.email} (${user.id})`);
      if (generated) out(`password: ${password}`);
      return;
    }
    case "role": {
      const user = await findUser(prisma, args.email);
      await prisma.user.update({ where: { id: user.id }, data: { role: args.role } });
      out(`${args.email} is now ${args.role}`);
      return;
    }
    case "reset-password": {
      const user = await findUser(prisma, args.email);
      const { password, generated } = await passwordFrom(deps, args.passwordStdin);
      const passwordHash = await hashPassword(password, deps.bcryptCost);
      await prisma.user.update({ where: { id: user.id }, data: { passwordHash } });
      const revoked = await revokeUserSessions(prisma, user.id);
      out(`password of ${args.email} reset; ${revoked} session${revoked === 1 ? "" : "s"} revoked`);
      if (generated) out(`password: ${password}`);
      return;
    }
    case "disable": {
      const user = await findUser(prisma, args.email);
      await prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      const revoked = await revokeUserSessions(prisma, user.id);
      out(`${args.email} is disabled; ${revoked} session${revoked === 1 ? "" : "s"} revoked`);
      return;
    }
  }
}
