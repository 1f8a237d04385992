import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { checks, runningForMs } from "./checks";
import type { ExecResult } from "@/lib/cluster/types";
import type { K8sApis, ScenarioContext } from "./context";
import { parseCrictlPs } from "./runtime-view";
import { CRICTL_PS_A, crictlInspect, crictlPsNamed } from "./testdata/real-crictl";
import { realPod } from "./testdata/real-objects";

/**
 * checks.staticPodRunning on mirror pods shaped as a real kubelet reports them, and on a real
 * node's crictl output when there is no mirror pod. The API is a fake that serves the pods given
 * in turn and the node's lease, and the node a fake that answers crictl, so each test pins down
 * one state.
 */

const NODE = "vm";
const NAME = `etcd-${NODE}`;

const notFound = () => Object.assign(new Error("pods not found"), { code: 404 });

function mirror(container: Partial<V1ContainerStatus>, phase = "Running"): V1Pod {
  return realPod(NAME, { namespace: "kube-system", phase, image: "registry.k8s.io/etcd:3.5.16-0", nodeName: NODE, container });
}
const runningSince = (msAgo: number, restartCount = 0, id = "containerd://aaa", base = Date.now()) =>
  mirror({ ready: true, restartCount, containerID: id, state: { running: { startedAt: new Date(base - msAgo) } } });

type NodeExec = (argv: string[]) => ExecResult;

function ctxServing(
  pods: (V1Pod | Error)[],
  opts: { leaseRenewed?: Date; signal?: AbortSignal; clock?: ScenarioContext["clock"]; nodeExec?: NodeExec; execLog?: string[][] } = {},
): ScenarioContext {
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
    node: (name: string) => ({
      name,
      exec: async (argv: string[]) => {
        opts.execLog?.push([name, ...argv]);
        if (!opts.nodeExec) throw new Error("this test gave the node no exec");
        return opts.nodeExec(argv);
      },
    }),
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

  it("fails when there is no mirror pod and the runtime has no such container", async () => {
    const execLog: string[][] = [];
    const nodeExec: NodeExec = (argv) => ({ code: 0, stdout: crictlPsNamed(new RegExp(argv.at(-1)!)), stderr: "" });
    const r = await checks.staticPodRunning({ component: "kube-proxy" })(ctxServing([notFound()], { nodeExec, execLog }));
    // The node has a kube-proxy container, but of pod kube-proxy-9cxvw, not of a static pod kube-proxy-vm.
    expect(execLog).toEqual([[NODE, "crictl", "ps", "-a", "--name", "^kube-proxy$"]]);
    expect(r).toEqual({
      ok: false,
      message: `kube-proxy is not reported as running on ${NODE}.`,
      detail: { actual: `no pod kube-system/kube-proxy-${NODE}, and no kube-proxy container on ${NODE}`, expected: `pod kube-system/kube-proxy-${NODE} Running` },
    });
  });

  describe("without a mirror pod (a kubelet that cannot get its Node publishes none)", () => {
    const base = Date.parse("2026-11-21T08:10:00Z");
    const clock = { timeScale: 1, now: () => new Date(base) };
    /** crictl on the node: `ps -a --name` from the recorded table, `inspect` of the recorded container ids. */
    function recordedNode(started: Record<string, { startedMsAgo: number; attempt: number; name: string; pod: string; sandbox: string }>): NodeExec {
      return (argv) => {
        if (argv[1] === "ps") return { code: 0, stdout: crictlPsNamed(new RegExp(argv.at(-1)!)), stderr: "" };
        const c = argv[1] === "inspect" ? started[argv[2]!] : undefined;
        if (!c) return { code: 1, stdout: "", stderr: `FATA[0000] getting the status of the container "${argv[2]}": not found\n` };
        const at = new Date(base - c.startedMsAgo).toISOString().replace("Z", "123456Z");
        return {
          code: 0,
          stdout: crictlInspect({
            id: `${argv[2]}${"0".repeat(51)}`,
            name: c.name,
            attempt: c.attempt,
            pod: c.pod,
            podUid: "bd8b1f1f7ec248fb91965a18bb2161c3",
            sandboxId: `${c.sandbox}${"0".repeat(51)}`,
            state: "CONTAINER_RUNNING",
            createdAt: at,
            startedAt: at,
            image: "registry.k8s.io/etcd:3.5.3-0",
            imageRef: "sha256:91c449bb913130bc55d4ab6ba0d8a2c6d1a1f1e4f2b3c4d5e6f708192a3b4c5d",
          }),
          stderr: "",
        };
      };
    }
    const etcd = { "e7dbf6d9feb32": { startedMsAgo: 9 * 60_000, attempt: 2, name: "etcd", pod: "etcd-vm", sandbox: "aba5a6c44a725" } };

    it("passes a container the node's runtime has run longer than the stable window, and says where it looked", async () => {
      const execLog: string[][] = [];
      const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([notFound()], { nodeExec: recordedNode(etcd), execLog, clock, signal: noWaiting() }));
      expect(r).toEqual({ ok: true, message: `etcd on ${NODE} is running steadily (its container runtime shows it; the API has no pod kube-system/${NAME}).` });
      expect(execLog).toEqual([
        [NODE, "crictl", "ps", "-a", "--name", "^etcd$"],
        [NODE, "crictl", "inspect", "e7dbf6d9feb32"],
      ]);
    });

    it("asks the runtime too when the API refuses the grader (403: an etcd without kubeadm's RBAC), and says so", async () => {
      const forbidden = Object.assign(new Error('pods "etcd-vm" is forbidden'), { code: 403 });
      const execLog: string[][] = [];
      const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([forbidden], { nodeExec: recordedNode(etcd), execLog, clock, signal: noWaiting() }));
      expect(r).toEqual({ ok: true, message: `etcd on ${NODE} is running steadily (its container runtime shows it; the API refused to show pod kube-system/${NAME} (403)).` });
      expect(execLog[0]).toEqual([NODE, "crictl", "ps", "-a", "--name", "^etcd$"]);
    });

    it("fails, without asking the runtime, when the API answers with another error", async () => {
      const broken = Object.assign(new Error("etcdserver: request timed out"), { code: 500 });
      const execLog: string[][] = [];
      const r = await checks.staticPodRunning({ component: "etcd", stableSeconds: 10 })(ctxServing([broken], { nodeExec: recordedNode(etcd), execLog, clock, signal: noWaiting() }));
      expect(r.ok).toBe(false);
      expect(execLog).toEqual([]);
    });

    it("fails a container the runtime started moments ago, from the newest row of crictl ps", async () => {
      const apiserver = { "666b4843031d3": { startedMsAgo: 3_000, attempt: 12, name: "kube-apiserver", pod: "kube-apiserver-vm", sandbox: "2e4706bd6751f" } };
      const r = await checks.staticPodRunning({ component: "kube-apiserver", stableSeconds: 10 })(ctxServing([notFound()], { nodeExec: recordedNode(apiserver), clock, signal: noWaiting() }));
      expect(r).toEqual({
        ok: false,
        message: `kube-apiserver on ${NODE} has not been running steadily for 10 s yet.`,
        detail: { actual: "running for 3 s since it last started", expected: "running for at least 10 s without a restart" },
      });
    });

    it("fails when the newest container has exited, with its attempt", async () => {
      const exitedOnly: NodeExec = () => ({ code: 0, stdout: crictlPsNamed(/^kube-apiserver$/).replace(/^666b4843031d3.*\n/m, ""), stderr: "" });
      const r = await checks.staticPodRunning({ component: "kube-apiserver" })(ctxServing([notFound()], { nodeExec: exitedOnly, signal: noWaiting() }));
      expect(r).toEqual({
        ok: false,
        message: `kube-apiserver on ${NODE} is not running.`,
        detail: { actual: `no pod kube-system/kube-apiserver-${NODE}; the newest kube-apiserver container on ${NODE} is Exited (attempt 11)`, expected: "a running container" },
      });
    });

    it("fails with crictl's own error when the runtime does not answer", async () => {
      const down: NodeExec = () => ({
        code: 1,
        stdout: "",
        stderr:
          'FATA[0000] validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"\n',
      });
      const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([notFound()], { nodeExec: down, signal: noWaiting() }));
      expect(r).toMatchObject({ ok: false, message: `etcd is not reported as running on ${NODE}.` });
      expect(r.detail?.actual).toMatch(new RegExp(`^no pod kube-system/${NAME}, and crictl on ${NODE} did not answer: FATA\\[0000\\] validate service connection: `));
    });

    it("does not take another pod's container of the same name for the static pod's", async () => {
      const otherPod = { "e7dbf6d9feb32": { ...etcd["e7dbf6d9feb32"], pod: "etcd-backup-job" } };
      const r = await checks.staticPodRunning({ component: "etcd" })(ctxServing([notFound()], { nodeExec: recordedNode(otherPod), clock, signal: noWaiting() }));
      expect(r).toMatchObject({ ok: false, detail: { actual: `no pod kube-system/${NAME}, and no etcd container on ${NODE}` } });
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

describe("parseCrictlPs", () => {
  it("reads every row of a real crictl ps -a, cutting cells that hold spaces at the column titles", () => {
    const rows = parseCrictlPs(CRICTL_PS_A);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({ container: "666b4843031d3", image: "9a22dbe1c1ea5", created: "4 minutes ago", state: "Running", name: "kube-apiserver", attempt: 12, podId: "2e4706bd6751f", pod: "kube-apiserver-vm" });
    expect(rows.find((r) => r.name === "kube-controller-manager")).toMatchObject({ attempt: 6, pod: "kube-controller-manager-vm" });
    expect(rows.at(-1)).toMatchObject({ container: "2295cdf4bfe18", created: "34 minutes ago", state: "Exited", name: "main", pod: "sleeper" });
  });

  it("gives no rows for output that is not crictl's table", () => {
    expect(parseCrictlPs("")).toEqual([]);
    expect(parseCrictlPs("e7dbf6d9feb32\n")).toEqual([]);
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
