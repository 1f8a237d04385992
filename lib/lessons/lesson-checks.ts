import { z } from "zod";
import { describeKubectlError } from "@/lib/scenarios/describe-api-error";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";

/** A check function, the shape of a pack check's run() and a lesson step's check(). */
export type LessonCheckFn = (ctx: ScenarioContext) => Promise<CheckResult>;

const stateSchema = z
  .object({
    waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).loose().optional(),
    running: z.object({ startedAt: z.string().optional() }).loose().optional(),
    terminated: z.object({ reason: z.string().optional(), exitCode: z.number() }).loose().optional(),
  })
  .loose();

const containerStatusSchema = z
  .object({ name: z.string(), ready: z.boolean().default(false), restartCount: z.number().default(0), state: stateSchema.optional() })
  .loose();

/** The fields of a Pod the lessons read, parsed from `kubectl get pod -o json` (kubectl output is a boundary). */
export const lessonPodSchema = z
  .object({
    metadata: z
      .object({ name: z.string(), deletionTimestamp: z.string().optional(), deletionGracePeriodSeconds: z.number().optional() })
      .loose(),
    spec: z
      .object({
        nodeName: z.string().optional(),
        restartPolicy: z.string().optional(),
        terminationGracePeriodSeconds: z.number().optional(),
        containers: z
          .array(
            z
              .object({
                name: z.string(),
                image: z.string(),
                imagePullPolicy: z.string().optional(),
                lifecycle: z.object({ preStop: z.unknown().optional() }).loose().optional(),
              })
              .loose(),
          )
          .default([]),
      })
      .loose(),
    status: z
      .object({
        phase: z.string().optional(),
        podIP: z.string().optional(),
        conditions: z.array(z.object({ type: z.string(), status: z.string() }).loose()).default([]),
        containerStatuses: z.array(containerStatusSchema).default([]),
        initContainerStatuses: z.array(containerStatusSchema).default([]),
      })
      .loose()
      .default({ conditions: [], containerStatuses: [], initContainerStatuses: [] }),
  })
  .loose();

export type LessonPod = z.infer<typeof lessonPodSchema>;

/** The status of a pod condition (PodScheduled, Initialized, ContainersReady, Ready), or undefined when not posted yet. */
export function podCondition(pod: LessonPod, type: string): string | undefined {
  return pod.status.conditions.find((c) => c.type === type)?.status;
}

/** The waiting reason of a container (ErrImagePull, ImagePullBackOff, CrashLoopBackOff, ContainerCreating…). */
export function waitingReason(pod: LessonPod, container: string): string | undefined {
  return pod.status.containerStatuses.find((c) => c.name === container)?.state?.waiting?.reason;
}

/** `READY` as kubectl prints it: ready containers / containers. */
export function readyColumn(pod: LessonPod): string {
  return `${pod.status.containerStatuses.filter((c) => c.ready).length}/${pod.spec.containers.length}`;
}

/**
 * Reads one pod. Null when it does not exist; throws (so the check fails with the reason) when
 * the API does not answer or answers something that is not a pod.
 */
export async function readPod(ctx: ScenarioContext, namespace: string, name: string): Promise<LessonPod | null> {
  const r = await ctx.kubectl(["-n", namespace, "get", "pod", name, "-o", "json"], { timeoutMs: 15_000 });
  if (r.code !== 0) {
    const why = describeKubectlError(r.stderr);
    if (why === "not found") return null;
    throw new Error(`could not read pod ${namespace}/${name}: ${why}`);
  }
  return lessonPodSchema.parse(JSON.parse(r.stdout));
}

/**
 * A step check about one pod: `missing` is the message while the pod does not exist, `judge`
 * decides once it does.
 *
 * @example
 * check: podCheck({ namespace: "lesson", name: "web", missing: "There is no pod web yet." }, (pod) =>
 *   pod.status.phase === "Running" ? { ok: true, message: "web is Running." } : { ok: false, message: "web is not Running yet." }),
 */
export function podCheck(opts: { namespace: string; name: string; missing: string }, judge: (pod: LessonPod) => CheckResult): LessonCheckFn {
  return async (ctx) => {
    const pod = await readPod(ctx, opts.namespace, opts.name);
    if (!pod) return { ok: false, message: opts.missing, detail: { actual: `no pod ${opts.namespace}/${opts.name}`, expected: `pod ${opts.namespace}/${opts.name}` } };
    return judge(pod);
  };
}

/** Passes once the pod is gone from the API (deleted, not just Terminating). */
export function podGone(opts: { namespace: string; name: string }): LessonCheckFn {
  return async (ctx) => {
    const pod = await readPod(ctx, opts.namespace, opts.name);
    if (!pod) return { ok: true, message: `Pod ${opts.name} is gone from the API.` };
    return {
      ok: false,
      message: pod.metadata.deletionTimestamp ? `Pod ${opts.name} is still Terminating.` : `Pod ${opts.name} still exists.`,
      detail: { actual: pod.metadata.deletionTimestamp ? "Terminating" : (pod.status.phase ?? "exists"), expected: "not found" },
    };
  };
}

/**
 * Waits until a check passes, for a step's solve() that must leave the cluster where the learner
 * would be before the next step (a pod Running, a node back Ready).
 */
export async function waitUntil(ctx: ScenarioContext, check: LessonCheckFn, opts: { what: string; timeoutMs?: number }): Promise<void> {
  await ctx.waitFor(async () => (await check(ctx).catch(() => ({ ok: false }))).ok, { timeoutMs: opts.timeoutMs ?? 120_000, what: opts.what, intervalMs: 500 });
}
