import { z } from "zod";
import { InputError } from "@/lib/errors";

export const USAGE =
  "Usage: npm run scenario:test -- <slug|all> [--driver sim|kind|ssh] [--variant V] [--cluster NAME] [--keep]";

const schema = z.object({
  target: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a pack's slug or all"),
  driver: z.enum(["auto", "kind", "sim", "ssh"]).optional(),
  variant: z.string().min(1).optional(),
  cluster: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be lower-case letters, digits, dots and dashes")
    .optional(),
  keep: z.boolean(),
});

export type ScenarioTestArgs = z.infer<typeof schema>;

/** `<slug|all> [--driver D] [--variant V] [--cluster NAME] [--keep]` */
export function parseScenarioTestArgs(argv: string[]): ScenarioTestArgs {
  const raw: Record<string, unknown> = { keep: false };
  const rest = [...argv];
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === "--keep") {
      raw.keep = true;
      continue;
    }
    const m = /^--(driver|variant|cluster)(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = m[2] ?? rest.shift();
      if (value === undefined) throw new InputError(`--${m[1]} needs a value.`, { hint: USAGE });
      raw[m[1]!] = value;
      continue;
    }
    if (arg.startsWith("-") || raw.target !== undefined) throw new InputError(`Unknown argument "${arg}".`, { hint: USAGE });
    raw.target = arg;
  }
  if (raw.target === undefined) throw new InputError("Name a pack (or all).", { hint: USAGE });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = String(i.path[0] ?? "target");
    throw new InputError(`${field === "target" ? "pack" : `--${field}`}: ${i.message}`, { hint: USAGE });
  }
  if (parsed.data.variant && parsed.data.target === "all")
    throw new InputError("--variant needs one pack, not all.", { hint: USAGE });
  return parsed.data;
}
