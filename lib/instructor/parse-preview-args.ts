import { z } from "zod";
import { InputError } from "@/lib/errors";

export const PREVIEW_USAGE = "Usage: npm run scenario:preview -- <slug> [--variant V] [--no-open]";

const schema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a pack's slug (lower-case words joined by dashes)"),
  variant: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a variant's id").optional(),
  /** Print the URL only, without opening a browser (no display, CI, a remote shell). */
  noOpen: z.boolean(),
});

export type PreviewArgs = z.infer<typeof schema>;

/** `<slug> [--variant V] [--no-open]` */
export function parsePreviewArgs(argv: readonly string[]): PreviewArgs {
  const raw: Record<string, unknown> = { noOpen: false };
  const rest = [...argv];
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === "--no-open") {
      raw.noOpen = true;
      continue;
    }
    const m = /^--variant(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = m[1] ?? rest.shift();
      if (value === undefined) throw new InputError("--variant needs a value.", { hint: PREVIEW_USAGE });
      raw.variant = value;
      continue;
    }
    if (arg.startsWith("-") || raw.slug !== undefined) throw new InputError(`Unknown argument "${arg}".`, { hint: PREVIEW_USAGE });
    raw.slug = arg;
  }
  if (raw.slug === undefined) throw new InputError("Name the pack to preview.", { hint: PREVIEW_USAGE });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${i.path[0] === "variant" ? "--variant" : "pack"}: ${i.message}`, { hint: PREVIEW_USAGE });
  }
  return parsed.data;
}
