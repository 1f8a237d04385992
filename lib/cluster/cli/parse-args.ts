import { z } from "zod";
import { InputError } from "@/lib/errors";

export const COMMANDS = ["up", "down", "list", "status", "exec", "shell"] as const;

const argsSchema = z.object({
  command: z.enum(COMMANDS),
  driver: z.enum(["auto", "kind", "sim", "ssh"]).optional(),
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lower-case letters, digits and dashes")
    .max(40)
    .optional(),
  workers: z.coerce.number().int().min(0).max(5).optional(),
  node: z.string().min(1).optional(),
  argv: z.array(z.string()),
});

export type ClusterArgs = z.infer<typeof argsSchema>;

/** `up|down|list|status|exec|shell [--driver X] [--name N] [--workers K] [--node NODE] [-- argv…]` */
export function parseClusterArgs(argv: string[]): ClusterArgs {
  const raw: Record<string, unknown> = { argv: [] };
  const rest = [...argv];
  const sep = rest.indexOf("--");
  if (sep >= 0) raw.argv = rest.splice(sep).slice(1);
  raw.command = rest.shift();
  while (rest.length) {
    const flag = rest.shift()!;
    const m = /^--(driver|name|workers|node)(?:=(.*))?$/.exec(flag);
    if (!m) throw new InputError(`Unknown argument "${flag}".`, { hint: "Usage: npm run cluster -- up|down|list|status|exec|shell [--driver auto|kind|sim|ssh] [--name N] [--workers K] [--node NODE] [-- argv…]" });
    const value = m[2] ?? rest.shift();
    if (value === undefined) throw new InputError(`--${m[1]} needs a value.`);
    raw[m[1]!] = value;
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = String(i.path[0] ?? "command");
    throw new InputError(`${field === "command" ? "command" : `--${field}`}: ${i.message}`, {
      hint: "Usage: npm run cluster -- up|down|list|status|exec|shell [--driver auto|kind|sim|ssh] [--name N]",
    });
  }
  return parsed.data;
}
