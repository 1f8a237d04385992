/**
 * Turns a failed API call (client-node or kubectl stderr) into a short, learner-safe phrase: it
 * says how the API server failed to answer (refused, timed out, rejected the credentials), which
 * a learner sees from kubectl anyway, and never what the fault is.
 */
export function describeApiError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "number") {
    if (code === 401) return "the API server rejected the credentials (401)";
    if (code === 403) return "the API server refused the request (403)";
    if (code === 404) return "not found (404)";
    if (code >= 500) return `the API server answered with an error (${code})`;
    return `the API server answered ${code}`;
  }
  const text = [
    err instanceof Error ? err.message : String(err),
    String((err as { cause?: { code?: unknown; message?: unknown } }).cause?.code ?? ""),
    String((err as { cause?: { message?: unknown } }).cause?.message ?? ""),
    typeof code === "string" ? code : "",
  ].join(" ");
  return describeKubectlError(text);
}

/** The same, from kubectl's stderr. */
export function describeKubectlError(stderr: string): string {
  const s = stderr.toLowerCase();
  if (/econnrefused|connection refused|was refused/.test(s)) return "the API server refused the connection";
  if (/x509|certificate|tls/.test(s)) return "the TLS connection to the API server failed";
  if (/unauthorized|401|must be logged in/.test(s)) return "the API server rejected the credentials";
  if (/forbidden|403/.test(s)) return "the API server refused the request";
  if (/timeout|timed out|deadline|etimedout|unable to return a response/.test(s)) return "the API server did not answer in time";
  if (/econnreset|connection reset|eof|socket hang up/.test(s)) return "the API server dropped the connection";
  if (/not ?found|notfound/.test(s)) return "not found";
  const first = stderr.trim().split("\n")[0] ?? "";
  return first.length > 160 ? `${first.slice(0, 157)}...` : first || "no answer";
}

/** True when the error means "the object does not exist", as opposed to "no answer". */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown }).code === 404;
}

/** True when the API server refused the caller (403): the object may exist, the credentials may not see it. */
export function isForbidden(err: unknown): boolean {
  return (err as { code?: unknown }).code === 403;
}
