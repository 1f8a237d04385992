import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "portal";
const APP = "portal";
const IMAGE = "nginx:1.27";
const CLIENT_IMAGE = "busybox:1.36";
const NODE_PORT = 30080;

const deploymentYaml = (readinessPath: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  replicas: 1
  # One pod at a time (it keeps a lock on its data): a new pod replaces the old one, never runs beside it.
  strategy: { type: Recreate }
  selector:
    matchLabels: { app: ${APP} }
  template:
    metadata:
      labels: { app: ${APP} }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: ${IMAGE}
        ports:
        - { name: http, containerPort: 80 }
        readinessProbe:
          httpGet: { path: ${readinessPath}, port: http }
          periodSeconds: 5
`;

interface ServiceShape {
  type: "NodePort" | "ClusterIP";
  nodePort?: number;
  targetPort: string | number;
}
const GOOD_SERVICE: ServiceShape = { type: "NodePort", nodePort: NODE_PORT, targetPort: "http" };

const serviceYaml = (s: ServiceShape) => `apiVersion: v1
kind: Service
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  type: ${s.type}
  selector: { app: ${APP} }
  ports:
  - name: http
    port: 80
    targetPort: ${s.targetPort}
${s.nodePort ? `    nodePort: ${s.nodePort}\n` : ""}`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Replaces the Service (a type change from NodePort to ClusterIP and back is cleanest as a new object). */
async function putService(ctx: ScenarioContext, s: ServiceShape): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "delete", "service", APP, "--ignore-not-found", "--wait=true"]);
  await ctx.apply(serviceYaml(s));
}

const VARIANTS = ["node-port", "service-type", "target-port", "readiness"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

async function nodeIp(ctx: ScenarioContext): Promise<string> {
  const out = await kubectlOk(ctx, ["get", "node", ctx.controlPlane, "-o", 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']);
  const ip = out.trim().split(/\s+/)[0];
  if (!ip) throw new Error(`node ${ctx.controlPlane} reports no InternalIP`);
  return ip;
}

/** A client connects to the node's address on port 30080, as the partner's systems do. */
async function nodePortAnswers(ctx: ScenarioContext): Promise<CheckResult> {
  let ip: string;
  try {
    ip = await nodeIp(ctx);
  } catch (err) {
    return { ok: false, message: "The node's address cannot be read.", detail: { actual: err instanceof Error ? err.message : String(err), expected: "the node's InternalIP" } };
  }
  const r = await ctx.probe.http(ip, NODE_PORT, { image: CLIENT_IMAGE, timeoutMs: 45_000 });
  if (r.ok) return { ok: true, message: `http://${ip}:${NODE_PORT} answers.` };
  return { ok: false, message: `Nothing answers on the node's port ${NODE_PORT}.`, detail: { actual: r.detail, expected: `an HTTP answer from nginx on ${ip}:${NODE_PORT}` } };
}

interface DeploymentView {
  spec?: { template?: { spec?: { containers?: { readinessProbe?: { httpGet?: { path?: string } } }[] } } };
}

/** The app keeps an HTTP readiness probe: clients must never be sent to a pod that is not ready. */
async function readinessKept(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", APP, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Deployment exists" } };
  const c = (JSON.parse(r.stdout) as DeploymentView).spec?.template?.spec?.containers?.[0];
  if (!c?.readinessProbe?.httpGet) return { ok: false, message: "The app no longer has an HTTP readiness probe.", detail: { actual: c?.readinessProbe ? JSON.stringify(c.readinessProbe) : "no readiness probe", expected: "an httpGet readiness probe" } };
  return { ok: true, message: `The app's readiness probe checks ${c.readinessProbe.httpGet.path ?? "/"}.` };
}

interface ServiceView {
  spec?: { type?: string; ports?: { port: number; nodePort?: number }[] };
}

/** The Service is the one the partner was given: NodePort 30080 in front of port 80. */
async function serviceShape(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "service", APP, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Service ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Service exists" } };
  const s = (JSON.parse(r.stdout) as ServiceView).spec ?? {};
  const p = (s.ports ?? []).find((x) => x.port === 80);
  if (s.type !== "NodePort" || p?.nodePort !== NODE_PORT)
    return { ok: false, message: `Service ${NS}/${APP} is not NodePort ${NODE_PORT} → 80.`, detail: { actual: `${s.type} ${(s.ports ?? []).map((x) => `${x.port}${x.nodePort ? `:${x.nodePort}` : ""}`).join(", ")}`, expected: `NodePort 80:${NODE_PORT}` } };
  return { ok: true, message: `Service ${NS}/${APP} is NodePort 80:${NODE_PORT}.` };
}

const available = checks.deploymentAvailable({ namespace: NS, name: APP, image: IMAGE });

export default defineScenario({
  id: "nodeport-unreachable",
  title: "The partner cannot connect to the node's port",
  summary: "A partner reaches the portal on the node's port 30080. Since a change this morning the connection is refused. Find out which link from the node's port to the pod is broken and fix it.",
  domain: "networking",
  difficulty: "easy",
  minutes: 15,
  cluster: { workers: 0 },
  images: [IMAGE, CLIENT_IMAGE],
  settleMs: 45_000,
  variants: [
    { id: "node-port", title: "The Service's nodePort was changed", failingAfterInject: ["node-port-answers", "service-shape"] },
    { id: "service-type", title: "The Service became a ClusterIP Service", failingAfterInject: ["node-port-answers", "service-shape"] },
    { id: "target-port", title: "The Service's targetPort is a port nothing listens on", failingAfterInject: ["node-port-answers"] },
    { id: "readiness", title: "The pod's readiness probe fails, so it is no endpoint", failingAfterInject: ["node-port-answers", "app-available"] },
  ],
  async setup(ctx) {
    await ctx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n---\n${deploymentYaml("/")}---\n${serviceYaml(GOOD_SERVICE)}`);
    await checks.until(ctx, checks.allOf(available, nodePortAnswers), { timeoutMs: 180_000, what: `port ${NODE_PORT} to answer` });
  },
  async inject(ctx, variant) {
    switch (vid(variant)) {
      case "node-port":
        await putService(ctx, { ...GOOD_SERVICE, nodePort: 30081 });
        break;
      case "service-type":
        await putService(ctx, { type: "ClusterIP", targetPort: "http" });
        break;
      case "target-port":
        await putService(ctx, { ...GOOD_SERVICE, targetPort: 8080 });
        break;
      case "readiness":
        await ctx.apply(deploymentYaml("/healthz"));
        break;
    }
  },
  checks: [
    { id: "node-port-answers", title: `http://<node>:${NODE_PORT} answers`, points: 4, timeoutMs: 60_000, run: nodePortAnswers },
    { id: "service-shape", title: `Service ${NS}/${APP} is NodePort 80:${NODE_PORT}`, points: 2, timeoutMs: 15_000, run: serviceShape },
    { id: "app-available", title: `Deployment ${NS}/${APP} is available (its pod is Ready)`, points: 1, timeoutMs: 30_000, run: available },
    { id: "readiness-kept", title: "The app keeps an HTTP readiness probe", points: 1, timeoutMs: 15_000, run: readinessKept },
  ],
  hints: [
    { text: "Connect as the partner does: from a pod, `timeout 5 wget -qO- http://<node InternalIP>:30080` (`kubectl get nodes -o wide` shows the address). Then `kubectl -n portal get svc,endpoints,pods -o wide`.", cost: 1 },
    { text: "A NodePort Service forwards the node's port to the Service's ready endpoints on the targetPort. Check each link: the type and nodePort (`kubectl -n portal get svc portal`), the endpoints, and why a pod is not Ready (`kubectl -n portal describe pod`).", cost: 2 },
    { text: "Put the broken link back: type NodePort with nodePort 30080 for port 80, targetPort `http`, and a readiness probe on a path nginx serves (`/`). Removing the readiness probe hides the problem.", cost: 4 },
  ],
  async solve(ctx, variant) {
    if (vid(variant) === "readiness") {
      await ctx.apply(deploymentYaml("/"));
      await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${APP}`, "--timeout=150s"]);
    } else {
      await putService(ctx, GOOD_SERVICE);
    }
  },
  antiSolutions: [
    {
      id: "drop-readiness",
      title: "Remove the readiness probe so the pod counts as ready",
      variants: ["readiness"],
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/containers/0/readinessProbe"}]']);
        await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${APP}`, "--timeout=150s"]);
      },
    },
    {
      id: "host-port",
      title: "Give the container a hostPort instead",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify([{ op: "add", path: "/spec/template/spec/containers/0/ports/0/hostPort", value: 30090 }])]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/containers/0/ports/0/hostPort"}]']);
      },
    },
  ],
});
