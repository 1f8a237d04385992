import { z } from "zod";
import type { CheckOutcome } from "./lab-deps";

const rowSchema = z.object({
  id: z.string(),
  title: z.string(),
  points: z.number(),
  ok: z.boolean(),
  message: z.string(),
  detail: z.object({ actual: z.string(), expected: z.string() }).optional(),
  durationMs: z.number().default(0),
});

/** CheckRun.results (a JSON string) → rows; a corrupt record reads as no rows, never a crash. */
export function parseCheckResults(json: string): CheckOutcome[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  const parsed = z.array(rowSchema).safeParse(raw);
  return parsed.success ? parsed.data : [];
}
