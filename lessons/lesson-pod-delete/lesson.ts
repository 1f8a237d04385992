import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, podCondition, podGone, waitUntil } from "@/lib/lessons/lesson-checks";

const NS = "default";
const MANIFEST = "/root/lesson/slow.yaml";
const GRACE_SECONDS = 600;

/** A pod that takes its time to stop: a shell as PID 1 ignores SIGTERM, and the grace period is long. */
const SLOW_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  terminationGracePeriodSeconds: ${GRACE_SECONDS}
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep infinity"]
    lifecycle:
      preStop:
        exec:
          command: ["sh", "-c", "sleep 20"]
`;

const WEB_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
`;

const running = (name: string) =>
  podCheck({ namespace: NS, name, missing: `There is no pod ${name} yet.` }, (pod) =>
    pod.status.phase === "Running" && podCondition(pod, "Ready") === "True" && !pod.metadata.deletionTimestamp
      ? { ok: true, message: `Pod ${name} is Running on ${pod.spec.nodeName ?? "its node"}.` }
      : { ok: false, message: `Pod ${name} is not Running yet.`, detail: { actual: `phase ${pod.status.phase ?? "(none)"}`, expected: "phase Running, Ready" } },
  );

export default defineLesson({
  id: "lesson-pod-delete",
  title: "Deleting a pod: grace, preStop, SIGTERM, SIGKILL and force",
  summary: "Delete pods that stop at once and one that takes its whole grace period, then force one out of the API and see what that skips.",
  minutes: 15,
  cluster: { workers: 1 },
  images: ["nginx:1.27", "busybox:1.36"],
  async setup(ctx) {
    await ctx.node(ctx.controlPlane).writeFile(MANIFEST, SLOW_YAML);
    await ctx.apply(WEB_YAML);
    await waitUntil(ctx, running("web"), { what: "pod web to be Running" });
  },
  steps: [
    {
      id: "delete-web",
      title: "Delete a pod that stops at once",
      command: "kubectl delete pod web",
      text: `A pod named **web** (nginx) is running. \`kubectl delete\` does not remove it from etcd. The API server sets
\`metadata.deletionTimestamp\` and \`deletionGracePeriodSeconds\` (the pod's \`terminationGracePeriodSeconds\`, 30 s by default):
the pod is now **Terminating**. The endpoints controller takes it out of every Service at once.

The **kubelet** on its node sees the timestamp, runs the container's **preStop** hook if it has one, then asks the runtime to
send **SIGTERM** to the container's PID 1. nginx handles SIGTERM and exits in a moment; the kubelet then deletes the pod object
with grace 0 and it is gone. \`kubectl delete\` waits for that by default, which is why it returned only once the pod was gone.`,
      check: podGone({ namespace: NS, name: "web" }),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "delete", "pod", "web", "--timeout=120s"]);
        if (r.code !== 0) throw new Error(`kubectl delete failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "create-slow",
      title: "Create a pod that stops slowly",
      command: `kubectl apply -f ${MANIFEST}`,
      text: `Read \`${MANIFEST}\` first. Pod **slow** runs \`sleep\` under \`sh\`, has \`terminationGracePeriodSeconds: ${GRACE_SECONDS}\` and a
**preStop** hook that sleeps 20 s.

Two things make it slow to stop. The grace period is the **whole budget** for stopping: it covers the preStop hook and the time
after SIGTERM. And a shell running as **PID 1** in a container has no default signal handlers, so SIGTERM does nothing to it: only
the **SIGKILL** the runtime sends when the grace period runs out ends it. (The simulated cluster does not run preStop hooks;
the grace period and the signals are modelled.)`,
      check: running("slow"),
      async solve(ctx) {
        await ctx.apply(SLOW_YAML);
        await waitUntil(ctx, running("slow"), { what: "pod slow to be Running" });
      },
    },
    {
      id: "delete-slow",
      title: "Delete it gracefully, without waiting",
      command: "kubectl delete pod slow --wait=false",
      text: `\`--wait=false\` returns as soon as the API server has accepted the deletion. Now look:

- \`kubectl get pod slow\` shows **Terminating**;
- \`kubectl get pod slow -o jsonpath='{.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}'\` shows when the
  deletion was asked for and the ${GRACE_SECONDS} s budget;
- \`kubectl describe pod slow\` has the kubelet's \`Killing\` event: \`Stopping container app\`.

The pod would stay Terminating for up to ${GRACE_SECONDS / 60} minutes: preStop, then SIGTERM (ignored), then SIGKILL at the end of the grace period.`,
      check: podCheck({ namespace: NS, name: "slow", missing: "Pod slow is gone already: create it again with the previous step's command." }, (pod) =>
        pod.metadata.deletionTimestamp
          ? { ok: true, message: `Pod slow is Terminating, with a grace period of ${pod.metadata.deletionGracePeriodSeconds ?? "?"} s.` }
          : { ok: false, message: "Pod slow is Running; it has not been asked to stop yet.", detail: { actual: "no deletionTimestamp", expected: "deletionTimestamp set" } },
      ),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "delete", "pod", "slow", "--wait=false"]);
        if (r.code !== 0) throw new Error(`kubectl delete failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "force",
      title: "Force it out of the API",
      command: "kubectl delete pod slow --grace-period=0 --force",
      text: `\`--grace-period=0 --force\` deletes the object from etcd **immediately**, without waiting for the kubelet to confirm that the
containers stopped. kubectl says so: \`Warning: Immediate deletion does not wait for confirmation that the running resource has
been terminated. The resource may continue to run on the cluster indefinitely.\`

That is the danger. The API no longer knows the pod while its process may still run on the node (a node that is unreachable never
hears of it). A controller may then start a replacement; for a StatefulSet that means two pods with one identity writing the same
data. Force deletion is for pods whose node is gone for good, not for impatience.`,
      check: podGone({ namespace: NS, name: "slow" }),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "delete", "pod", "slow", "--grace-period=0", "--force"]);
        if (r.code !== 0) throw new Error(`kubectl delete --force failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
