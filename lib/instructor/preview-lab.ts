import { z } from "zod";
import { TimeoutError, UnavailableError } from "@/lib/errors";
import type { PreviewArgs } from "./parse-preview-args";

export interface PreviewDeps {
  /** Where the server is (or will be) reached: the config's origin. */
  origin: string;
  fetch: typeof fetch;
  /** Starts a server on that origin (npm start); called only when none answers there. */
  startServer(): { stop(): Promise<void>; exited: Promise<number | null> };
  say(line: string): void;
  /** How long a started server may take to answer (its first start builds the app). */
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface PreviewResult {
  labId: string;
  resumed: boolean;
  url: string;
  /** The server this preview started, to stop when the preview ends; null when one was running. */
  server: { stop(): Promise<void>; exited: Promise<number | null> } | null;
}

const startedSchema = z.object({ id: z.string().min(1), resumed: z.boolean() });
const errorSchema = z.object({ error: z.object({ message: z.string(), hint: z.string().optional() }) });

async function healthy(deps: PreviewDeps): Promise<boolean> {
  try {
    const r = await deps.fetch(new URL("/api/health", deps.origin), { signal: AbortSignal.timeout(2_000) });
    return r.ok;
  } catch {
    return false;
  }
}

async function waitUntilHealthy(deps: PreviewDeps, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (deps.signal?.aborted) throw new UnavailableError("Interrupted while waiting for the server to start.");
    if (code !== undefined) throw new UnavailableError(`The server exited (code ${code}) before it answered at ${deps.origin}.`, { hint: "Its output is above." });
    if (await healthy(deps)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new TimeoutError(`The server did not answer at ${deps.origin}/api/health within ${Math.round(timeoutMs / 1000)} s.`);
}

/**
 * `npm run scenario:preview`: a lab of the pack (and variant) through the server's own lab API,
 * on the running server or one started for it, and the URL of its page with the instructor
 * panel. In local mode the lab belongs to the local user, who is the instructor.
 *
 * @example
 * const r = await previewLab({ slug: "etcd-crashloop", variant: "bad-flag", noOpen: true }, deps);
 * console.log(r.url); // http://127.0.0.1:3000/labs/<id>?instructor=1
 */
export async function previewLab(args: PreviewArgs, deps: PreviewDeps): Promise<PreviewResult> {
  let server: PreviewResult["server"] = null;
  if (await healthy(deps)) deps.say(`using the breakfix server at ${deps.origin}`);
  else {
    deps.say(`no breakfix server at ${deps.origin}: starting one (npm start)…`);
    server = deps.startServer();
    try {
      await waitUntilHealthy(deps, server.exited, deps.startTimeoutMs ?? 15 * 60_000);
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  try {
    const res = await deps.fetch(new URL("/api/labs", deps.origin), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scenario: args.slug, ...(args.variant ? { variant: args.variant } : {}) }),
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = errorSchema.safeParse(body);
      throw new UnavailableError(e.success ? e.data.error.message : `The server answered ${res.status} to POST /api/labs.`, {
        hint: e.success ? e.data.error.hint : undefined,
      });
    }
    const started = startedSchema.parse(body);
    const url = new URL(`/labs/${started.id}?instructor=1`, deps.origin).href;
    return { labId: started.id, resumed: started.resumed, url, server };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}
