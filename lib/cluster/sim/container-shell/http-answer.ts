import type { RunPlan } from "./run-plan";

/**
 * How a plan's HTTP server answers GET `path`: from its web root when it has one (a mounted
 * index.html is served; `/` is index.html), else from the catalogue's path list.
 */
export function httpAnswer(plan: RunPlan, path: string): { status: number; body: string } | undefined {
  if (!plan.http) return undefined;
  // distribution with auth answers every API path with its challenge until credentials come.
  if (plan.registry?.auth) return { status: 401, body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}\n' };
  const p = path.split("?")[0] || "/";
  if (plan.docRoot) {
    const file = `${plan.docRoot}${p.endsWith("/") ? `${p}index.html` : p}`;
    const body = plan.files[file];
    return body === undefined ? { status: 404, body: "" } : { status: 200, body };
  }
  const ok = plan.http === "any" || plan.http.includes(p);
  return ok ? { status: 200, body: plan.httpBody ?? "" } : { status: 404, body: "" };
}
