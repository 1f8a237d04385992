import { randomBytes } from "node:crypto";
import type { V1Pod } from "@kubernetes/client-node";
import type { K8sApis, ProbeResult, Probes } from "./context";
import { sleep } from "./wait-for";

/** Probe pods live here, apart from the learner's namespaces, and are deleted after each probe. */
export const PROBE_NAMESPACE = "breakfix-probes";
export const DEFAULT_PROBE_IMAGE = "busybox:1.36";

interface ProbeDeps {
  k8s: K8sApis;
  signal: AbortSignal;
}

function errText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "number") return `the API server answered ${code}`;
  return err instanceof Error ? err.message.split("\n")[0]! : String(err);
}

async function ensureNamespace(k8s: K8sApis): Promise<void> {
  try {
    await k8s.core.readNamespace({ name: PROBE_NAMESPACE });
  } catch {
    try {
      await k8s.core.createNamespace({ body: { metadata: { name: PROBE_NAMESPACE, labels: { "breakfix.dev/probes": "true" } } } });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 409) throw err;
    }
  }
}

/** Why a pod is not running yet, in kubectl's words (ContainerCreating, ImagePullBackOff, Pending). */
export function podState(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
  if (waiting) return waiting;
  const unsched = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unsched) return `Pending (not scheduled${unsched.reason ? `: ${unsched.reason}` : ""})`;
  return pod.status?.phase ?? "Unknown";
}

async function runProbePod(
  deps: ProbeDeps,
  spec: { prefix: string; node?: string; image: string; command?: string[]; timeoutMs: number },
  done: (pod: V1Pod) => ProbeResult | undefined,
): Promise<ProbeResult> {
  const { k8s, signal } = deps;
  const name = `${spec.prefix}-${randomBytes(3).toString("hex")}`;
  try {
    await ensureNamespace(k8s);
    await k8s.core.createNamespacedPod({
      namespace: PROBE_NAMESPACE,
      body: {
        metadata: { name, labels: { "breakfix.dev/probe": spec.prefix } },
        spec: {
          ...(spec.node ? { nodeName: spec.node } : {}),
          restartPolicy: spec.command ? "Never" : "Always",
          terminationGracePeriodSeconds: 0,
          automountServiceAccountToken: false,
          containers: [
            {
              name: "probe",
              image: spec.image,
              imagePullPolicy: "IfNotPresent",
              ...(spec.command ? { command: spec.command } : {}),
            },
          ],
        },
      },
    });
  } catch (err) {
    return { ok: false, detail: `could not create a probe pod: ${errText(err)}` };
  }
  const deadline = Date.now() + spec.timeoutMs;
  let last = "not created";
  try {
    while (Date.now() < deadline && !signal.aborted) {
      try {
        const pod = await k8s.core.readNamespacedPod({ name, namespace: PROBE_NAMESPACE });
        const r = done(pod);
        if (r) return r;
        last = podState(pod);
      } catch (err) {
        last = `could not read the probe pod: ${errText(err)}`;
      }
      await sleep(1000, signal).catch(() => undefined);
    }
    return { ok: false, detail: `after ${Math.round(spec.timeoutMs / 1000)} s the probe pod is ${last}` };
  } finally {
    await k8s.core
      .deleteNamespacedPod({ name, namespace: PROBE_NAMESPACE, gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }
}

async function commandProbe(
  deps: ProbeDeps,
  prefix: string,
  image: string,
  command: string[],
  timeoutMs: number,
  what: string,
): Promise<ProbeResult> {
  return runProbePod(deps, { prefix, image, command, timeoutMs }, (pod) => {
    const phase = pod.status?.phase;
    if (phase === "Succeeded") return { ok: true, detail: `${what}: yes` };
    if (phase === "Failed") {
      const term = pod.status?.containerStatuses?.[0]?.state?.terminated;
      return { ok: false, detail: `${what}: no (exit code ${term?.exitCode ?? "?"})` };
    }
    return undefined;
  });
}

/**
 * Probes run short-lived pods with images the pack declares, so that they exercise the same
 * scheduler, kubelet, CNI and image pulls as the learner's workloads.
 *
 * @example
 * const r = await probes.podRuns({ node: ctx.workers[0]!, image: "nginx:1.27" });
 * if (!r.ok) return { ok: false, message: "New pods do not start on every node.", detail: ... };
 */
export function createProbes(deps: ProbeDeps): Probes {
  return {
    podRuns({ node, image, timeoutMs = 60_000 }) {
      return runProbePod(deps, { prefix: "probe-run", node, image, timeoutMs }, (pod) => {
        const ready = pod.status?.containerStatuses?.[0]?.ready === true;
        if (pod.status?.phase === "Running" && pod.status.podIP && ready)
          return { ok: true, detail: `a new pod runs on ${node} with IP ${pod.status.podIP}` };
        return undefined;
      });
    },
    dns(name, { image = DEFAULT_PROBE_IMAGE, timeoutMs = 60_000 } = {}) {
      return commandProbe(deps, "probe-dns", image, ["nslookup", name], timeoutMs, `${name} resolves`);
    },
    http(svc, port, { image = DEFAULT_PROBE_IMAGE, timeoutMs = 60_000 } = {}) {
      const url = `http://${svc}:${port}/`;
      return commandProbe(deps, "probe-http", image, ["wget", "-q", "-O", "/dev/null", "-T", "5", url], timeoutMs, `${url} answers`);
    },
  };
}
