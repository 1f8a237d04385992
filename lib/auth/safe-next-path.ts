/**
 * Where to send the browser after sign-in: a path on this server only. `//evil.example`,
 * `/\evil.example` and absolute URLs would leave the site (an open redirect), so they become "/".
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 300 || !next.startsWith("/") || next.startsWith("//") || next.includes("\\") || /[\u0000-\u001f]/.test(next)) return "/";
  return next;
}
