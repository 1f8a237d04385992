import { z } from "zod";
import { InputError } from "@/lib/errors";
import { roleSchema } from "../roles";
import { emailSchema } from "../sign-in-with-password";

export const USER_USAGE =
  "Usage: npm run user -- create <email> --name N [--role learner|instructor|admin] [--password-stdin] | role <email> <role> | reset-password <email> [--password-stdin] | disable <email>";

const argsSchema = z.discriminatedUnion("command", [
  z.strictObject({
    command: z.literal("create"),
    email: emailSchema,
    name: z.string().trim().min(1, "is required").max(100),
    role: roleSchema.default("learner"),
    passwordStdin: z.boolean(),
  }),
  z.strictObject({ command: z.literal("role"), email: emailSchema, role: roleSchema }),
  z.strictObject({ command: z.literal("reset-password"), email: emailSchema, passwordStdin: z.boolean() }),
  z.strictObject({ command: z.literal("disable"), email: emailSchema }),
]);

export type UserArgs = z.infer<typeof argsSchema>;

const FLAGS: Record<string, { key: string; value: boolean }> = {
  "--name": { key: "name", value: true },
  "--role": { key: "role", value: true },
  "--password-stdin": { key: "passwordStdin", value: false },
};

/** Parses `npm run user -- …`; every mistake is an InputError naming the argument, with the usage. */
export function parseUserArgs(argv: string[]): UserArgs {
  const rest = [...argv];
  const command = rest.shift();
  const raw: Record<string, unknown> = { command };
  const positional: string[] = [];
  while (rest.length) {
    const arg = rest.shift()!;
    const m = /^(--[a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    const flag = FLAGS[m[1]!];
    if (!flag) throw new InputError(`Unknown option "${m[1]}".`, { hint: USER_USAGE });
    if (!flag.value) {
      raw[flag.key] = true;
      continue;
    }
    const value = m[2] ?? rest.shift();
    if (value === undefined) throw new InputError(`${m[1]} needs a value.`, { hint: USER_USAGE });
    raw[flag.key] = value;
  }
  const [email, second, ...extra] = positional;
  if (email !== undefined) raw.email = email;
  if (command === "role") {
    if (second !== undefined) raw.role = second;
  } else if (second !== undefined) {
    extra.unshift(second);
  }
  if (extra.length) throw new InputError(`Unexpected argument "${extra[0]}".`, { hint: USER_USAGE });
  if (command === "create" || command === "reset-password") raw.passwordStdin ??= false;
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (i.code === "unrecognized_keys") {
      throw new InputError(`${i.keys.map(flag).join(", ")} is not an option of ${String(command)}.`, { hint: USER_USAGE });
    }
    const field = String(i.path[0] ?? "command");
    const name = field === "command" ? "command" : field === "email" ? "<email>" : field === "role" && command === "role" ? "<role>" : flag(field);
    const message = field === "command" ? `must be create, role, reset-password or disable${command ? ` (got "${command}")` : ""}` : i.message;
    throw new InputError(`${name}: ${message}`, { hint: USER_USAGE });
  }
  return parsed.data;
}
