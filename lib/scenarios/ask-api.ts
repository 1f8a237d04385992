import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { K8sApis } from "./context";
import { ANSWER_DEADLINE_MS, withDeadline } from "./wait-for";

/** A read slower than this makes the check ask /readyz whether the API server can answer at all. */
export const SLOW_READ_MS = 300;

/**
 * What /readyz says, or undefined when it says "ok" or cannot be asked: its HTTP status when the
 * API server reports itself not ready (a 5xx). /readyz is served without etcd, so it answers at once
 * even while every read that needs etcd hangs.
 */
export async function readyzStatus(kc: KubeConfig, timeoutMs = ANSWER_DEADLINE_MS): Promise<number | undefined> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) return undefined;
  const opts: https.RequestOptions = { timeout: timeoutMs };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve) => {
    const req = https.get(new URL("/readyz", server), opts, (res) => {
      res.resume();
      // Only a 5xx means "not ready"; 401/403 say nothing about the API server's health.
      const status = res.statusCode ?? 0;
      resolve(status >= 500 ? status : undefined);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

/** A read given up because /readyz said the API server cannot answer; its message is learner-safe. */
export class ApiNotReadyError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
  ) {
    super(`the API server is not ready (/readyz answered ${status})`);
    this.name = "ApiNotReadyError";
  }
}

/**
 * One read of the cluster for a check, answered within seconds whatever state the cluster is in:
 * the read's own result; or, when it is slow and /readyz reports the API server not ready (etcd
 * unreachable: reads hang until the apiserver gives up), an ApiNotReadyError at once; or, at the
 * deadline, a "timed out" rejection, which checks report as "did not answer in time".
 *
 * @example
 * const pod = await askApi(ctx.k8s, ctx.k8s.core.readNamespacedPod({ name, namespace }), `reading pod ${name}`);
 */
export function askApi<T>(k8s: Pick<K8sApis, "kubeConfig">, work: Promise<T>, what: string): Promise<T> {
  let slow: ReturnType<typeof setTimeout> | undefined;
  const notReady = new Promise<never>((_resolve, reject) => {
    slow = setTimeout(() => {
      if (!k8s.kubeConfig) return;
      void readyzStatus(k8s.kubeConfig).then((status) => {
        if (status !== undefined) reject(new ApiNotReadyError(what, status));
      });
    }, SLOW_READ_MS);
  });
  // Whoever loses the race must not surface as an unhandled rejection.
  notReady.catch(() => undefined);
  return withDeadline(Promise.race([work, notReady]), ANSWER_DEADLINE_MS, what).finally(() => clearTimeout(slow));
}
