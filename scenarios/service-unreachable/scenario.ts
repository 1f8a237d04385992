import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "shop";
const APP = "web";
const IMAGE = "nginx:1.27";
const CLIENT_IMAGE = "busybox:1.36";

const setupYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${APP} }
  template:
    metadata:
      labels: { app: ${APP}, tier: frontend }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: ${IMAGE}
        ports:
        - { name: http, containerPort: 80 }
        readinessProbe:
          httpGet: { path: /, port: http }
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  selector: { app: ${APP} }
  ports:
  - { name: http, port: 80, targetPort: http }
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const VARIANTS = ["selector", "target-port", "named-port"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

/** Puts the Service as the variant's change left it (from a healthy or an already broken Service). */
async function breakService(ctx: ScenarioContext, v: VariantId): Promise<void> {
  const port = (targetPort: string | number) => JSON.stringify([{ op: "replace", path: "/spec/ports/0/targetPort", value: targetPort }]);
  switch (v) {
    case "selector":
      await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "merge", "-p", '{"spec":{"selector":{"app":"web-frontend"}}}']);
      break;
    case "target-port":
      await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "json", "-p", port(8080)]);
      break;
    case "named-port":
      await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "json", "-p", port("web-http")]);
      break;
  }
}

/** A client pod in the namespace reaches the app through the Service's name, as the shop's other apps do. */
async function serviceAnswers(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.probe.http(`${APP}.${NS}`, 80, { image: CLIENT_IMAGE, timeoutMs: 45_000 });
  if (r.ok) return { ok: true, message: `http://${APP}.${NS}:80 answers from a client pod.` };
  return { ok: false, message: `A client pod cannot reach http://${APP}.${NS}:80.`, detail: { actual: r.detail, expected: "an HTTP answer from nginx" } };
}

interface EndpointsView {
  subsets?: { addresses?: { ip: string; targetRef?: { name?: string } }[]; ports?: { port: number }[] }[];
}

/** The Service's Endpoints list a ready pod of the app. */
async function endpointsReady(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "endpoints", APP, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Endpoints ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "Endpoints with a ready address" } };
  const ep = JSON.parse(r.stdout) as EndpointsView;
  const addrs = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name ?? a.ip));
  const ours = addrs.filter((n) => n.startsWith(`${APP}-`));
  if (!ours.length) return { ok: false, message: `Service ${NS}/${APP} has no ready endpoints from the app's pods.`, detail: { actual: addrs.length ? addrs.join(", ") : "<none>", expected: `a ready ${APP}-… pod` } };
  return { ok: true, message: `Service ${NS}/${APP} sends traffic to ${ours.join(", ")}.` };
}

interface DeploymentView {
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; ports?: { name?: string; containerPort: number }[] }[] } } };
}

/** The app is as the team shipped it: its labels and its named port are what other Services and policies rely on. */
async function appUnchanged(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", APP, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Deployment exists" } };
  const d = JSON.parse(r.stdout) as DeploymentView;
  const labels = d.spec?.template?.metadata?.labels ?? {};
  const ports = (d.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const wrong: string[] = [];
  if (Object.keys(labels).sort().join(",") !== "app,tier" || labels.app !== APP || labels.tier !== "frontend") wrong.push(`labels ${JSON.stringify(labels)}`);
  if (!ports.some((p) => p.name === "http" && p.containerPort === 80)) wrong.push(`ports ${JSON.stringify(ports)}`);
  if (wrong.length) return { ok: false, message: "The app's pod template was changed; the fault is in the Service.", detail: { actual: wrong.join("; "), expected: 'labels {"app":"web","tier":"frontend"}, port http/80' } };
  return { ok: true, message: "The app's pod template is as shipped." };
}

interface ServiceView {
  spec?: { type?: string; ports?: { port: number }[] };
}

/** Clients use web:80, so the Service keeps that port (and stays a ClusterIP Service). */
async function servicePort(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "service", APP, "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Service ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Service exists" } };
  const s = JSON.parse(r.stdout) as ServiceView;
  const ports = (s.spec?.ports ?? []).map((p) => p.port);
  if (!ports.includes(80) || (s.spec?.type ?? "ClusterIP") !== "ClusterIP")
    return { ok: false, message: `Service ${NS}/${APP} no longer offers port 80 as a ClusterIP Service.`, detail: { actual: `${s.spec?.type ?? "ClusterIP"} ports ${ports.join(", ")}`, expected: "ClusterIP port 80" } };
  return { ok: true, message: `Service ${NS}/${APP} offers port 80.` };
}

const available = checks.deploymentAvailable({ namespace: NS, name: APP, image: IMAGE });

export default defineScenario({
  id: "service-unreachable",
  title: "The app runs, but its Service leads nowhere",
  summary: "The shop's web pods are Running and Ready, yet other apps get no answer from the web Service. Find where the Service loses the traffic and fix it.",
  domain: "networking",
  difficulty: "easy",
  minutes: 15,
  cluster: { workers: 0 },
  images: [IMAGE, CLIENT_IMAGE],
  settleMs: 45_000,
  variants: [
    { id: "selector", title: "The Service's selector matches no pod", failingAfterInject: ["service-answers", "endpoints-ready"] },
    { id: "target-port", title: "The Service sends traffic to a port nothing listens on", failingAfterInject: ["service-answers"] },
    { id: "named-port", title: "The Service's targetPort names a port the container does not have", failingAfterInject: ["service-answers", "endpoints-ready"] },
  ],
  async setup(ctx) {
    await ctx.apply(setupYaml());
    await checks.until(ctx, checks.allOf(available, serviceAnswers), { timeoutMs: 180_000, what: `Service ${NS}/${APP} to answer` });
  },
  async inject(ctx, variant) {
    await breakService(ctx, vid(variant));
  },
  checks: [
    { id: "service-answers", title: `A client pod gets an answer from http://${APP}.${NS}:80`, points: 4, timeoutMs: 60_000, run: serviceAnswers },
    { id: "endpoints-ready", title: `Service ${NS}/${APP} has the app's ready pods as endpoints`, points: 2, timeoutMs: 15_000, run: endpointsReady },
    { id: "app-unchanged", title: "The app's pod template is unchanged (labels, named port)", points: 1, timeoutMs: 15_000, run: checks.allOf(available, appUnchanged) },
    { id: "service-port", title: `Service ${NS}/${APP} still offers port 80`, points: 1, timeoutMs: 15_000, run: servicePort },
  ],
  hints: [
    { text: "Test it as a client does: `kubectl -n shop run client --rm -it --image=busybox:1.36 --restart=Never -- timeout 5 wget -qO- http://web`. Then look at `kubectl -n shop get endpoints web` (or `get endpointslices -l kubernetes.io/service-name=web`).", cost: 1 },
    { text: "A Service forwards to the pods its selector matches, on its targetPort. Compare `kubectl -n shop describe service web` (Selector, TargetPort, Endpoints) with `kubectl -n shop get pods --show-labels` and the container's ports.", cost: 2 },
    { text: "Fix the Service, not the app: its selector must match the pods' labels, and its targetPort must be the container's port number or its port name (`http`).", cost: 4 },
  ],
  async solve(ctx, variant) {
    if (vid(variant) === "selector") {
      await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "merge", "-p", JSON.stringify({ spec: { selector: { app: APP } } })]);
    } else {
      await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "json", "-p", JSON.stringify([{ op: "replace", path: "/spec/ports/0/targetPort", value: "http" }])]);
    }
  },
  antiSolutions: [
    {
      id: "second-service",
      title: "Expose the Deployment again under another name",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "expose", "deployment", APP, "--name", `${APP}-2`, "--port", "80", "--target-port", "http"]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "service", `${APP}-2`, "--ignore-not-found"]);
      },
    },
    {
      id: "rename-port",
      title: "Rename the container's port to the name the Service asks for",
      variants: ["named-port"],
      async apply(ctx) {
        const patch = [
          { op: "replace", path: "/spec/template/spec/containers/0/ports/0/name", value: "web-http" },
          { op: "replace", path: "/spec/template/spec/containers/0/readinessProbe/httpGet/port", value: "web-http" },
        ];
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify(patch)]);
      },
      async revert(ctx) {
        const patch = [
          { op: "replace", path: "/spec/template/spec/containers/0/ports/0/name", value: "http" },
          { op: "replace", path: "/spec/template/spec/containers/0/readinessProbe/httpGet/port", value: "http" },
        ];
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify(patch)]);
      },
    },
    {
      id: "node-port",
      title: "Turn the Service into a NodePort on the container's port",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "service", APP, "--type", "json", "-p", JSON.stringify([{ op: "replace", path: "/spec/type", value: "NodePort" }, { op: "replace", path: "/spec/ports/0/port", value: 8080 }])]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "service", APP]);
        await ctx.apply(setupYaml());
      },
    },
  ],
});
