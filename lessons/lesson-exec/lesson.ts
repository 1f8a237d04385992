import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, podCondition, readyColumn, waitUntil } from "@/lib/lessons/lesson-checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";

const NS = "default";

/** Two containers; the first is Ready only once /tmp/ready exists (an exec readiness probe). */
const BOX_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: box
  annotations:
    kubectl.kubernetes.io/default-container: main
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep infinity"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready"]
      periodSeconds: 2
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "sleep infinity"]
`;

/** Whether `file` exists in `container` of pod box, asked through exec like the learner does. */
async function hasFile(ctx: ScenarioContext, container: string, file: string): Promise<boolean> {
  const r = await ctx.kubectl(["-n", NS, "exec", "box", "-c", container, "--", "cat", file], { timeoutMs: 15_000 });
  return r.code === 0;
}

const boxRunning = podCheck({ namespace: NS, name: "box", missing: "Pod box is missing." }, (pod) =>
  pod.status.phase === "Running" ? { ok: true, message: "box is Running." } : { ok: false, message: `box is ${pod.status.phase ?? "Pending"}.` },
);

export default defineLesson({
  id: "lesson-exec",
  title: "kubectl exec: from the API server to the container",
  summary: "Run commands inside a container and see the path they take: API server, kubelet, CRI, the container's namespaces.",
  minutes: 10,
  cluster: { workers: 1 },
  images: ["busybox:1.36"],
  async setup(ctx) {
    await ctx.apply(BOX_YAML);
    await waitUntil(ctx, boxRunning, { what: "pod box to be Running" });
  },
  steps: [
    {
      id: "touch",
      title: "Run one command in the container",
      command: "kubectl exec box -- touch /tmp/hello",
      text: `Pod **box** runs two containers, \`main\` and \`side\`. Everything after \`--\` is the command, run as an argv (no shell unless you
ask for one: \`kubectl exec box -- sh -c '…'\`).

The path: kubectl opens a **WebSocket** to the API server (an upgraded \`GET /api/v1/namespaces/default/pods/box/exec?command=touch&…\`,
subprotocol \`v5.channel.k8s.io\`: one channel each for stdin, stdout, stderr, errors and resize). The API server checks that you
may \`create\` the \`pods/exec\` subresource (RBAC) and forwards the stream to the **kubelet** on the pod's node (port 10250). The
kubelet asks the runtime over **CRI** (\`Exec\`), and containerd/runc start the process **inside the container's namespaces**:
its filesystem, its network, its PID namespace. The exit code comes back the same way; a non-zero one makes kubectl print
\`command terminated with exit code N\`.

Try \`kubectl exec box -- cat /tmp/hello\` afterwards (exit 0, empty file) and \`kubectl exec box -- cat /tmp/nope\`.`,
      async check(ctx): Promise<CheckResult> {
        return (await hasFile(ctx, "main", "/tmp/hello"))
          ? { ok: true, message: "/tmp/hello exists in container main." }
          : { ok: false, message: "There is no /tmp/hello in container main yet.", detail: { actual: "cat /tmp/hello fails", expected: "the file exists" } };
      },
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "exec", "box", "--", "touch", "/tmp/hello"]);
        if (r.code !== 0) throw new Error(`kubectl exec failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "ready",
      title: "Make the readiness probe pass",
      command: "kubectl exec box -- touch /tmp/ready",
      text: `\`kubectl get pod box\` shows **READY 1/2**: container \`main\` has a readiness probe, \`cat /tmp/ready\`, that fails
(\`kubectl describe pod box\`: \`Readiness probe failed: cat: can't open '/tmp/ready'\`).

An **exec probe** is the kubelet running a command in the container through the very same CRI \`Exec\` call, every
\`periodSeconds\`. Create the file and the next probe succeeds: the container turns ready, the pod's \`Ready\` condition turns
True, and READY shows **2/2**. Readiness only decides whether a pod receives Service traffic; a failing readiness probe never restarts anything.`,
      check: podCheck({ namespace: NS, name: "box", missing: "Pod box is missing." }, (pod) =>
        podCondition(pod, "Ready") === "True"
          ? { ok: true, message: `box is Ready (READY ${readyColumn(pod)}).` }
          : { ok: false, message: `box is not Ready (READY ${readyColumn(pod)}).`, detail: { actual: `Ready=${podCondition(pod, "Ready") ?? "unknown"}`, expected: "Ready=True" } },
      ),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "exec", "box", "--", "touch", "/tmp/ready"]);
        if (r.code !== 0) throw new Error(`kubectl exec failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "container",
      title: "Choose the container with -c",
      command: "kubectl exec box -c side -- touch /tmp/side",
      text: `Without \`-c\`, kubectl uses the pod's default container (the \`kubectl.kubernetes.io/default-container\` annotation, else the
first one) and says which: \`Defaulted container "main" out of: main, side\`.

Containers of one pod share the network namespace (same IP, \`localhost\` between them) but each has **its own filesystem**.
After this command \`kubectl exec box -c side -- cat /tmp/side\` succeeds while \`kubectl exec box -c main -- cat /tmp/side\`
fails: the file exists only where it was made.

For an interactive shell you would use \`kubectl exec -it box -c side -- sh\` (\`-i\` keeps stdin open, \`-t\` allocates a TTY).`,
      async check(ctx): Promise<CheckResult> {
        if (!(await hasFile(ctx, "side", "/tmp/side")))
          return { ok: false, message: "There is no /tmp/side in container side yet.", detail: { actual: "cat /tmp/side fails in side", expected: "the file exists in side" } };
        if (await hasFile(ctx, "main", "/tmp/side")) return { ok: false, message: "/tmp/side exists in container main too: make it in side only." };
        return { ok: true, message: "/tmp/side exists in container side and not in main." };
      },
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "exec", "box", "-c", "side", "--", "touch", "/tmp/side"]);
        if (r.code !== 0) throw new Error(`kubectl exec failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
