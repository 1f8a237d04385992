import type { ServerResponse } from "node:http";
import { sendText } from "./responses";

const HEALTH_CHECKS = [
  "ping",
  "log",
  "etcd",
  "etcd-readiness",
  "informer-sync",
  "poststarthook/start-apiserver-admission-initializer",
  "poststarthook/generic-apiserver-start-informers",
  "poststarthook/priority-and-fairness-config-consumer",
  "poststarthook/priority-and-fairness-filter",
  "poststarthook/storage-object-count-tracker-hook",
  "poststarthook/start-apiextensions-informers",
  "poststarthook/start-apiextensions-controllers",
  "poststarthook/crd-informer-synced",
  "poststarthook/start-system-namespaces-controller",
  "poststarthook/start-cluster-authentication-info-controller",
  "poststarthook/start-kube-apiserver-identity-lease-controller",
  "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
  "poststarthook/start-legacy-token-tracking-controller",
  "poststarthook/start-service-ip-repair-controllers",
  "poststarthook/rbac/bootstrap-roles",
  "poststarthook/scheduling/bootstrap-system-priority-classes",
  "poststarthook/priority-and-fairness-config-producer",
  "poststarthook/bootstrap-controller",
  "poststarthook/aggregator-reload-proxy-client-cert",
  "poststarthook/start-kube-aggregator-informers",
  "poststarthook/apiservice-status-local-available-controller",
  "poststarthook/apiservice-status-remote-available-controller",
  "poststarthook/apiservice-registration-controller",
  "poststarthook/apiservice-discovery-controller",
  "poststarthook/kube-apiserver-autoregistration",
  "autoregister-completion",
  "poststarthook/apiservice-openapi-controller",
  "poststarthook/apiservice-openapiv3-controller",
];
const LIVEZ_EXCLUDE = new Set(["informer-sync", "etcd-readiness"]);

export function isHealthPath(p: string): boolean {
  return p === "/healthz" || p === "/livez" || p === "/readyz" || /^\/(healthz|livez|readyz)\//.test(p);
}

/**
 * /healthz, /livez and /readyz (and one check under each), with the real apiserver's check names;
 * only the etcd checks can fail, when the backend is failing.
 */
export function serveHealth(res: ServerResponse, p: string, url: URL, backendFailing: boolean): void {
  const [, kind, single] = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(p) ?? [];
  const checks = HEALTH_CHECKS.filter((c) => kind !== "livez" || !LIVEZ_EXCLUDE.has(c));
  const bad = (c: string) => backendFailing && (c === "etcd" || c === "etcd-readiness");
  if (single) {
    if (!checks.includes(single)) return sendText(res, 404, "404 page not found\n");
    return bad(single) ? sendText(res, 500, "internal server error: etcd client connection not yet established\n") : sendText(res, 200, "ok");
  }
  const anyBad = checks.some(bad);
  const verbose = url.searchParams.has("verbose") || anyBad;
  if (!verbose) return sendText(res, 200, "ok");
  const lines = checks.map((c) => (bad(c) ? `[-]${c} failed: reason withheld` : `[+]${c} ok`));
  lines.push(anyBad ? `${kind} check failed` : `${kind} check passed`);
  return sendText(res, anyBad ? 500 : 200, lines.join("\n") + "\n");
}
