/**
 * cronjob-controller (pkg/controller/cronjob, the v2 controller): on the sim clock, creates the
 * Job of each due schedule (`<cronjob>-<scheduled time in minutes since the epoch>`, owned by the
 * CronJob, annotated `batch.kubernetes.io/cronjob-scheduled-timestamp`), keeps status.active,
 * lastScheduleTime and lastSuccessfulTime, honours suspend, concurrencyPolicy (Allow, Forbid,
 * Replace), startingDeadlineSeconds, timeZone and the history limits. Events as v1.32 writes
 * them: SuccessfulCreate `Created job x-29000000`, SawCompletedJob, SuccessfulDelete
 * `Deleted job …`, UnexpectedJob (e.g. `kubectl create job --from=cronjob/x`), MissingJob,
 * JobAlreadyActive, MissSchedule, UnparseableSchedule, UnknownTimeZone, TooManyMissedTimes.
 */
import type { SimComponent } from "../contracts";
import { parseSchedule, type CronSchedule } from "../api/cron-schedule";
import { applyCreateDefaults } from "../api/defaults";
import type { KubeObject } from "../store/types";
import type { Job } from "./api-types";
import { controllerOf, isoTime, ownerRefTo } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const CJ = "cronjobs.batch";
const JOB = "jobs.batch";
const COMPONENT = "cronjob-controller";
/** nextScheduleDelta: the controller wakes 100 ms after a scheduled time. */
const NEXT_SCHEDULE_DELTA_MS = 100;

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

interface JobRef {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
}

interface CronJobStatus {
  active?: JobRef[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

function finishedCondition(j: Job): string | undefined {
  return j.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True")?.type;
}

/** time.Time.Format(time.RFC3339) in a zone: "2026-12-03T15:20:00+01:00", or "…Z" for UTC. */
export function rfc3339InZone(t: Date, tz: string): string {
  const utc = isoTime(t);
  if (!tz || tz === "UTC") return utc;
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(t);
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offMin = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (!offMin) return utc;
  const local = isoTime(new Date(t.getTime() + offMin * 60_000)).slice(0, -1);
  return `${local}${m![1]}${m![2]}:${m![3]}`;
}

interface MostRecent {
  earliest: Date;
  mostRecent: Date | null;
  manyMissed: boolean;
}

/** mostRecentScheduleTime: the latest due schedule after the last one (or creation), if any. */
function mostRecentScheduleTime(cj: KubeObject, now: Date, sched: CronSchedule, withDeadline: boolean): MostRecent {
  const status = o(cj.status) as CronJobStatus;
  let earliest = new Date(Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString()));
  const sds = o(cj.spec).startingDeadlineSeconds;
  if (withDeadline && typeof sds === "number") {
    const deadline = new Date(now.getTime() - sds * 1000);
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = sched.next(earliest);
  if (!t1 || now < t1) return { earliest, mostRecent: null, manyMissed: false };
  const t2 = sched.next(t1);
  if (!t2 || now < t2) return { earliest, mostRecent: t1, manyMissed: false };
  const between = Math.round((t2.getTime() - t1.getTime()) / 1000);
  if (between < 1) throw new Error("time difference between two schedules is less than 1 second");
  const missed = Math.floor((now.getTime() - t1.getTime()) / 1000 / between) + 1;
  let recent = t2;
  for (let i = 0; i < 1000; i++) {
    const n = sched.next(recent);
    if (!n || n > now) break;
    recent = n;
  }
  return { earliest, mostRecent: recent, manyMissed: missed > 100 };
}

export function startCronJobController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;
  const record = (cj: KubeObject, type: "Normal" | "Warning", reason: string, message: string) =>
    events.record({ involvedObject: cj, type, reason, message, component: COMPONENT });

  function deleteJob(cj: KubeObject, job: Job, status: CronJobStatus): boolean {
    try {
      store.delete(JOB, job.metadata.namespace, job.metadata.name, { propagationPolicy: "Background" });
    } catch (err) {
      record(cj, "Warning", "FailedDelete", `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata.uid);
    record(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
    return true;
  }

  /** syncCronJob; returns when to look again (ms), if at all. */
  function sync(cj: KubeObject, jobs: Job[], status: CronJobStatus, now: Date): number | undefined {
    const spec = o(cj.spec);
    const active = () => status.active ?? [];
    for (const j of jobs) {
      const found = active().some((r) => r.uid === j.metadata.uid);
      const finished = finishedCondition(j);
      if (!found && !finished) {
        // A job with us as controller that we did not start (e.g. kubectl create job --from=cronjob/x).
        record(cj, "Warning", "UnexpectedJob", `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (found && finished) {
        status.active = active().filter((r) => r.uid !== j.metadata.uid);
        record(cj, "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      }
      if (finished === "Complete" && j.status?.completionTime) {
        if (!status.lastSuccessfulTime || Date.parse(j.status.completionTime) > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const r of active()) {
      if (jobs.some((j) => j.metadata.uid === r.uid)) continue;
      if (!store.get(JOB, r.namespace, r.name)) {
        record(cj, "Normal", "MissingJob", `Active job went missing: ${r.name}`);
        status.active = active().filter((x) => x.uid !== r.uid);
      }
    }
    const tz = typeof spec.timeZone === "string" ? spec.timeZone : undefined;
    if (spec.suspend === true) return undefined;
    const schedule = String(spec.schedule ?? "");
    if (schedule.includes("TZ=")) {
      record(cj, "Warning", "UnsupportedSchedule", `CRON_TZ or TZ used in schedule "${schedule}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    const parsed = parseSchedule(tz ? `TZ=${tz} ${schedule}` : schedule);
    if (!parsed.ok) {
      if (tz && parsed.error.startsWith("provided bad location")) record(cj, "Warning", "UnknownTimeZone", `invalid timeZone: "${tz}": unknown time zone ${tz}`);
      else record(cj, "Warning", "UnparseableSchedule", `unparseable schedule: "${schedule}" : ${parsed.error}`);
      return undefined;
    }
    const sched = parsed.schedule;
    const nextIn = (): number | undefined => {
      let base: Date;
      try {
        const r = mostRecentScheduleTime(cj, now, sched, false);
        base = r.mostRecent ?? r.earliest;
      } catch {
        base = now;
      }
      const n = sched.next(base);
      return n ? n.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime() : undefined;
    };
    let due: MostRecent;
    try {
      due = mostRecentScheduleTime(cj, now, sched, true);
    } catch (err) {
      record(cj, "Warning", "InvalidSchedule", `invalid schedule: ${schedule} : ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    if (due.mostRecent && due.manyMissed) {
      record(cj, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    }
    const scheduled = due.mostRecent;
    if (!scheduled || scheduled > now) return nextIn();
    const sds = spec.startingDeadlineSeconds;
    if (typeof sds === "number" && scheduled.getTime() + sds * 1000 < now.getTime()) {
      record(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${scheduled.toUTCString().replace("GMT", "+0000")}`);
      return nextIn();
    }
    const jobName = `${cj.metadata.name}-${Math.floor(scheduled.getTime() / 60_000)}`;
    if (active().some((r) => r.name === jobName) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime())) return nextIn();
    if (spec.concurrencyPolicy === "Forbid" && active().length) {
      record(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      return nextIn();
    }
    if (spec.concurrencyPolicy === "Replace") {
      for (const r of [...active()]) {
        const job = store.get(JOB, r.namespace, r.name) as Job | undefined;
        if (job && !deleteJob(cj, job, status)) return undefined;
      }
    }
    const template = o(spec.jobTemplate);
    const tmeta = o(template.metadata);
    const job: KubeObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: jobName,
        namespace: cj.metadata.namespace,
        labels: { ...(o(tmeta.labels) as Record<string, string>) },
        annotations: { ...(o(tmeta.annotations) as Record<string, string>), "batch.kubernetes.io/cronjob-scheduled-timestamp": rfc3339InZone(scheduled, tz ?? "UTC") },
        ownerReferences: [ownerRefTo(cj)],
      },
      spec: structuredClone(o(template.spec)),
    };
    if (!Object.keys(job.metadata.labels ?? {}).length) delete job.metadata.labels;
    let created: KubeObject;
    try {
      applyCreateDefaults(JOB, job, { store });
      created = store.create(JOB, job, { uid: job.metadata.uid });
      record(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`);
    } catch (err) {
      const existing = store.get(JOB, cj.metadata.namespace, jobName);
      if (!existing) {
        record(cj, "Warning", "FailedCreate", `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      // Created by another actor: adopt it only if it is ours.
      if (controllerOf(existing)?.uid !== cj.metadata.uid || active().some((r) => r.uid === existing.metadata.uid)) return undefined;
      created = existing;
    }
    status.active = [
      ...active(),
      { kind: "Job", namespace: created.metadata.namespace ?? "", name: created.metadata.name ?? "", uid: created.metadata.uid ?? "", apiVersion: "batch/v1", resourceVersion: created.metadata.resourceVersion },
    ];
    status.lastScheduleTime = isoTime(scheduled);
    return nextIn();
  }

  /** cleanupFinishedJobs: keeps the newest successfulJobsHistoryLimit / failedJobsHistoryLimit finished jobs. */
  function cleanup(cj: KubeObject, jobs: Job[], status: CronJobStatus): void {
    const spec = o(cj.spec);
    const limits: [string, unknown][] = [
      ["Complete", spec.successfulJobsHistoryLimit],
      ["Failed", spec.failedJobsHistoryLimit],
    ];
    for (const [kind, limit] of limits) {
      if (typeof limit !== "number") continue;
      const done = jobs
        .filter((j) => finishedCondition(j) === kind && store.get(JOB, j.metadata.namespace, j.metadata.name))
        .sort((a, b) => Date.parse(a.status?.startTime ?? "") - Date.parse(b.status?.startTime ?? "") || a.metadata.name.localeCompare(b.metadata.name));
      for (const j of done.slice(0, Math.max(0, done.length - limit))) deleteJob(cj, j, status);
    }
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const cj = store.get(CJ, ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const jobs = (store.list(JOB, { namespace: ns }).items as Job[]).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const status = structuredClone(o(cj.status)) as CronJobStatus;
    const now = clock.now();
    const requeue = sync(cj, jobs, status, now);
    cleanup(cj, jobs, status);
    if (!status.active?.length) delete status.active;
    const cur = store.get(CJ, ns, name);
    const clean = JSON.parse(JSON.stringify(status)) as CronJobStatus;
    if (cur && JSON.stringify(cur.status ?? {}) !== JSON.stringify(clean)) store.update(CJ, { ...cur, status: clean }, { subresource: "status", force: true });
    if (requeue !== undefined) queue.addAfter(key, Math.max(0, requeue));
  }

  const queue = createWorkQueue(clock, "cronjob", reconcile);
  const stops = [
    store.watch(CJ, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch(JOB, {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "CronJob") queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const c of store.list(CJ).items) queue.add(nsKey(c.metadata.namespace, c.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
