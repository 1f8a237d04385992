import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { checks, runningForMs } from "./checks";
import type { K8sApis, ScenarioContext } from "./context";
import { realPod } from "./testdata/real-objects";

/**
 * checks.staticPodRunning on mirror pods shaped as a real kubelet reports them. The API is a
 * fake that serves the pods given in turn and the node's lease, so each test pins down one state.
 */

const NODE = "vm";
const NAME = `etcd-${NODE}`;

function mirror(container: Partial<V1ContainerStatus>, phase = "Running"): V1Pod {
  return realPod(NAME, { namespace: "kube-system", phase, image: "registry.k8s.io/etcd:3.5.16-0", nodeName: NODE, container });
}
const runningSince = (msAgo: number, restartCount = 0, id = "containerd://aaa", base = Date.now()) =>
  mirror({ ready: true, restartCount, containerID: id, state: { running: { startedAt: new Date(base - msAgo) } } });

function ctxServing(pods: (V1Pod | Error)[], opts: { leaseRenewed?: Date; signal?: AbortSignal; clock?: ScenarioContext["clock"] } = {}): ScenarioContext {
  let i = 0;
  const core = {
    readNamespacedPod: async () => {
      const p = pods[Math.min(i++, pods.length - 1)]!;
      if (p instanceof Error) throw p;
      return p;
    },
  };
  const coordination = {
    readNamespacedLease: async () => {
      if (!opts.leaseRenewed) throw Object.assign(new Error("not found"), { code: 404 });
      return { spec: { holderIdentity: NODE, renewTime: opts.leaseRenewed } };
    },
  };
  return {
    k8s: { core, coordination } as unknown as K8sApis,
    controlPlane: NODE,
    workers: [],
    clock: opts.clock ?? { timeScale: 1, now: () => new Date() },
    signal: opts.signal ?? new AbortController().signal,
  } as unknown as ScenarioContext;
}

/** A signal that is already aborted: a check that sleeps under it throws, so a pass proves no wait. */
function noWaiting(): AbortSignal {
  const c = new AbortController();
  c.abort(new Error("this check waited"));
  return c.signal;
}

describe("checks.staticPodRunning", () => {
  it("passes a container that has been running longer than the stable window, without waiting", async () => {
    const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([runningSince(60_000, 2)], { signal: noWaiting() }));
    expect(r).toEqual({ ok: true, message: `etcd on ${NODE} is running steadily.` });
  });

  it("fails at once a container that (re)started moments ago, as a crash-looping one briefly runs", async () => {
    const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([runningSince(3_000, 5)], { signal: noWaiting() }));
    expect(r).toEqual({
      ok: false,
      message: `etcd on ${NODE} has not been running steadily for 10 s yet.`,
      detail: { actual: "running for 3 s since it last started", expected: "running for at least 10 s without a restart" },
    });
  });

  it("measures the age by the cluster's clock when the node's lease is renewed ahead of this machine's (a sped-up sim clock)", async () => {
    const ahead = Date.now() + 3_600_000;
    // 60 s old by this machine's clock, 5 s old by the cluster's.
    const pod = runningSince(5_000, 0, "containerd://aaa", ahead);
    const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([pod], { leaseRenewed: new Date(ahead), signal: noWaiting() }));
    expect(r).toMatchObject({ ok: false, detail: { actual: "running for 5 s since it last started" } });
  });

  it("measures the age by the context's cluster clock (a time-scaled sim), lease or not", async () => {
    const simNow = Date.now() + 120_000; // the sim clock runs ahead of this machine's
    const clock = { timeScale: 10, now: () => new Date(simNow) };
    const steady = await checks.staticPodRunning({ component: "etcd", node: NODE, stableSeconds: 10 })(
      ctxServing([runningSince(30_000, 0, "containerd://aaa", simNow)], { clock, signal: noWaiting() }),
    );
    expect(steady).toMatchObject({ ok: true });
    const fresh = await checks.staticPodRunning({ component: "etcd", node: NODE, stableSeconds: 10 })(
      ctxServing([runningSince(3_000, 0, "containerd://aaa", simNow)], { clock, signal: noWaiting() }),
    );
    expect(fresh).toMatchObject({ ok: false, message: `etcd on ${NODE} has not been running steadily for 10 s yet.` });
  });

  it("fails a container in CrashLoopBackOff with kubectl's reason", async () => {
    const pod = mirror({ ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container=etcd" } } });
    const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([pod]));
    expect(r).toEqual({ ok: false, message: `etcd on ${NODE} is not running and ready.`, detail: { actual: "CrashLoopBackOff", expected: "Running and ready" } });
  });

  it("fails a container that runs but is not ready yet", async () => {
    const pod = mirror({ ready: false, state: { running: { startedAt: new Date(Date.now() - 60_000) } } });
    const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([pod]));
    expect(r).toMatchObject({ ok: false, message: `etcd on ${NODE} is not running and ready.`, detail: { actual: "Running" } });
  });

  it("fails when there is no mirror pod", async () => {
    const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([Object.assign(new Error("pods not found"), { code: 404 })]));
    expect(r).toEqual({
      ok: false,
      message: `etcd is not reported as running on ${NODE}.`,
      detail: { actual: `no pod kube-system/${NAME}`, expected: `pod kube-system/${NAME} Running` },
    });
  });

  it("fails fast when the API server refuses connections", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { cause: { code: "ECONNREFUSED" } });
    const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([refused], { signal: noWaiting() }));
    expect(r).toEqual({
      ok: false,
      message: "The API server is not answering, so that etcd is running cannot be confirmed yet.",
      detail: { actual: "the API server refused the connection", expected: "the API server answers" },
    });
  });

  it("without start times, samples twice and fails a container whose restart count moved", async () => {
    const noStart = (restartCount: number, id: string) => mirror({ ready: true, restartCount, containerID: id, state: { running: {} } });
    const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 0.05 })(ctxServing([noStart(1, "containerd://a"), noStart(2, "containerd://b")]));
    expect(r).toEqual({
      ok: false,
      message: `etcd on ${NODE} keeps restarting.`,
      detail: { actual: "restart count went from 1 to 2 in 0.05 s", expected: "no restart" },
    });
  });

  it("with stableSeconds 0, passes any running and ready container", async () => {
    const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 0 })(ctxServing([runningSince(0)], { signal: noWaiting() }));
    expect(r.ok).toBe(true);
  });
});

describe("runningForMs", () => {
  it("is the age of the most recently started container, and unknown when one gives no start time", () => {
    const now = Date.parse("2026-11-21T08:10:00Z");
    const two = realPod("p", { phase: "Running" });
    two.status!.containerStatuses = [
      { name: "a", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: { startedAt: new Date("2026-11-21T08:00:00Z") } } },
      { name: "b", image: "x", imageID: "", ready: true, restartCount: 3, state: { running: { startedAt: new Date("2026-11-21T08:09:30Z") } } },
    ];
    expect(runningForMs(two, now)).toBe(30_000);
    two.status!.containerStatuses[1]!.state = { running: {} };
    expect(runningForMs(two, now)).toBeUndefined();
  });
});
