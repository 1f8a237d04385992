import type { HttpErrorBody } from "@/lib/errors";

/** A failed lab request, with the server's message and hint (lib/errors toHttp body). */
export class LabApiError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function isErrorBody(v: unknown): v is HttpErrorBody {
  return typeof v === "object" && v !== null && "error" in v && typeof (v as HttpErrorBody).error?.message === "string";
}

/** POST/GET a lab route and return its JSON; errors carry the server's learner-safe message. */
export async function labApi<T>(path: string, init: { method?: "GET" | "POST"; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "POST",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    throw new LabApiError("The breakfix server cannot be reached.", "Check that it is still running, then try again.");
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isErrorBody(data)) throw new LabApiError(data.error.message, data.error.hint, res.status);
    throw new LabApiError(`The server answered ${res.status}.`, undefined, res.status);
  }
  return data as T;
}
