import { afterEach, describe, expect, it } from "vitest";
import { hpaV1ToV2, hpaV2ToV1 } from "../api/hpa-versions";
import type { KubeObject } from "../store/types";
import { rfc3339InZone } from "./cronjob-controller";
import { startWorkloadSim, type WorkloadSim } from "./start-workload-sim";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

function cronJob(name: string, policy: string, command: string): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "cj" },
    spec: {
      schedule: "* * * * *",
      concurrencyPolicy: policy,
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.36", command: ["sh", "-c", command] }] } } } },
    },
  };
}

const jobsOf = (s: WorkloadSim, owner: string) =>
  s.store.list("jobs.batch", { namespace: "cj" }).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === owner).map((j) => j.metadata.name ?? "");
const reasons = (s: WorkloadSim, name: string) => s.eventsFor("CronJob", "cj", name).map((e) => `${String(e.reason)}: ${String(e.message)}`);

describe("cronjob controller", () => {
  it("Forbid skips a run while one is active; Replace deletes the running job and starts the next", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 200 });
    const s = sim;
    s.apply("cronjobs.batch", cronJob("forbid", "Forbid", "sleep 3600"));
    s.apply("cronjobs.batch", cronJob("replace", "Replace", "sleep 3600"));
    await s.waitFor("a skipped run", () => reasons(s, "forbid").some((r) => r.startsWith("JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid")), 15_000);
    expect(jobsOf(s, "forbid")).toHaveLength(1);
    const replaced = await s.waitFor("a replaced run", () => reasons(s, "replace").find((r) => r.startsWith("SuccessfulDelete: Deleted job replace-")), 15_000);
    const gone = replaced.slice("SuccessfulDelete: Deleted job ".length);
    expect(reasons(s, "replace")).toContain(`SuccessfulCreate: Created job ${gone}`);
    const active = (s.store.get("cronjobs.batch", "cj", "replace")!.status as { active: { name: string }[] }).active;
    expect(active).toHaveLength(1);
    expect(active[0]!.name).not.toBe(gone);
    expect(Number(active[0]!.name.split("-")[1])).toBeGreaterThan(Number(gone.split("-")[1]));
  });

  it("stamps the scheduled time in the CronJob's time zone, as Go's RFC3339", () => {
    const t = new Date("2026-07-01T07:00:00Z");
    expect(rfc3339InZone(t, "UTC")).toBe("2026-07-01T07:00:00Z");
    expect(rfc3339InZone(t, "Europe/Berlin")).toBe("2026-07-01T09:00:00+02:00");
    expect(rfc3339InZone(t, "America/New_York")).toBe("2026-07-01T03:00:00-04:00");
  });
});

describe("disruption controller", () => {
  it("leaves unmanaged pods out of a percentage budget, and fails safe over a controller without scale", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 50 });
    const s = sim;
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "lonely", namespace: "cj", labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } });
    s.apply("poddisruptionbudgets.policy", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "x", namespace: "cj" }, spec: { minAvailable: "50%", selector: { matchLabels: { app: "x" } } } });
    await s.waitFor("UnmanagedPods", () => s.eventsFor("PodDisruptionBudget", "cj", "x").find((e) => e.reason === "UnmanagedPods"));
    expect(String(s.eventsFor("PodDisruptionBudget", "cj", "x").find((e) => e.reason === "UnmanagedPods")!.message)).toMatch(
      /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: x,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\./,
    );
    expect(s.store.get("poddisruptionbudgets.policy", "cj", "x")!.status).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });

    s.apply("jobs.batch", { apiVersion: "batch/v1", kind: "Job", metadata: { name: "batch", namespace: "cj" }, spec: { template: { metadata: { labels: { app: "y" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "3600"] }] } } } });
    s.apply("poddisruptionbudgets.policy", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "y", namespace: "cj" }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "y" } } } });
    const cond = await s.waitFor("SyncFailed", () => {
      const st = s.store.get("poddisruptionbudgets.policy", "cj", "y")?.status as { conditions?: { reason: string; message: string; status: string }[] } | undefined;
      return st?.conditions?.find((c) => c.reason === "SyncFailed");
    });
    expect(cond).toMatchObject({ status: "False", message: "jobs.batch does not implement the scale subresource" });
    expect(s.eventsFor("PodDisruptionBudget", "cj", "y").map((e) => e.message)).toContain("Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource");
  });
});

describe("autoscaling/v1 ↔ v2", () => {
  it("keeps what v1 cannot hold in the alpha annotations and restores it", () => {
    const v2: KubeObject = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web", namespace: "d" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "200Mi" } } },
        ],
      },
      status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: "" }], conditions: [{ type: "AbleToScale", status: "True", reason: "SucceededGetScale", message: "m", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
    };
    const v1 = hpaV2ToV1(v2);
    expect(v1.spec).toEqual({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
    expect(v1.metadata.annotations?.["autoscaling.alpha.kubernetes.io/current-metrics"]).toBe('[{"type":""}]');
    expect(hpaV1ToV2(v1)).toEqual(v2);
  });
});
