import { z } from "zod";
import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, podCondition, readPod, waitUntil, type LessonCheckFn } from "@/lib/lessons/lesson-checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";

const NS = "default";

/**
 * A long-running pod on the worker. It tolerates the unreachable taint for an hour instead of the
 * default 300 s, so it is still there to look at while its node is lost.
 */
const KEEPER_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: keeper
spec:
  containers:
  - name: web
    image: nginx:1.27
  tolerations:
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 3600
`;

const nodeSchema = z.object({ status: z.object({ conditions: z.array(z.object({ type: z.string(), status: z.string() }).loose()).default([]) }).loose() }).loose();

async function nodeReady(ctx: ScenarioContext, node: string): Promise<string> {
  const r = await ctx.kubectl(["get", "node", node, "-o", "json"], { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(`could not read node ${node}: ${r.stderr.trim()}`);
  return nodeSchema.parse(JSON.parse(r.stdout)).status.conditions.find((c) => c.type === "Ready")?.status ?? "Unknown";
}

const keeperReady = podCheck({ namespace: NS, name: "keeper", missing: "Pod keeper is missing." }, (pod) =>
  pod.status.phase === "Running" && podCondition(pod, "Ready") === "True"
    ? { ok: true, message: "keeper is Running and Ready." }
    : { ok: false, message: `keeper is ${pod.status.phase ?? "Pending"}, Ready=${podCondition(pod, "Ready") ?? "unknown"}.` },
);

function ended(name: string, phase: "Succeeded" | "Failed", exitCode?: number): LessonCheckFn {
  return podCheck({ namespace: NS, name, missing: `There is no pod ${name} yet.` }, (pod) => {
    const term = pod.status.containerStatuses[0]?.state?.terminated;
    if (pod.status.phase !== phase) return { ok: false, message: `${name} is ${pod.status.phase ?? "Pending"}.`, detail: { actual: pod.status.phase ?? "Pending", expected: phase } };
    if (exitCode !== undefined && term?.exitCode !== exitCode)
      return { ok: false, message: `${name} is ${phase} but exited with ${term?.exitCode ?? "?"}.`, detail: { actual: `exit ${term?.exitCode ?? "?"}`, expected: `exit ${exitCode}` } };
    return { ok: true, message: `${name} is ${phase}${term ? ` (exit code ${term.exitCode}, reason ${term.reason ?? "?"})` : ""}.` };
  });
}

async function run(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.kubectl(["-n", NS, "run", ...argv]);
  if (r.code !== 0) throw new Error(`kubectl run failed: ${r.stderr.trim()}`);
}

export default defineLesson({
  id: "lesson-pod-phases",
  title: "Pod phases and restart policies",
  summary: "Pending, Running, Succeeded (Completed), Failed and a lost node: what each phase means, who sets it, and how restartPolicy changes the ending.",
  minutes: 20,
  cluster: { workers: 1 },
  images: ["nginx:1.27", "busybox:1.36"],
  async setup(ctx) {
    await ctx.apply(KEEPER_YAML);
    await waitUntil(ctx, keeperReady, { what: "pod keeper to be Running" });
  },
  steps: [
    {
      id: "succeeded",
      title: "A pod that finishes: Succeeded",
      command: `kubectl run once --image=busybox:1.36 --restart=Never -- sh -c "echo done"`,
      text: `A pod's \`status.phase\` is a summary, written by the **kubelet**: **Pending** (accepted, but not all containers have started:
scheduling, image pulls, init containers), **Running** (bound, all containers created, at least one running or restarting),
**Succeeded** (all containers exited 0 and will not restart), **Failed** (all containers ended, at least one non-zero, and none
will restart), and **Unknown** (the state could not be obtained).

With \`--restart=Never\` (\`restartPolicy: Never\`) a container that exits is not started again. \`echo\` exits 0, so the pod ends
**Succeeded**, which \`kubectl get pod once\` prints as **Completed** (the container's terminated reason). It is kept, logs and all
(\`kubectl logs once\`), until someone deletes it.`,
      check: ended("once", "Succeeded", 0),
      async solve(ctx) {
        await run(ctx, ["once", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "echo done"]);
      },
    },
    {
      id: "failed",
      title: "A pod that fails: Failed",
      command: `kubectl run oops --image=busybox:1.36 --restart=Never -- sh -c "exit 3"`,
      text: `Same policy, but the command exits **3**. The pod ends **Failed**; kubectl's STATUS column shows **Error**, the reason the
runtime gave the terminated container. \`kubectl get pod oops -o jsonpath='{.status.containerStatuses[0].state.terminated}'\`
shows \`exitCode: 3\`. Exit codes above 128 mean a signal: 137 is 128+9 (SIGKILL, also what an OOM kill looks like), 143 is
128+15 (SIGTERM).`,
      check: ended("oops", "Failed", 3),
      async solve(ctx) {
        await run(ctx, ["oops", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "exit 3"]);
      },
    },
    {
      id: "on-failure",
      title: "Restart on failure: CrashLoopBackOff is not a phase",
      command: `kubectl run retry --image=busybox:1.36 --restart=OnFailure -- sh -c "exit 1"`,
      text: `With \`restartPolicy: OnFailure\` the kubelet restarts a container that exits non-zero (with **Always**, the default for
pods and the only choice in a Deployment, it restarts it whatever the exit code). The pod does not fail: its phase stays
**Running** while RESTARTS grows, and between restarts the kubelet waits 10 s, 20 s, 40 s … up to 5 minutes. That wait is what
kubectl shows as **CrashLoopBackOff**: a container waiting reason, not a phase. \`kubectl logs retry --previous\` shows what the last run printed.`,
      check: podCheck({ namespace: NS, name: "retry", missing: "There is no pod retry yet." }, (pod): CheckResult => {
        const restarts = pod.status.containerStatuses[0]?.restartCount ?? 0;
        if (restarts < 1) return { ok: false, message: `retry has not been restarted yet (phase ${pod.status.phase ?? "Pending"}).`, detail: { actual: `${restarts} restarts`, expected: "at least 1 restart" } };
        if (pod.status.phase === "Failed" || pod.status.phase === "Succeeded") return { ok: false, message: `retry ended ${pod.status.phase}; with OnFailure it should be restarted.` };
        return { ok: true, message: `retry was restarted ${restarts} time(s) and its phase is still ${pod.status.phase ?? "Running"}.` };
      }),
      async solve(ctx) {
        await run(ctx, ["retry", "--image=busybox:1.36", "--restart=OnFailure", "--", "sh", "-c", "exit 1"]);
      },
    },
    {
      id: "lost",
      title: "Lose the node: the kubelet stops reporting",
      command: "systemctl stop kubelet",
      text: `Run this one in the **worker's terminal** (its tab), not the control plane's. Pod **keeper** (nginx) runs there.

Phases are written by the kubelet, so a node whose kubelet is gone can say nothing about its pods. The kubelet renews its node
**Lease** every 10 s; when none has come for the node monitor grace period (about 50 s), the **node lifecycle controller**
sets the node's conditions to **Unknown** (\`Kubelet stopped posting node status.\`), taints it
\`node.kubernetes.io/unreachable\`, and marks its pods **not Ready**, so Services stop sending them traffic. Wait about a minute and
look: \`kubectl get nodes\`, \`kubectl describe node\`, \`kubectl get pod keeper -o wide\`.

The pod's phase is left as last reported (**Running**): nobody can know better. The **Unknown** phase was meant for exactly
this situation, but today's control plane does not set it; it marks the pod not Ready instead (older clusters showed such pods
as STATUS **Unknown**, reason \`NodeLost\`). After the toleration of the unreachable taint runs out (300 s by default; keeper
asked for 3600 s) the pods are evicted and stay **Terminating** until the kubelet comes back or someone force-deletes them.
The containers themselves never noticed: they are still running on the node.`,
      async check(ctx): Promise<CheckResult> {
        const worker = ctx.workers[0];
        if (!worker) return { ok: false, message: "This cluster has no worker node." };
        const ready = await nodeReady(ctx, worker);
        if (ready !== "Unknown")
          return { ok: false, message: `Node ${worker} is still reporting (Ready=${ready}).`, detail: { actual: `Ready=${ready}`, expected: "Ready=Unknown" } };
        const pod = await readPod(ctx, NS, "keeper");
        if (!pod) return { ok: false, message: "Pod keeper is gone." };
        if (podCondition(pod, "Ready") !== "False")
          return { ok: false, message: `Node ${worker} is lost; keeper is not marked not-Ready yet.`, detail: { actual: `Ready=${podCondition(pod, "Ready") ?? "?"}`, expected: "Ready=False" } };
        return { ok: true, message: `Node ${worker} is Unknown; keeper is not Ready and its phase is still ${pod.status.phase ?? "?"}.` };
      },
      async solve(ctx) {
        const worker = ctx.workers[0];
        if (!worker) throw new Error("this lesson needs a worker node");
        const r = await ctx.node(worker).exec(["systemctl", "stop", "kubelet"]);
        if (r.code !== 0) throw new Error(`systemctl stop kubelet failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "back",
      title: "Bring the node back",
      command: "systemctl start kubelet",
      text: `Again in the **worker's terminal**. The kubelet starts, renews its Lease and posts the node's status: **Ready** again, the
taints come off. It finds keeper's container still running, probes it, and reports the pod **Ready** again. Nothing was
restarted: losing contact is not losing the workload. (A pod that had been evicted meanwhile would now be cleaned up by the kubelet.)`,
      async check(ctx): Promise<CheckResult> {
        const worker = ctx.workers[0];
        if (!worker) return { ok: false, message: "This cluster has no worker node." };
        const ready = await nodeReady(ctx, worker);
        if (ready !== "True") return { ok: false, message: `Node ${worker} is not Ready (Ready=${ready}).`, detail: { actual: `Ready=${ready}`, expected: "Ready=True" } };
        return keeperReady(ctx);
      },
      async solve(ctx) {
        const worker = ctx.workers[0];
        if (!worker) throw new Error("this lesson needs a worker node");
        const r = await ctx.node(worker).exec(["systemctl", "start", "kubelet"]);
        if (r.code !== 0) throw new Error(`systemctl start kubelet failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
