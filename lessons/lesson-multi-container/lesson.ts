import { defineLesson } from "@/lib/lessons/define-lesson";
import { podCheck, podCondition, readyColumn } from "@/lib/lessons/lesson-checks";

const NS = "default";
const DUO = "/root/lesson/duo.yaml";
const TRIO = "/root/lesson/trio.yaml";

/** An init container, a web server, and a helper that is Ready only once /tmp/ready exists. */
const DUO_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  terminationGracePeriodSeconds: 5
  initContainers:
  - name: init
    image: busybox:1.36
    command: ["sh", "-c", "sleep 5"]
  containers:
  - name: web
    image: nginx:1.27
  - name: helper
    image: busybox:1.36
    command: ["sh", "-c", "sleep infinity"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready"]
      periodSeconds: 2
`;

/** A web server beside a sidecar that exits at once, again and again. */
const TRIO_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: trio
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: web
    image: nginx:1.27
  - name: broken
    image: busybox:1.36
    command: ["sh", "-c", "echo cannot start; exit 1"]
`;

export default defineLesson({
  id: "lesson-multi-container",
  title: "Pods with several containers: READY 1/2 and friends",
  summary: "Init containers, sidecars, per-container readiness and restarts, and how kubectl sums them up in READY and STATUS.",
  minutes: 15,
  cluster: { workers: 1 },
  images: ["nginx:1.27", "busybox:1.36"],
  async setup(ctx) {
    await ctx.node(ctx.controlPlane).writeFile(DUO, DUO_YAML);
    await ctx.node(ctx.controlPlane).writeFile(TRIO, TRIO_YAML);
  },
  steps: [
    {
      id: "start",
      title: "Start a pod with an init container and two containers",
      command: `kubectl apply -f ${DUO}`,
      text: `Read \`${DUO}\` first, then apply it and watch with \`kubectl get pod duo -w\` (Ctrl-C to stop).

All containers of a pod share one **sandbox** (one network namespace and IP, one set of volumes) and land on one node.
**Init containers** run first, one at a time, each to completion: STATUS shows **Init:0/1** while \`init\` sleeps, then
**PodInitializing**. Only then does the kubelet start the regular containers, \`web\` and \`helper\`.

READY counts **ready containers / containers**. \`web\` has no probe, so it is ready once running; \`helper\` has a readiness
probe that fails. So the pod is **Running** with **READY 1/2**, and its \`Ready\` condition is False: a Service would not send it traffic.`,
      check: podCheck({ namespace: NS, name: "duo", missing: "There is no pod duo yet." }, (pod) => {
        const web = pod.status.containerStatuses.find((c) => c.name === "web");
        return pod.status.phase === "Running" && web?.ready
          ? { ok: true, message: `duo is Running with READY ${readyColumn(pod)}.` }
          : { ok: false, message: `duo is ${pod.status.phase ?? "Pending"} (READY ${readyColumn(pod)}).`, detail: { actual: pod.status.phase ?? "Pending", expected: "Running, web ready" } };
      }),
      async solve(ctx) {
        await ctx.apply(DUO_YAML);
      },
    },
    {
      id: "all-ready",
      title: "Make the second container ready",
      command: "kubectl exec duo -c helper -- touch /tmp/ready",
      text: `The probe runs in \`helper\`, so the file must be made there (\`-c helper\`). At the next probe \`helper\` turns ready:
**READY 2/2**, conditions \`ContainersReady\` and \`Ready\` True (\`kubectl get pod duo -o jsonpath='{.status.conditions}'\`).
The pod counts as ready only when **every** container is.`,
      check: podCheck({ namespace: NS, name: "duo", missing: "Pod duo is missing." }, (pod) =>
        podCondition(pod, "Ready") === "True"
          ? { ok: true, message: `duo is Ready (READY ${readyColumn(pod)}).` }
          : { ok: false, message: `duo is not Ready (READY ${readyColumn(pod)}).`, detail: { actual: `READY ${readyColumn(pod)}`, expected: "READY 2/2" } },
      ),
      async solve(ctx) {
        const r = await ctx.kubectl(["-n", NS, "exec", "duo", "-c", "helper", "--", "touch", "/tmp/ready"]);
        if (r.code !== 0) throw new Error(`kubectl exec failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "one-crashes",
      title: "One container crashes, the other serves",
      command: `kubectl apply -f ${TRIO}`,
      text: `In pod **trio** the \`broken\` container exits 1 at once. With the pods' default \`restartPolicy: Always\` the kubelet restarts
**that container only**, with back-off; \`web\` keeps running untouched.

\`kubectl get pod trio\` sums it up in one line: READY **1/2**, STATUS **CrashLoopBackOff** (or **Error** right after an exit) —
the STATUS column shows the reason of a container that has a problem, not the phase, which is still **Running**. RESTARTS is
the sum over the containers. To see which one: \`kubectl describe pod trio\` (per-container State, Last State, Restart
Count) and \`kubectl logs trio -c broken --previous\`.`,
      check: podCheck({ namespace: NS, name: "trio", missing: "There is no pod trio yet." }, (pod) => {
        const broken = pod.status.containerStatuses.find((c) => c.name === "broken");
        const web = pod.status.containerStatuses.find((c) => c.name === "web");
        if (!broken || broken.restartCount < 1) return { ok: false, message: `trio's broken container has not been restarted yet (READY ${readyColumn(pod)}).`, detail: { actual: `${broken?.restartCount ?? 0} restarts`, expected: "at least 1 restart" } };
        if (!web?.ready) return { ok: false, message: "trio's web container is not ready yet." };
        return { ok: true, message: `trio is ${pod.status.phase ?? "?"} with READY ${readyColumn(pod)}: broken restarted ${broken.restartCount} time(s), web kept serving.` };
      }),
      async solve(ctx) {
        await ctx.apply(TRIO_YAML);
      },
    },
  ],
});
