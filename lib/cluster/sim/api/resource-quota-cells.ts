import type { KubeObject } from "../store/types";
import { canonicalQuantity } from "./quantity";

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

/**
 * printResourceQuota's REQUEST and LIMIT cells: every status.hard name as "name: used/hard",
 * sorted, the `limits.*` names in LIMIT and all others in REQUEST ("pods: 1/2, requests.cpu: 500m/1").
 */
export function resourceQuotaCells(q: KubeObject): [request: string, limit: string] {
  const status = o(q.status);
  const hard = o(status.hard);
  const used = o(status.used);
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const u = used[name];
    const cell = `${name}: ${u === undefined ? "0" : canonicalQuantity(u as string)}/${canonicalQuantity(hard[name] as string)}`;
    const pieces = name.split(".");
    (pieces.length > 1 && pieces[0] === "limits" ? limit : request).push(cell);
  }
  return [request.join(", "), limit.join(", ")];
}
