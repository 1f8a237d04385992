import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "reports";
const NAME = "report-api";
const IMAGE = "nginx:1.27";
const TAINT_KEY = "maintenance";

/** The Deployment as the team wrote it: Recreate, so a pod that cannot be placed leaves none running. */
const deploymentYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${NAME}
  namespace: ${NS}
spec:
  replicas: 1
  strategy: { type: Recreate }
  selector:
    matchLabels: { app: ${NAME} }
  template:
    metadata:
      labels: { app: ${NAME} }
    spec:
      nodeSelector: { disktype: ssd }
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: api
        image: ${IMAGE}
        resources:
          requests: { cpu: 100m, memory: 64Mi }
        ports:
        - containerPort: 80
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

async function patchTemplate(ctx: ScenarioContext, spec: unknown): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "patch", "deployment", NAME, "--type", "merge", "-p", JSON.stringify({ spec: { template: { spec } } })]);
}

/** JSON patch: a merge patch would replace the whole containers list. */
async function setRequests(ctx: ScenarioContext, cpu: string): Promise<void> {
  const op = [{ op: "add", path: "/spec/template/spec/containers/0/resources/requests", value: { cpu, memory: "64Mi" } }];
  await kubectlOk(ctx, ["-n", NS, "patch", "deployment", NAME, "--type", "json", "-p", JSON.stringify(op)]);
}

/** The running pod goes (as on a node restart); its replacement has to be scheduled anew. */
async function replacePods(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "delete", "pods", "-l", `app=${NAME}`, "--wait=false"]);
}

async function rolledOut(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${NAME}`, "--timeout=150s"]);
}

async function setup(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["label", "node", ctx.controlPlane, "disktype=ssd", "--overwrite"]);
  await ctx.apply(deploymentYaml());
  await checks.until(ctx, checks.deploymentAvailable({ namespace: NS, name: NAME, image: IMAGE }), {
    timeoutMs: 180_000,
    what: `Deployment ${NS}/${NAME} to be available`,
  });
}

interface PodSpecView {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  containers?: { name: string; resources?: { requests?: Record<string, string> } }[];
}
interface NodeView {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
}

async function getJson<T>(ctx: ScenarioContext, argv: string[]): Promise<T | CheckResult> {
  const r = await ctx.kubectl([...argv, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `kubectl ${argv.join(" ")} failed.`, detail: { actual: r.stderr.trim(), expected: "the object exists" } };
  return JSON.parse(r.stdout) as T;
}
const isResult = (x: unknown): x is CheckResult => typeof x === "object" && x !== null && "ok" in x && "message" in x;

/** The pod template still goes through the scheduler: no nodeName pinned. */
async function templateScheduled(ctx: ScenarioContext): Promise<CheckResult> {
  const d = await getJson<{ spec: { template: { spec: PodSpecView } } }>(ctx, ["-n", NS, "get", "deployment", NAME]);
  if (isResult(d)) return d;
  const nodeName = d.spec.template.spec.nodeName;
  if (nodeName)
    return { ok: false, message: "The pod template pins a node, which bypasses the scheduler.", detail: { actual: `nodeName: ${nodeName}`, expected: "no nodeName in the template" } };
  return { ok: true, message: "The pod template leaves placement to the scheduler." };
}

/** Every container keeps a CPU and a memory request (a lower one is fine; none is not). */
async function requestsKept(ctx: ScenarioContext): Promise<CheckResult> {
  const d = await getJson<{ spec: { template: { spec: PodSpecView } } }>(ctx, ["-n", NS, "get", "deployment", NAME]);
  if (isResult(d)) return d;
  const missing = (d.spec.template.spec.containers ?? []).filter((c) => !c.resources?.requests?.cpu || !c.resources?.requests?.memory).map((c) => c.name);
  if (missing.length)
    return { ok: false, message: `Container(s) ${missing.join(", ")} no longer request CPU and memory.`, detail: { actual: "requests removed", expected: "cpu and memory requests that fit the node" } };
  return { ok: true, message: "Every container still requests CPU and memory." };
}

/** The app still lands only on SSD nodes: a nodeSelector or a node affinity on disktype=ssd. */
async function ssdOnly(ctx: ScenarioContext): Promise<CheckResult> {
  const d = await getJson<{ spec: { template: { spec: PodSpecView } } }>(ctx, ["-n", NS, "get", "deployment", NAME]);
  if (isResult(d)) return d;
  const s = d.spec.template.spec;
  const bySelector = s.nodeSelector?.disktype === "ssd";
  const byAffinity = /"key":"disktype","operator":"In","values":\["ssd"\]/.test(JSON.stringify(s.affinity ?? {}));
  if (!bySelector && !byAffinity)
    return { ok: false, message: "The Deployment no longer asks for an SSD node.", detail: { actual: JSON.stringify(s.nodeSelector ?? {}), expected: "nodeSelector disktype: ssd (or an equivalent required node affinity)" } };
  return { ok: true, message: "The Deployment still asks for an SSD node." };
}

/** The node takes new pods again (not cordoned). */
async function nodeSchedulable(ctx: ScenarioContext): Promise<CheckResult> {
  const n = await getJson<NodeView>(ctx, ["get", "node", ctx.controlPlane]);
  if (isResult(n)) return n;
  if (n.spec?.unschedulable) return { ok: false, message: `Node ${ctx.controlPlane} is cordoned.`, detail: { actual: "unschedulable: true", expected: "schedulable" } };
  return { ok: true, message: `Node ${ctx.controlPlane} is schedulable.` };
}

const VARIANTS = ["taint", "requests", "selector", "cordon"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

export default defineScenario({
  id: "pending-no-node",
  title: "Pods stay Pending: no feasible node",
  summary: "The reports team's API went down after a change and its new pod never leaves Pending. Find out why the scheduler places it nowhere and get it running again without cheating the scheduler.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 15,
  // One node; the Deployment tolerates the control-plane taint a one-node kubeadm cluster may keep.
  cluster: { workers: 0 },
  images: [IMAGE],
  settleMs: 60_000,
  variants: [
    { id: "taint", title: "A taint the pod does not tolerate", failingAfterInject: ["app-available"] },
    { id: "requests", title: "Requests larger than the node", failingAfterInject: ["app-available"] },
    { id: "selector", title: "A nodeSelector no node matches", failingAfterInject: ["app-available"] },
    { id: "cordon", title: "A cordoned node", failingAfterInject: ["app-available", "node-state"] },
  ],
  setup,
  async inject(ctx, variant) {
    switch (vid(variant)) {
      case "taint":
        await kubectlOk(ctx, ["taint", "node", ctx.controlPlane, `${TAINT_KEY}=batch:NoSchedule`, "--overwrite"]);
        await replacePods(ctx);
        break;
      case "requests":
        await setRequests(ctx, "64");
        break;
      case "selector":
        // The label goes (a node rebuilt without it); the Deployment keeps asking for it.
        await kubectlOk(ctx, ["label", "node", ctx.controlPlane, "disktype-"]);
        await replacePods(ctx);
        break;
      case "cordon":
        await kubectlOk(ctx, ["cordon", ctx.controlPlane]);
        await replacePods(ctx);
        break;
    }
  },
  checks: [
    { id: "app-available", title: `Deployment ${NS}/${NAME} runs ${IMAGE} and is available`, points: 4, timeoutMs: 30_000, run: checks.deploymentAvailable({ namespace: NS, name: NAME, image: IMAGE }) },
    { id: "scheduler-places", title: "The pod template does not pin a node (nodeName)", points: 1, timeoutMs: 15_000, run: templateScheduled },
    { id: "requests-kept", title: "The containers still request CPU and memory", points: 1, timeoutMs: 15_000, run: requestsKept },
    {
      id: "node-state",
      title: "The node is schedulable (not cordoned)",
      points: 1,
      timeoutMs: 15_000,
      run: nodeSchedulable,
    },
    { id: "ssd-only", title: "The Deployment still asks for an SSD node", points: 1, timeoutMs: 15_000, run: ssdOnly },
  ],
  hints: [
    { text: "`kubectl -n reports get pods` shows the pod and its phase. `kubectl -n reports describe pod <pod>` ends with the scheduler's event: read the whole `FailedScheduling` line.", cost: 1 },
    { text: "The event counts the nodes and says why each was rejected. Compare that reason with `kubectl describe node` (Taints, Unschedulable, Labels, Allocatable) and with the Deployment's pod template.", cost: 2 },
    { text: "Fix the cause the event names, on the side the brief allows you to change; pinning the pod to a node or deleting its requests hides the problem instead of fixing it.", cost: 4 },
  ],
  async solve(ctx, variant) {
    switch (vid(variant)) {
      case "taint":
        await patchTemplate(ctx, {
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            { key: TAINT_KEY, operator: "Equal", value: "batch", effect: "NoSchedule" },
          ],
        });
        break;
      case "requests":
        await kubectlOk(ctx, ["-n", NS, "set", "resources", `deployment/${NAME}`, "-c", "api", "--requests=cpu=100m,memory=64Mi"]);
        break;
      case "selector":
        await kubectlOk(ctx, ["label", "node", ctx.controlPlane, "disktype=ssd", "--overwrite"]);
        break;
      case "cordon":
        await kubectlOk(ctx, ["uncordon", ctx.controlPlane]);
        break;
    }
    await rolledOut(ctx);
  },
  antiSolutions: [
    {
      id: "bare-pod",
      title: "Delete the Deployment and run a bare pod instead",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "deployment", NAME, "--wait=true"]);
        await kubectlOk(ctx, ["-n", NS, "run", NAME, `--image=${IMAGE}`, "--overrides", JSON.stringify({ spec: { nodeName: ctx.controlPlane } })]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "pod", NAME, "--ignore-not-found", "--wait=true"]);
        await ctx.apply(deploymentYaml());
      },
    },
    {
      id: "pin-node",
      title: "Set nodeName in the pod template to bypass the scheduler",
      async apply(ctx) {
        await patchTemplate(ctx, { nodeName: ctx.controlPlane });
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", NAME, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/nodeName"}]']);
      },
    },
    {
      id: "drop-requests",
      title: "Remove the containers' resource requests",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", NAME, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/containers/0/resources/requests"}]']);
      },
      async revert(ctx, variant) {
        await setRequests(ctx, vid(variant) === "requests" ? "64" : "100m");
      },
    },
    {
      id: "drop-selector",
      title: "Remove the nodeSelector",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", NAME, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]']);
      },
      async revert(ctx) {
        await patchTemplate(ctx, { nodeSelector: { disktype: "ssd" } });
      },
    },
  ],
});
