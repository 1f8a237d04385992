/**
 * job-controller: runs `parallelism` pods at a time until `completions` succeed; counts failures
 * (pod failures for restartPolicy Never, container restarts for OnFailure) against backoffLimit
 * with the pod-failure back-off (10 s doubling, max 6 min); honours activeDeadlineSeconds, suspend
 * and ttlSecondsAfterFinished. Conditions as v1.32 writes them: SuccessCriteriaMet then Complete,
 * FailureTarget then Failed (BackoffLimitExceeded / DeadlineExceeded). Events: SuccessfulCreate
 * `Created pod: pi-x7k2q`, Completed `Job completed`, BackoffLimitExceeded, DeadlineExceeded.
 */
import type { SimComponent } from "../contracts";
import type { Job, Pod } from "./api-types";
import { controllerOf, isPodActive, isPodReady, isoTime } from "./object-helpers";
import { createPodFromTemplate, deletePodByController, type ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const JOB = "jobs.batch";

type JobCondition = NonNullable<NonNullable<Job["status"]>["conditions"]>[number];

export function startJobController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    let job = store.get(JOB, ns, name) as Job | undefined;
    if (!job || job.metadata.deletionTimestamp) return;
    const uid = job.metadata.uid;
    const jobLabels = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name };
    // The apiserver defaults these on create; do it here if the API layer did not.
    if (!job.spec.selector || !job.spec.template.metadata?.labels?.["batch.kubernetes.io/controller-uid"]) {
      job.spec.selector ??= { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
      job.spec.template.metadata = { ...(job.spec.template.metadata ?? {}), labels: { ...(job.spec.template.metadata?.labels ?? {}), ...jobLabels } };
      job = store.update(JOB, job, { force: true }) as Job;
    }
    const status: NonNullable<Job["status"]> = structuredClone(job.status ?? {});
    const finished = status.conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
    const pods = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === uid);
    const now = clock.now();
    const ts = isoTime(now);

    if (finished) {
      const ttl = job.spec.ttlSecondsAfterFinished;
      if (ttl !== undefined && status.completionTime !== undefined) {
        const end = Date.parse(status.completionTime) + ttl * 1000;
        if (now.getTime() >= end) store.delete(JOB, ns, name, { propagationPolicy: "Background" });
        else queue.addAfter(key, end - now.getTime());
      } else if (ttl !== undefined) {
        const done = status.conditions?.find((c) => c.type === "Complete" || c.type === "Failed");
        const end = Date.parse(done?.lastTransitionTime ?? ts) + ttl * 1000;
        if (now.getTime() >= end) store.delete(JOB, ns, name, { propagationPolicy: "Background" });
        else queue.addAfter(key, end - now.getTime());
      }
      return;
    }

    status.startTime ??= ts;
    const active = pods.filter(isPodActive);
    const succeeded = pods.filter((p) => p.status?.phase === "Succeeded").length;
    const failedPods = pods.filter((p) => p.status?.phase === "Failed").length;
    const restarts = job.spec.template.spec.restartPolicy === "OnFailure" ? pods.reduce((s, p) => s + (p.status?.containerStatuses ?? []).reduce((a, c) => a + c.restartCount, 0), 0) : 0;
    const failed = failedPods + restarts;
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const backoffLimit = job.spec.backoffLimit ?? 6;
    const cond = (type: string, reason: string, message: string): JobCondition => ({ type, status: "True", reason, message, lastProbeTime: ts, lastTransitionTime: ts });

    let finish: { conds: JobCondition[]; event?: { type: "Normal" | "Warning"; reason: string; message: string } } | undefined;
    if (succeeded >= completions) {
      finish = {
        conds: [cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"), cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods")],
        event: { type: "Normal", reason: "Completed", message: "Job completed" },
      };
      status.completionTime = ts;
    } else if (failed > backoffLimit) {
      finish = {
        conds: [cond("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"), cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")],
        event: { type: "Warning", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" },
      };
    } else if (job.spec.activeDeadlineSeconds !== undefined && now.getTime() - Date.parse(status.startTime) >= job.spec.activeDeadlineSeconds * 1000) {
      finish = {
        conds: [cond("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"), cond("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")],
        event: { type: "Warning", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" },
      };
    }

    if (finish) {
      for (const p of active) deletePodByController(store, events, job, p, "job-controller");
      status.conditions = [...(status.conditions ?? []), ...finish.conds];
      status.active = undefined;
      status.ready = 0;
      status.terminating = 0;
      if (finish.event) events.record({ involvedObject: job, ...finish.event, component: "job-controller" });
      if (job.spec.ttlSecondsAfterFinished !== undefined) queue.addAfter(key, job.spec.ttlSecondsAfterFinished * 1000);
    } else if (job.spec.suspend) {
      for (const p of active) deletePodByController(store, events, job, p, "job-controller");
      if (!status.conditions?.some((c) => c.type === "Suspended")) {
        status.conditions = [...(status.conditions ?? []), cond("Suspended", "JobSuspended", "Job suspended")];
        events.record({ involvedObject: job, type: "Normal", reason: "Suspended", message: "Job suspended", component: "job-controller" });
      }
    } else {
      status.conditions = status.conditions?.filter((c) => c.type !== "Suspended");
      const want = Math.min(parallelism, completions - succeeded);
      let create = want - active.length;
      if (create > 0 && failedPods > 0) {
        // Pod-failure back-off: 10 s × 2^(failures-1), at most 6 minutes since the last failure.
        const lastFail = Math.max(...pods.filter((p) => p.status?.phase === "Failed").map((p) => Date.parse(p.status?.containerStatuses?.[0]?.state.terminated?.finishedAt ?? p.metadata.creationTimestamp ?? ts)));
        const delay = Math.min(10_000 * 2 ** (failedPods - 1), 360_000);
        if (now.getTime() - lastFail < delay) {
          queue.addAfter(key, lastFail + delay - now.getTime());
          create = 0;
        }
      }
      for (let i = 0; i < create; i++) {
        createPodFromTemplate(store, events, job, job.spec.template, "job-controller", {
          labels: { ...(job.spec.template.metadata?.labels ?? {}), ...jobLabels },
        });
      }
      if (job.spec.activeDeadlineSeconds !== undefined) {
        queue.addAfter(key, Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000 - now.getTime());
      }
    }
    const fresh = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === uid);
    const activeNow = fresh.filter(isPodActive).length;
    status.active = activeNow || undefined;
    status.succeeded = succeeded || undefined;
    status.failed = failed || undefined;
    status.ready = fresh.filter((p) => isPodActive(p) && isPodReady(p)).length;
    status.terminating = fresh.filter((p) => p.metadata.deletionTimestamp).length;
    status.uncountedTerminatedPods = {};
    const clean = JSON.parse(JSON.stringify(status)) as Job["status"];
    const cur = store.get(JOB, ns, name) as Job | undefined;
    if (cur && JSON.stringify(cur.status) !== JSON.stringify(clean)) {
      cur.status = clean;
      store.update(JOB, cur, { subresource: "status", force: true });
    }
  }

  const queue = createWorkQueue(clock, "job", reconcile);
  const stops = [
    store.watch(JOB, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch("pods", {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "Job") queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const j of store.list(JOB).items) queue.add(nsKey(j.metadata.namespace, j.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
