import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import type { V1Container, V1Deployment } from "@kubernetes/client-node";
import { askApi } from "@/lib/scenarios/ask-api";
import { isNotFound } from "@/lib/scenarios/describe-api-error";

const NS = "shop";
const WEB_IMAGE = "nginx:1.27";
/** A memory-hungry batch worker: `stress --vm 1 --vm-bytes 150M --vm-hang 1` holds 150 MB. */
const WORKER_IMAGE = "polinux/stress:1.0.4";
const WORKER_ARGS = ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"];
/** What the worker's container is given at setup, and the limit the faulty change leaves. */
const WORKER_LIMIT = "256Mi";
const TIGHT_LIMIT = "100Mi";
/** Long enough that a liveness probe failing 3 times every 5 s (after a 5 s delay) shows. */
const STEADY_SECONDS = 30;

const probe = (path: string, port: number, initialDelaySeconds: number) => ({ httpGet: { path, port }, initialDelaySeconds, periodSeconds: 5, failureThreshold: 3 });
const LIVENESS = probe("/", 80, 5);
const READINESS = probe("/", 80, 2);
const resources = (limit: string) => ({ requests: { memory: "64Mi", cpu: "50m" }, limits: { memory: limit } });

const setupYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: web
        image: ${WEB_IMAGE}
        ports:
        - containerPort: 80
        livenessProbe: ${JSON.stringify(LIVENESS)}
        readinessProbe: ${JSON.stringify(READINESS)}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: worker }
  template:
    metadata:
      labels: { app: worker }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: worker
        image: ${WORKER_IMAGE}
        command: ["stress"]
        args: ${JSON.stringify(WORKER_ARGS)}
        resources: ${JSON.stringify(resources(WORKER_LIMIT))}
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
}

/** A JSON patch of the first container of a Deployment's pod template. */
async function patchContainer(ctx: ScenarioContext, deployment: string, ops: { op: "add" | "remove"; path: string; value?: unknown }[]): Promise<void> {
  const full = ops.map((o) => ({ ...o, path: `/spec/template/spec/containers/0/${o.path}` }));
  await kubectlOk(ctx, ["-n", NS, "patch", "deployment", deployment, "--type", "json", "-p", JSON.stringify(full)]);
}

/** Removes a field of the first container if it is there (a JSON patch remove of a missing field fails). */
async function removeIfPresent(ctx: ScenarioContext, deployment: string, field: "command" | "livenessProbe" | "readinessProbe" | "resources/limits"): Promise<void> {
  const jsonpath = `{.spec.template.spec.containers[0].${field.replace("/", ".")}}`;
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", deployment, "-o", `jsonpath=${jsonpath}`]);
  if (r.code === 0 && r.stdout.trim()) await patchContainer(ctx, deployment, [{ op: "remove", path: field }]);
}

const available = (name: "web" | "worker", image: string) =>
  checks.allOf(checks.deploymentAvailable({ namespace: NS, name, image }), checks.podsSteady({ namespace: NS, labelSelector: `app=${name}`, seconds: STEADY_SECONDS }));

async function setup(ctx: ScenarioContext): Promise<void> {
  await ctx.apply(setupYaml());
  await checks.until(ctx, checks.allOf(checks.deploymentAvailable({ namespace: NS, name: "web", image: WEB_IMAGE }), checks.deploymentAvailable({ namespace: NS, name: "worker", image: WORKER_IMAGE })), {
    timeoutMs: 180_000,
    what: "Deployments shop/web and shop/worker to be available",
  });
}

/** Which Deployment each variant breaks. */
const BROKEN: Record<string, "web" | "worker"> = { "bad-command": "web", "liveness-path": "web", "readiness-port": "web", "memory-limit": "worker" };

function broken(variant: Variant): "web" | "worker" {
  const d = BROKEN[variant.id];
  if (!d) throw new Error(`unknown variant ${variant.id}`);
  return d;
}

async function rolledOut(ctx: ScenarioContext, name: string): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${name}`, "--timeout=150s"]);
}

/** The first container of a Deployment's template, or a check result saying why there is none. */
async function templateContainer(ctx: ScenarioContext, name: string): Promise<{ c: V1Container } | { fail: string }> {
  let d: V1Deployment;
  try {
    d = await askApi(ctx.k8s, ctx.k8s.apps.readNamespacedDeployment({ name, namespace: NS }), `reading Deployment ${NS}/${name}`);
  } catch (err) {
    return { fail: isNotFound(err) ? "no such Deployment" : "the API server did not answer" };
  }
  const c = d.spec?.template?.spec?.containers?.find((x) => x.name === name) ?? d.spec?.template?.spec?.containers?.[0];
  return c ? { c } : { fail: "the Deployment has no container" };
}

/**
 * web keeps both HTTP probes (an HTTP GET on the container's port). That they point at a path and
 * port nginx serves is what web-steady shows: a failing readiness probe keeps the pod unready, a
 * failing liveness probe restarts it.
 */
async function webProbes(ctx: ScenarioContext) {
  const t = await templateContainer(ctx, "web");
  const expected = "livenessProbe and readinessProbe, each an httpGet on a port the container declares";
  if ("fail" in t) return { ok: false, message: "Deployment shop/web cannot be read.", detail: { actual: t.fail, expected } };
  const ports = new Map((t.c.ports ?? []).map((p) => [p.name ?? String(p.containerPort), p.containerPort]));
  for (const p of t.c.ports ?? []) ports.set(String(p.containerPort), p.containerPort);
  const missing: string[] = [];
  for (const [kind, p] of [["livenessProbe", t.c.livenessProbe], ["readinessProbe", t.c.readinessProbe]] as const) {
    if (!p) missing.push(`no ${kind}`);
    else if (!p.httpGet) missing.push(`${kind} is not an HTTP check`);
    else if (!ports.has(String(p.httpGet.port))) missing.push(`${kind} asks port ${p.httpGet.port}, which the container does not declare`);
  }
  if (!missing.length) return { ok: true, message: "Deployment shop/web keeps its liveness and readiness probes." };
  return { ok: false, message: "Deployment shop/web does not keep its health checks.", detail: { actual: missing.join("; "), expected } };
}

/** worker keeps a memory limit (a node must not let a memory hog take all of it). */
async function workerLimit(ctx: ScenarioContext) {
  const t = await templateContainer(ctx, "worker");
  const expected = "resources.limits.memory set";
  if ("fail" in t) return { ok: false, message: "Deployment shop/worker cannot be read.", detail: { actual: t.fail, expected } };
  const limit = t.c.resources?.limits?.memory;
  if (limit) return { ok: true, message: `Deployment shop/worker keeps a memory limit (${limit}).` };
  return { ok: false, message: "Deployment shop/worker has no memory limit.", detail: { actual: "no resources.limits.memory", expected } };
}

export default defineScenario({
  id: "crashloop-app",
  title: "The app keeps restarting",
  summary:
    "Since this morning's change, one of the shop's Deployments has pods that keep restarting or never become ready. Find out why from the pod's state and events and fix the Deployment, keeping its health checks and limits.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 15,
  // The workloads tolerate the control-plane taint, so one node is enough.
  cluster: { workers: 0 },
  images: [WEB_IMAGE, WORKER_IMAGE],
  // A crash-looping container backs off (10 s, 20 s, 40 s …) and a liveness probe needs 15 s to
  // restart one; after a fix the new pod must run for STEADY_SECONDS and then hold.
  settleMs: 120_000,
  variants: [
    { id: "bad-command", title: "A typo in the container's command", failingAfterInject: ["web-steady"] },
    { id: "liveness-path", title: "A liveness probe on a path the app does not serve", failingAfterInject: ["web-steady"] },
    { id: "readiness-port", title: "A readiness probe on a port the app does not listen on", failingAfterInject: ["web-steady", "web-probes"] },
    { id: "memory-limit", title: "A memory limit below what the app needs", failingAfterInject: ["worker-steady"] },
  ],
  setup,
  async inject(ctx, variant) {
    switch (variant.id) {
      case "bad-command":
        await patchContainer(ctx, "web", [{ op: "add", path: "command", value: ["ngnix", "-g", "daemon off;"] }]);
        break;
      case "liveness-path":
        await patchContainer(ctx, "web", [{ op: "add", path: "livenessProbe", value: probe("/healthz", 80, 5) }]);
        break;
      case "readiness-port":
        await patchContainer(ctx, "web", [{ op: "add", path: "readinessProbe", value: probe("/", 8080, 2) }]);
        break;
      case "memory-limit":
        await patchContainer(ctx, "worker", [{ op: "add", path: "resources", value: resources(TIGHT_LIMIT) }]);
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
  },
  checks: [
    checks.stays(
      { id: "web-steady", title: `Deployment shop/web runs ${WEB_IMAGE}, is rolled out, and its pods are ready and do not restart`, points: 3, timeoutMs: 30_000, run: available("web", WEB_IMAGE) },
      20,
    ),
    { id: "web-probes", title: "Deployment shop/web keeps its liveness and readiness probes", points: 2, timeoutMs: 30_000, run: webProbes },
    checks.stays(
      { id: "worker-steady", title: `Deployment shop/worker runs ${WORKER_IMAGE}, is rolled out, and its pods do not restart`, points: 3, timeoutMs: 30_000, run: available("worker", WORKER_IMAGE) },
      20,
    ),
    { id: "worker-limit", title: "Deployment shop/worker keeps a memory limit", points: 2, timeoutMs: 30_000, run: workerLimit },
  ],
  hints: [
    {
      text: "`kubectl -n shop get pods` shows which pods restart (RESTARTS) or are not ready (READY 0/1). `kubectl -n shop describe pod <pod>` shows each container's State and Last State, and the events at the bottom.",
      cost: 1,
    },
    {
      text: "Read the Last State's Reason and Exit Code, and the Warning events: `StartError` (exit 128) is a command the image does not have, `OOMKilled` (exit 137) is the memory limit, `Unhealthy` events quote the probe's own failure (status code or connection refused).",
      cost: 2,
    },
    {
      text: "Compare what the container runs with what the Deployment asks of it: `kubectl -n shop get deploy <name> -o yaml` shows the command, the probes (path, port) and the resources. `kubectl -n shop logs <pod> --previous` shows the last crashed run. Fix the Deployment, not the pod.",
      cost: 4,
    },
  ],
  async solve(ctx, variant) {
    switch (variant.id) {
      case "bad-command":
        await removeIfPresent(ctx, "web", "command");
        break;
      case "liveness-path":
        await patchContainer(ctx, "web", [{ op: "add", path: "livenessProbe", value: LIVENESS }]);
        break;
      case "readiness-port":
        await patchContainer(ctx, "web", [{ op: "add", path: "readinessProbe", value: READINESS }]);
        break;
      case "memory-limit":
        await patchContainer(ctx, "worker", [{ op: "add", path: "resources", value: resources(WORKER_LIMIT) }]);
        break;
    }
    await rolledOut(ctx, broken(variant));
  },
  antiSolutions: [
    {
      id: "delete-pods",
      title: "Delete the restarting pods so that fresh ones start",
      async apply(ctx, variant) {
        await kubectlOk(ctx, ["-n", NS, "delete", "pods", "-l", `app=${broken(variant)}`, "--wait=true"]);
      },
    },
    {
      id: "delete-deployment",
      title: "Delete the Deployment whose pods misbehave",
      async apply(ctx, variant) {
        await kubectlOk(ctx, ["-n", NS, "delete", "deployment", broken(variant), "--wait=true"]);
      },
      revert: setup,
    },
    {
      id: "keep-alive-with-sleep",
      title: "Replace the command with one that keeps the container alive (sleep infinity)",
      variants: ["bad-command"],
      async apply(ctx) {
        await patchContainer(ctx, "web", [{ op: "add", path: "command", value: ["sh", "-c", "sleep infinity"] }]);
      },
    },
    {
      id: "delete-liveness-probe",
      title: "Delete the liveness probe that restarts the container",
      variants: ["liveness-path"],
      async apply(ctx) {
        await removeIfPresent(ctx, "web", "livenessProbe");
        await rolledOut(ctx, "web");
      },
    },
    {
      id: "delete-readiness-probe",
      title: "Delete the readiness probe that keeps the pod unready",
      variants: ["readiness-port"],
      async apply(ctx) {
        await removeIfPresent(ctx, "web", "readinessProbe");
        await rolledOut(ctx, "web");
      },
    },
    {
      id: "remove-memory-limit",
      title: "Remove the memory limit altogether",
      variants: ["memory-limit"],
      async apply(ctx) {
        await removeIfPresent(ctx, "worker", "resources/limits");
        await rolledOut(ctx, "worker");
      },
    },
  ],
});
