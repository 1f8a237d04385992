import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batteryDriver, batterySkipReason, startBatteryCluster, type BatteryCluster, type KubectlRun } from "@/lib/testing/battery-cluster";

/**
 * CronJob, HorizontalPodAutoscaler and PodDisruptionBudget through the real kubectl, on the sim
 * or (BREAKFIX_BATTERY_DRIVER=kind) on a real kind cluster, which has no metrics-server either.
 * The sim's clock runs 10x so schedules and the HPA's 15 s resync pass quickly; every wait is
 * given in cluster time and shortened only by that factor, so kind gets the real durations.
 */
const reason = await batterySkipReason("everyday-workloads-kubectl.test.ts");
const NS = "everyday";

describe.skipIf(reason !== null)(`CronJob, HPA and PDB with kubectl (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  beforeAll(async () => {
    c = await startBatteryCluster({ suite: "everyday", timeScale: 10 });
    expect((await c.kubectl(["create", "namespace", NS])).code).toBe(0);
  }, 300_000);
  afterAll(() => c?.stop(), 300_000);

  /** Real ms for `clusterMs` of cluster time, with slack for kubectl and (on kind) image pulls. */
  const within = (clusterMs: number) => (c.sim ? clusterMs / c.sim.clock.timeScale + 15_000 : clusterMs + 90_000);

  const k = (...args: string[]): Promise<KubectlRun> => c.kubectl(["-n", NS, ...args]);

  async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (await fn().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function jsonpath(args: string[], path: string): Promise<string> {
    return (await k(...args, "-o", `jsonpath=${path}`)).stdout;
  }

  /** Event messages of one object with a reason, newest last. */
  async function eventMessages(name: string, why: string): Promise<string[]> {
    const out = await k("get", "events", "--field-selector", `involvedObject.name=${name},reason=${why}`, "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
    return out.stdout.split("\n").filter(Boolean);
  }

  it("lists the three kinds with their short names and API groups", async () => {
    const r = await c.kubectl(["api-resources"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m);
    expect(r.stdout).toMatch(/^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    expect(r.stdout).toMatch(/^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m);
    const explain = await c.kubectl(["explain", "cronjob.spec.schedule"]);
    expect(explain.stdout).toContain("FIELD: schedule <string>");
  });

  it("rejects a bad cron schedule with the apiserver's message", async () => {
    const four = await k("create", "cronjob", "bad", "--image=busybox:1.36", "--schedule=*/1 * * *", "--", "date");
    expect(four.code).toBe(1);
    expect(four.stderr).toContain('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "*/1 * * *": expected exactly 5 fields, found 4: [*/1 * * *]');
    const range = await k("create", "cronjob", "bad", "--image=busybox:1.36", "--schedule=61 * * * *", "--", "date");
    expect(range.stderr).toContain('spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    const typo = await c.kubectl(["-n", NS, "apply", "-f", "-"], {
      input: `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: bad\nspec:\n  schedule: "* * * * *"\n  concurencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox:1.36}]\n`,
    });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "spec.concurencyPolicy"');
  });

  it("runs a CronJob every minute: owned, annotated Jobs, status, events, history limit, manual runs", async () => {
    const created = await k("create", "cronjob", "tick", "--image=busybox:1.36", "--schedule=*/1 * * * *", "--", "date");
    expect(created.stdout).toBe("cronjob.batch/tick created\n");
    const table = await k("get", "cj");
    expect(table.stdout).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
    expect(table.stdout).toMatch(/^tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+[01]\s+\S+\s+\S+\n$/m);

    await until("a completed job of tick", async () => (await jsonpath(["get", "cj", "tick"], "{.status.lastSuccessfulTime}")) !== "", within(150_000));
    const cjUid = await jsonpath(["get", "cj", "tick"], "{.metadata.uid}");
    const jobs = (await jsonpath(["get", "jobs"], "{range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].uid} {.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}{\"\\n\"}{end}"))
      .split("\n")
      .filter((l) => l.startsWith("tick-"));
    expect(jobs.length).toBeGreaterThan(0);
    for (const line of jobs) {
      const [name, owner, scheduled] = line.split(" ");
      const minutes = Number(name!.slice("tick-".length));
      expect(owner).toBe(`CronJob/${cjUid}`);
      expect(scheduled).toBe(new Date(minutes * 60_000).toISOString().replace(".000Z", "Z"));
    }
    const first = jobs[0]!.split(" ")[0]!;
    expect(await eventMessages("tick", "SuccessfulCreate")).toContain(`Created job ${first}`);
    await until("SawCompletedJob", async () => (await eventMessages("tick", "SawCompletedJob")).includes(`Saw completed job: ${first}, condition: Complete`), within(60_000));
    expect(await jsonpath(["get", "cj", "tick"], "{.status.lastScheduleTime}")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);

    const manual = await k("create", "job", "manual", "--from=cronjob/tick");
    expect(manual.stdout).toBe("job.batch/manual created\n");
    expect(await jsonpath(["get", "job", "manual"], "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.ownerReferences[0].name}")).toBe("manual tick");
    await until("manual completes", async () => (await jsonpath(["get", "job", "manual"], "{.status.succeeded}")) === "1", within(60_000));

    // History: keep one successful job; the older ones (the manual run included: it is owned by tick) go.
    expect((await k("patch", "cj", "tick", "--type=merge", "-p", '{"spec":{"successfulJobsHistoryLimit":1}}')).code).toBe(0);
    await until(
      "history trimmed to one successful job",
      async () => (await jsonpath(["get", "jobs"], "{range .items[?(@.status.succeeded==1)]}{.metadata.name}{\"\\n\"}{end}")).trim().split("\n").length === 1,
      within(90_000),
    );
    expect((await eventMessages("tick", "SuccessfulDelete")).some((m) => /^Deleted job (tick-\d+|manual)$/.test(m))).toBe(true);

    expect((await k("patch", "cj", "tick", "--type=merge", "-p", '{"spec":{"suspend":true}}')).code).toBe(0);
    expect((await k("get", "cj", "tick", "--no-headers")).stdout).toMatch(/^tick\s+\*\/1 \* \* \* \*\s+<none>\s+True\s+/);
    // A strategic merge patch into the job template merges containers by name.
    expect((await k("set", "image", "cronjob/tick", "tick=busybox:1.37")).stdout).toBe("cronjob.batch/tick image updated\n");
    expect(await jsonpath(["get", "cj", "tick"], "{.spec.jobTemplate.spec.template.spec.containers[*].image} {.spec.jobTemplate.spec.template.spec.containers[0].command}")).toBe('busybox:1.37 ["date"]');
  }, 600_000);

  it("schedules in the CronJob's time zone and stamps the scheduled time with its offset", async () => {
    const yaml = (name: string, tz: string) =>
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "*/1 * * * *"\n  timeZone: ${tz}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: "busybox:1.36", command: [date]}]\n`;
    const bad = await c.kubectl(["-n", NS, "apply", "-f", "-"], { input: yaml("mars", "Mars/Olympus") });
    expect(bad.stderr).toContain('The CronJob "mars" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
    expect((await c.kubectl(["-n", NS, "apply", "-f", "-"], { input: yaml("berlin", "Europe/Berlin") })).stdout).toBe("cronjob.batch/berlin created\n");
    expect((await k("get", "cj", "berlin", "--no-headers")).stdout).toMatch(/^berlin\s+\*\/1 \* \* \* \*\s+Europe\/Berlin\s+False\s+/);
    const job = await (async () => {
      let found = "";
      await until("a job of berlin", async () => {
        found = (await jsonpath(["get", "jobs"], "{range .items[*]}{.metadata.name} {.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}{\"\\n\"}{end}")).split("\n").find((l) => l.startsWith("berlin-")) ?? "";
        return found !== "";
      }, within(150_000));
      return found;
    })();
    const [name, stamp] = job.split(" ");
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[12]:00$/); // CET or CEST
    expect(Date.parse(stamp!)).toBe(Number(name!.slice("berlin-".length)) * 60_000);
    expect((await k("delete", "cj", "berlin")).code).toBe(0);
  }, 300_000);

  it("autoscales a deployment without metrics-server: scales up to min, then cpu: <unknown>/80%", async () => {
    expect((await k("create", "deployment", "web", "--image=nginx:1.27", "--replicas=1")).code).toBe(0);
    const auto = await k("autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80");
    expect(auto.stdout).toBe("horizontalpodautoscaler.autoscaling/web autoscaled\n");
    await until("the deployment scaled to minReplicas", async () => (await jsonpath(["get", "deploy", "web"], "{.spec.replicas}")) === "2", within(30_000));
    expect(await eventMessages("web", "SuccessfulRescale")).toContain("New size: 2; reason: Current number of replicas below Spec.MinReplicas");
    const metricError =
      "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";
    await until("ScalingActive False", async () => (await jsonpath(["get", "hpa", "web"], '{.status.conditions[?(@.type=="ScalingActive")].reason}')) === "FailedGetResourceMetric", within(60_000));
    const table = await k("get", "hpa");
    expect(table.stdout).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    expect(table.stdout).toMatch(/^web\s+Deployment\/web\s+cpu: <unknown>\/80%\s+2\s+5\s+2\s+\S+\n$/m);
    const describe = (await k("describe", "hpa", "web")).stdout;
    expect(describe).toMatch(/AbleToScale\s+True\s+SucceededGetScale\s+the HPA controller was able to get the target's current scale/);
    expect(describe).toMatch(new RegExp(`ScalingActive\\s+False\\s+FailedGetResourceMetric\\s+the HPA was unable to compute the replica count: ${metricError.replace(/[().]/g, "\\$&")}`));
    expect(await eventMessages("web", "FailedGetResourceMetric")).toContain(metricError);
    expect(await jsonpath(["get", "horizontalpodautoscalers.v1.autoscaling", "web"], "{.apiVersion} {.spec.targetCPUUtilizationPercentage}")).toBe("autoscaling/v1 80");
  }, 300_000);

  it("blocks kubectl drain while the PDB allows no disruption, and drains once it does", async () => {
    const node = c.nodes[0]!;
    expect((await k("create", "deployment", "api", "--image=nginx:1.27", "--replicas=2")).code).toBe(0);
    await until("api available", async () => (await jsonpath(["get", "deploy", "api"], "{.status.availableReplicas}")) === "2", within(60_000));
    expect((await k("create", "pdb", "api", "--selector=app=api", "--min-available=2")).stdout).toBe("poddisruptionbudget.policy/api created\n");
    await until("the budget counted", async () => (await jsonpath(["get", "pdb", "api"], "{.status.currentHealthy}/{.status.desiredHealthy}")) === "2/2", within(30_000));
    const pdb = await k("get", "pdb");
    expect(pdb.stdout).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n/);
    expect(pdb.stdout).toMatch(/^api\s+2\s+N\/A\s+0\s+\S+\n$/m);
    expect(await jsonpath(["get", "pdb", "api"], '{.status.conditions[?(@.type=="DisruptionAllowed")].status}/{.status.conditions[?(@.type=="DisruptionAllowed")].reason} {.status.expectedPods}')).toBe(
      "False/InsufficientPods 2",
    );
    try {
      const blocked = await c.kubectl(["drain", node, "--ignore-daemonsets", "--pod-selector=app=api", "--timeout=12s"], { timeoutMs: 60_000 });
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toMatch(
        new RegExp(`error when evicting pods/"api-[a-z0-9]+-[a-z0-9]{5}" -n "${NS}" \\(will retry after 5s\\): Cannot evict pod as it would violate the pod's disruption budget\\.`),
      );
      expect(await jsonpath(["get", "deploy", "api"], "{.status.availableReplicas}")).toBe("2");

      expect((await k("patch", "pdb", "api", "--type=merge", "-p", '{"spec":{"minAvailable":0}}')).code).toBe(0);
      await until("disruptions allowed", async () => (await jsonpath(["get", "pdb", "api"], "{.status.disruptionsAllowed}")) === "2", within(30_000));
      const drained = await c.kubectl(["drain", node, "--ignore-daemonsets", "--pod-selector=app=api", "--timeout=120s"], { timeoutMs: 180_000 });
      expect(drained.code).toBe(0);
      expect(drained.stdout).toMatch(new RegExp(`pod/api-[a-z0-9]+-[a-z0-9]{5} evicted`));
      expect(drained.stdout).toContain(`node/${node} drained`);
    } finally {
      await c.kubectl(["uncordon", node]);
    }
  }, 400_000);
});
