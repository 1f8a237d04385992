import { z } from "zod";
import { InputError } from "@/lib/errors";

export const USAGE =
  "Usage: npm run scenario:test -- <slug|all> [--driver sim|kind|ssh] [--variant V] [--cluster NAME] [--keep] [--parallel N] [--time-scale S] [--repeat N] [--report FILE.json] [--record] [--watch]";

const schema = z.object({
  target: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a pack's slug or all"),
  driver: z.enum(["auto", "kind", "sim", "ssh"]).optional(),
  variant: z.string().min(1).optional(),
  cluster: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be lower-case letters, digits, dots and dashes")
    .optional(),
  keep: z.boolean(),
  /** Stores each variant's result in the database (SelfTestRecord), for the instructor page. */
  record: z.boolean().optional(),
  /** Re-runs the pack's self-test whenever a file of scenarios/<slug>/ changes. */
  watch: z.boolean().optional(),
  /** Variants proved at once, each on its own cluster. */
  parallel: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(16, "must be at most 16").optional(),
  /** Simulated seconds per real second on sim clusters (kind and ssh run in real time). */
  timeScale: z.coerce.number().min(1, "must be at least 1").max(20, "must be at most 20").optional(),
  /** Proves every variant this many times (each on its own cluster): load and flakiness runs. */
  repeat: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20").optional(),
  /** Writes the results, with each step's time, as JSON. */
  report: z.string().min(1).optional(),
});

export type ScenarioTestArgs = z.infer<typeof schema>;

const VALUE_FLAGS: Record<string, keyof ScenarioTestArgs> = {
  driver: "driver",
  variant: "variant",
  cluster: "cluster",
  parallel: "parallel",
  "time-scale": "timeScale",
  repeat: "repeat",
  report: "report",
};

/** `<slug|all> [--driver D] [--variant V] [--cluster NAME] [--keep] [--parallel N] [--time-scale S] [--report F]` */
export function parseScenarioTestArgs(argv: string[]): ScenarioTestArgs {
  const raw: Record<string, unknown> = { keep: false };
  const rest = [...argv];
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === "--keep") {
      raw.keep = true;
      continue;
    }
    if (arg === "--record") {
      raw.record = true;
      continue;
    }
    if (arg === "--watch") {
      raw.watch = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m ? VALUE_FLAGS[m[1]!] : undefined;
    if (m && key) {
      const value = m[2] ?? rest.shift();
      if (value === undefined) throw new InputError(`--${m[1]} needs a value.`, { hint: USAGE });
      raw[key] = value;
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
    const flag = Object.entries(VALUE_FLAGS).find(([, k]) => k === field)?.[0] ?? field;
    throw new InputError(`${field === "target" ? "pack" : `--${flag}`}: ${i.message}`, { hint: USAGE });
  }
  if (parsed.data.variant && parsed.data.target === "all")
    throw new InputError("--variant needs one pack, not all.", { hint: USAGE });
  if (parsed.data.watch && parsed.data.target === "all") throw new InputError("--watch needs one pack, not all.", { hint: USAGE });
  if (parsed.data.watch && (parsed.data.cluster || parsed.data.repeat || parsed.data.report || parsed.data.keep || parsed.data.record))
    throw new InputError("--watch keeps its own sim cluster between runs; it does not take --cluster, --keep, --repeat, --report or --record.", { hint: USAGE });
  if (parsed.data.watch && parsed.data.driver && parsed.data.driver !== "sim")
    throw new InputError("--watch runs on sim (a fresh cluster takes seconds there); prove the pack on kind or ssh without --watch.", { hint: USAGE });
  if (parsed.data.cluster && (parsed.data.parallel ?? 1) > 1)
    throw new InputError("--parallel needs fresh clusters; with --cluster the variants run one after another on that cluster.", { hint: USAGE });
  return parsed.data;
}
