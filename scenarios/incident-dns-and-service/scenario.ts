import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "payments";
const API_IMAGE = "nginx:1.27";
const CLIENT_IMAGE = "busybox:1.36";

interface ApiService {
  selectorApp: string;
  targetPort: string | number;
}
const GOOD_API_SERVICE: ApiService = { selectorApp: "ledger-api", targetPort: "http" };

const apiServiceYaml = (s: ApiService) => `apiVersion: v1
kind: Service
metadata:
  name: ledger-api
  namespace: ${NS}
spec:
  selector: { app: ${s.selectorApp} }
  ports:
  - { name: http, port: 80, targetPort: ${s.targetPort} }
`;

const appsYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger-api
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ledger-api }
  template:
    metadata:
      labels: { app: ledger-api }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: ${API_IMAGE}
        ports:
        - { name: http, containerPort: 80 }
---
${apiServiceYaml(GOOD_API_SERVICE)}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: checkout }
  template:
    metadata:
      labels: { app: checkout }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: checkout
        image: ${CLIENT_IMAGE}
        command: ["sleep", "86400"]
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const VARIANTS = ["coredns-and-selector", "dns-service-and-port"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

async function breakDns(ctx: ScenarioContext, v: VariantId): Promise<void> {
  if (v === "coredns-and-selector") await kubectlOk(ctx, ["-n", "kube-system", "scale", "deployment/coredns", "--replicas=0"]);
  else await kubectlOk(ctx, ["-n", "kube-system", "patch", "service", "kube-dns", "--type", "merge", "-p", '{"spec":{"selector":{"k8s-app":"dns"}}}']);
}

async function fixDns(ctx: ScenarioContext, v: VariantId): Promise<void> {
  if (v === "coredns-and-selector") {
    await kubectlOk(ctx, ["-n", "kube-system", "scale", "deployment/coredns", "--replicas=2"]);
    await kubectlOk(ctx, ["-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=150s"]);
  } else {
    await kubectlOk(ctx, ["-n", "kube-system", "patch", "service", "kube-dns", "--type", "merge", "-p", '{"spec":{"selector":{"k8s-app":"kube-dns"}}}']);
  }
}

async function breakApiService(ctx: ScenarioContext, v: VariantId): Promise<void> {
  await ctx.apply(apiServiceYaml(v === "coredns-and-selector" ? { ...GOOD_API_SERVICE, selectorApp: "ledger" } : { ...GOOD_API_SERVICE, targetPort: 8080 }));
}

/** End to end, as the business sees it: checkout's pod calls http://ledger-api by name. */
async function checkoutReachesLedger(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "exec", "deploy/checkout", "-c", "checkout", "--", "timeout", "10", "wget", "-q", "-O", "-", "http://ledger-api"], { timeoutMs: 40_000 });
  if (r.code === 0 && /nginx/i.test(r.stdout)) return { ok: true, message: "checkout gets an answer from http://ledger-api." };
  // `timeout` ends a wget that gets no answer (a dropped connection) with 143 and no message of its own.
  const said = /exit code 143/.test(r.stderr) ? "no answer within 10 s (wget stopped by timeout)" : ((r.stderr || r.stdout).trim().split("\n").filter((l) => !/^command terminated with exit code|^Terminated$/.test(l)).pop() ?? `exit ${r.code}`);
  return { ok: false, message: "checkout cannot call http://ledger-api.", detail: { actual: said, expected: "an answer from nginx" } };
}

/** Fault 1, cluster DNS: a new pod resolves a cluster name. */
async function clusterDnsWorks(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.probe.dns("kubernetes.default.svc.cluster.local", { image: CLIENT_IMAGE, timeoutMs: 60_000 });
  if (r.ok) return { ok: true, message: "Cluster DNS answers." };
  return { ok: false, message: "Cluster DNS does not answer (fault 1 of 2).", detail: { actual: r.detail, expected: "nslookup kubernetes.default answers" } };
}

interface EndpointsView {
  subsets?: { addresses?: { targetRef?: { name?: string } }[]; ports?: { port: number }[] }[];
}

/** Fault 2, the app's Service: it sends traffic to ledger-api's pods, on nginx's port 80. */
async function ledgerServiceRoutes(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "endpoints", "ledger-api", "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Endpoints ${NS}/ledger-api cannot be read.`, detail: { actual: r.stderr.trim(), expected: "ledger-api pods on port 80" } };
  const ep = JSON.parse(r.stdout) as EndpointsView;
  const seen = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => `${a.targetRef?.name ?? "?"}:${(s.ports ?? []).map((p) => p.port).join("/")}`));
  const good = (ep.subsets ?? []).some((s) => (s.ports ?? []).some((p) => p.port === 80) && (s.addresses ?? []).some((a) => a.targetRef?.name?.startsWith("ledger-api-")));
  if (!good) return { ok: false, message: "Service ledger-api does not route to the app's pods on port 80 (fault 2 of 2).", detail: { actual: seen.length ? seen.join(", ") : "<none>", expected: "ledger-api-… pods on port 80" } };
  return { ok: true, message: "Service ledger-api routes to the app's pods on port 80." };
}

interface DeploymentView {
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] } } };
}

/** The app itself was not the fault and stays as shipped. */
async function appsUnchanged(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", "ledger-api", "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/ledger-api cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Deployment exists" } };
  const t = (JSON.parse(r.stdout) as DeploymentView).spec?.template;
  const labels = t?.metadata?.labels ?? {};
  const ports = (t?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  if (JSON.stringify(labels) !== JSON.stringify({ app: "ledger-api" }) || !ports.some((p) => p.name === "http" && p.containerPort === 80))
    return { ok: false, message: "The ledger-api Deployment was changed; the faults are elsewhere.", detail: { actual: `labels ${JSON.stringify(labels)}, ports ${JSON.stringify(ports)}`, expected: 'labels {"app":"ledger-api"}, port http/80' } };
  return { ok: true, message: "The ledger-api Deployment is as shipped." };
}

const corednsUp = checks.deploymentAvailable({ namespace: "kube-system", name: "coredns", minReplicas: 2 });
const appsUp = checks.allOf(
  checks.deploymentAvailable({ namespace: NS, name: "ledger-api", image: API_IMAGE }),
  checks.deploymentAvailable({ namespace: NS, name: "checkout", image: CLIENT_IMAGE }),
);

export default defineScenario({
  id: "incident-dns-and-service",
  title: "Incident: checkout is down, and it is not one fault",
  summary: "Payments are failing: checkout cannot reach the ledger API. Two things broke during last night's maintenance. Find and fix both; each one you fix earns its points.",
  domain: "networking",
  difficulty: "hard",
  minutes: 30,
  cluster: { workers: 0 },
  images: [API_IMAGE, CLIENT_IMAGE],
  settleMs: 60_000,
  variants: [
    { id: "coredns-and-selector", title: "CoreDNS scaled to zero, and the app's Service selects no pod", failingAfterInject: ["checkout-reaches-ledger", "cluster-dns", "coredns-available", "ledger-service-routes"] },
    { id: "dns-service-and-port", title: "The kube-dns Service's selector is wrong, and the app's Service targets the wrong port", failingAfterInject: ["checkout-reaches-ledger", "cluster-dns", "ledger-service-routes"] },
  ],
  async setup(ctx) {
    await ctx.apply(appsYaml());
    await checks.until(ctx, checks.allOf(appsUp, checkoutReachesLedger), { timeoutMs: 180_000, what: "checkout to reach the ledger API" });
  },
  async inject(ctx, variant) {
    const v = vid(variant);
    await breakDns(ctx, v);
    await breakApiService(ctx, v);
  },
  checks: [
    { id: "checkout-reaches-ledger", title: "checkout's pod calls http://ledger-api by name", points: 3, timeoutMs: 60_000, run: checkoutReachesLedger },
    { id: "cluster-dns", title: "Fault 1: cluster DNS answers new pods", points: 3, timeoutMs: 90_000, run: clusterDnsWorks },
    { id: "coredns-available", title: "CoreDNS runs its 2 replicas", points: 1, timeoutMs: 30_000, run: corednsUp },
    { id: "ledger-service-routes", title: "Fault 2: Service ledger-api routes to the app's pods on port 80", points: 3, timeoutMs: 15_000, run: ledgerServiceRoutes },
    { id: "apps-unchanged", title: "The ledger-api Deployment is unchanged", points: 1, timeoutMs: 30_000, run: checks.allOf(appsUp, appsUnchanged) },
  ],
  hints: [
    { text: "Work from the symptom inward: `kubectl -n payments exec deploy/checkout -- timeout 5 wget -qO- http://ledger-api`. `bad address` is DNS; `Connection refused` is the Service; fix one, then test again: the second fault shows only once the first is gone.", cost: 1 },
    { text: "DNS: `kubectl -n kube-system get deploy coredns`, `get svc kube-dns -o wide`, `get endpoints kube-dns`. The app: `kubectl -n payments describe svc ledger-api` against `get pods --show-labels` and the container's ports.", cost: 2 },
    { text: "Repair each broken link where it is: CoreDNS's replicas (2) or kube-dns's selector (`k8s-app: kube-dns`), and ledger-api's selector (`app: ledger-api`) or targetPort (`http`).", cost: 4 },
  ],
  async solve(ctx, variant) {
    const v = vid(variant);
    await fixDns(ctx, v);
    await ctx.apply(apiServiceYaml(GOOD_API_SERVICE));
  },
  antiSolutions: [
    {
      id: "fix-dns-only",
      title: "Fix only the DNS fault",
      async apply(ctx, variant) {
        await fixDns(ctx, vid(variant));
      },
    },
    {
      id: "fix-service-only",
      title: "Fix only the app's Service",
      async apply(ctx) {
        await ctx.apply(apiServiceYaml(GOOD_API_SERVICE));
      },
    },
    {
      id: "relabel-app",
      title: "Change the app to fit its broken Service",
      variants: ["coredns-and-selector"],
      async apply(ctx, variant) {
        await fixDns(ctx, vid(variant));
        await kubectlOk(ctx, ["-n", NS, "delete", "deployment", "ledger-api", "--wait=true"]);
        // The Deployment's selector is immutable: it is re-created with the label the broken Service wants.
        await ctx.apply(appsYaml().replace(/app: ledger-api \}/g, "app: ledger }"));
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "deployment", "ledger-api", "--wait=true"]);
        await ctx.apply(appsYaml());
      },
    },
  ],
});
