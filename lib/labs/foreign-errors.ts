import { BreakfixError, type ErrorCode } from "@/lib/errors";

const CODES = new Set<string>(["INPUT", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "LIMIT", "UNAVAILABLE", "TIMEOUT", "NOT_IMPLEMENTED"]);

/**
 * server.ts (tsx) and Next's route handlers are two module graphs with two copies of lib/errors,
 * and shared singletons (drivers, clusters) throw the copy of whichever graph built them. So a
 * BreakfixError from the other graph fails `instanceof` here; recognise it by its shape instead.
 */
export function asBreakfixError(err: unknown): BreakfixError | undefined {
  if (err instanceof BreakfixError) return err;
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string" || !CODES.has(code)) return undefined;
  const hint = (err as { hint?: unknown }).hint;
  const copy = new BreakfixError(code as ErrorCode, err.message, { hint: typeof hint === "string" ? hint : undefined, cause: err });
  copy.name = err.name;
  return copy;
}
