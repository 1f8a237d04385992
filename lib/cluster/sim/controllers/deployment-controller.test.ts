import { afterEach, describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "./api-types";
import { startWorkloadSim, type WorkloadSim } from "./start-workload-sim";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

function web(image = "nginx:1.27", replicas = 2): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "cap", uid: "" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image }] } },
    },
  };
}

const pods = (s: WorkloadSim) => s.store.list("pods", { namespace: "cap" }).items as Pod[];
const rses = (s: WorkloadSim) => s.store.list("replicasets.apps", { namespace: "cap" }).items as ReplicaSet[];

describe("deployment controller", () => {
  it("brings a deployment to Running pods through a hashed ReplicaSet, with the real events", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("deployments.apps", web());
    const d = await s.waitFor("deployment web available", () => {
      const x = s.store.get("deployments.apps", "cap", "web") as Deployment | undefined;
      return x?.status?.availableReplicas === 2 ? x : undefined;
    });
    const [rs] = rses(s);
    expect(rs?.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const hash = rs!.metadata.labels!["pod-template-hash"];
    expect(rs!.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const ps = pods(s);
    expect(ps).toHaveLength(2);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.status?.phase).toBe("Running");
      expect(p.status?.podIP).toMatch(/^10\.244\.0\.\d+$/);
      expect(p.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      const reasons = s.eventsFor("Pod", "cap", p.metadata.name).map((e) => `${e.reason}|${e.message}`);
      expect(reasons).toEqual([
        `Scheduled|Successfully assigned cap/${p.metadata.name} to kind-control-plane`,
        'Pulled|Container image "nginx:1.27" already present on machine',
        "Created|Created container: nginx",
        "Started|Started container nginx",
      ]);
    }
    const depEvents = s.eventsFor("Deployment", "cap", "web").map((e) => e.message);
    expect(depEvents).toContain(`Scaled up replica set ${rs!.metadata.name} from 0 to 2`);
    expect(d.status?.conditions?.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual(["Available=True:MinimumReplicasAvailable", "Progressing=True:NewReplicaSetAvailable"]);
  });

  it("rolls out a new template as revision 2 and rolls back to revision 1 as revision 3", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("deployments.apps", web("nginx:1.27", 4));
    await s.waitFor("4 available", () => (s.store.get("deployments.apps", "cap", "web") as Deployment)?.status?.availableReplicas === 4);
    const first = rses(s)[0]!;
    const d = s.store.get("deployments.apps", "cap", "web") as Deployment;
    d.spec.template.spec.containers[0]!.image = "nginx:1.26";
    s.store.update("deployments.apps", d, { force: true });
    await s.waitFor("rollout to 1.26 complete", () => {
      const x = s.store.get("deployments.apps", "cap", "web") as Deployment;
      const ps = pods(s).filter((p) => !p.metadata.deletionTimestamp);
      return x.status?.updatedReplicas === 4 && x.status.availableReplicas === 4 && x.status.replicas === 4 && ps.length === 4 && ps.every((p) => p.spec.containers[0]!.image === "nginx:1.26");
    }, 20_000);
    const second = rses(s).find((r) => r.metadata.uid !== first.metadata.uid)!;
    expect(second.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect((s.store.get("replicasets.apps", "cap", first.metadata.name) as ReplicaSet).spec.replicas).toBe(0);
    // The surge never exceeded 25% (1 pod) over 4, and availability never dropped below 3.
    const scaled = s.eventsFor("Deployment", "cap", "web").map((e) => e.message);
    expect(scaled[0]).toBe(`Scaled up replica set ${first.metadata.name} from 0 to 4`);
    expect(scaled).toContain(`Scaled up replica set ${second.metadata.name} from 0 to 1`);
    // kubectl rollout undo: put revision 1's template back.
    const d2 = s.store.get("deployments.apps", "cap", "web") as Deployment;
    const tpl = structuredClone(first.spec.template);
    delete tpl.metadata!.labels!["pod-template-hash"];
    d2.spec.template = tpl;
    s.store.update("deployments.apps", d2, { force: true });
    await s.waitFor("rolled back", () => {
      const x = s.store.get("deployments.apps", "cap", "web") as Deployment;
      return x.metadata.annotations?.["deployment.kubernetes.io/revision"] === "3" && x.status?.updatedReplicas === 4 && x.status.availableReplicas === 4 && x.status.replicas === 4;
    }, 20_000);
    const back = s.store.get("replicasets.apps", "cap", first.metadata.name) as ReplicaSet;
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(back.spec.replicas).toBe(4);
  });

  it("reports ProgressDeadlineExceeded when a rollout to a bad image stalls, keeping the old pods", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    const d0 = web("nginx:1.27", 2);
    d0.spec.progressDeadlineSeconds = 30;
    s.apply("deployments.apps", d0);
    await s.waitFor("available", () => (s.store.get("deployments.apps", "cap", "web") as Deployment)?.status?.availableReplicas === 2);
    const d = s.store.get("deployments.apps", "cap", "web") as Deployment;
    d.spec.template.spec.containers[0]!.image = "nginx:1.27.9999";
    s.store.update("deployments.apps", d, { force: true });
    await s.waitFor("deadline exceeded", () => (s.store.get("deployments.apps", "cap", "web") as Deployment).status?.conditions?.some((c) => c.reason === "ProgressDeadlineExceeded"), 15_000);
    const st = (s.store.get("deployments.apps", "cap", "web") as Deployment).status!;
    const bad = rses(s).find((r) => r.spec.template.spec.containers[0]!.image === "nginx:1.27.9999")!;
    expect(st.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${bad.metadata.name}" has timed out progressing.` });
    // maxUnavailable 25% of 2 rounds down to 0: both old pods keep serving.
    expect(st.availableReplicas).toBe(2);
    expect(st.updatedReplicas).toBe(1);
    expect(pods(s).filter((p) => p.status?.phase === "Running")).toHaveLength(2);
  });

  it("replaces all pods at once with the Recreate strategy", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    const d0 = web("nginx:1.27", 3);
    d0.spec.strategy = { type: "Recreate" };
    s.apply("deployments.apps", d0);
    await s.waitFor("available", () => (s.store.get("deployments.apps", "cap", "web") as Deployment)?.status?.availableReplicas === 3);
    const d = s.store.get("deployments.apps", "cap", "web") as Deployment;
    d.spec.template.spec.containers[0]!.image = "nginx:1.26";
    s.store.update("deployments.apps", d, { force: true });
    // The new ReplicaSet scales up only once no old pod is left.
    let overlap = false;
    const stop = s.store.watch("pods", { namespace: "cap" }, () => {
      const images = new Set(pods(s).map((p) => p.spec.containers[0]!.image));
      if (images.size > 1) overlap = true;
    });
    await s.waitFor("recreated", () => {
      const x = s.store.get("deployments.apps", "cap", "web") as Deployment;
      const ps = pods(s);
      const st = x.status ?? {};
      return st.observedGeneration === x.metadata.generation && st.updatedReplicas === 3 && st.availableReplicas === 3 && ps.length === 3 && ps.every((p) => p.spec.containers[0]!.image === "nginx:1.26");
    }, 15_000);
    stop();
    expect(overlap).toBe(false);
    const msgs = s.eventsFor("Deployment", "cap", "web").map((e) => String(e.message));
    expect(msgs.some((m) => /^Scaled down replica set web-\w+ from 3 to 0$/.test(m))).toBe(true);
  });
});
