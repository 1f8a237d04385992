import { z } from "zod";
import type { Config } from "@/lib/config";
import { ForbiddenError, InputError } from "@/lib/errors";
import { allowedOrigins } from "./terminal-upgrade";

export const tokenRequestSchema = z.strictObject({
  labSessionId: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, "must be a lab session id"),
  node: z.string().min(1).max(253).regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "must be a node name"),
});

export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/**
 * Parses POST /api/terminal/token. A browser sends Origin on every POST; one from another site is
 * refused here too (the WebSocket checks it again), so a page elsewhere cannot even mint tokens.
 */
export async function parseTokenRequest(request: Request, config: Pick<Config, "origin" | "mode">): Promise<TokenRequest> {
  const origin = request.headers.get("origin");
  if (origin !== null && !allowedOrigins(config).has(origin)) {
    throw new ForbiddenError("Terminal tokens are only issued to the breakfix app itself.");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new InputError("The request body must be JSON: {\"labSessionId\": \"…\", \"node\": \"…\"}.");
  }
  const parsed = tokenRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
