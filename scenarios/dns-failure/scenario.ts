import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "orders";
const API_IMAGE = "nginx:1.27";
const CLIENT_IMAGE = "busybox:1.36";

const appsYaml = (dnsPolicy?: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: ${API_IMAGE}
        ports:
        - { name: http, containerPort: 80 }
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: ${NS}
spec:
  selector: { app: api }
  ports:
  - { name: http, port: 80, targetPort: http }
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
${dnsPolicy ? `      dnsPolicy: ${dnsPolicy}\n` : ""}      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: worker
        image: ${CLIENT_IMAGE}
        command: ["sleep", "86400"]
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const VARIANTS = ["coredns-scaled-down", "service-selector", "dns-policy"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

/** The worker's own pod reaches the api by its name, as the app does. */
async function workerReachesApi(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "exec", "deploy/worker", "-c", "worker", "--", "timeout", "10", "wget", "-q", "-O", "-", "http://api"], { timeoutMs: 40_000 });
  if (r.code === 0 && /nginx/i.test(r.stdout)) return { ok: true, message: "The worker gets nginx's page from http://api." };
  // `timeout` ends a wget that gets no answer (a dropped connection) with 143 and no message of its own.
  const said = /exit code 143/.test(r.stderr) ? "no answer within 10 s (wget stopped by timeout)" : ((r.stderr || r.stdout).trim().split("\n").filter((l) => !/^command terminated with exit code|^Terminated$/.test(l)).pop() ?? `exit ${r.code}`);
  return { ok: false, message: "The worker pod cannot fetch http://api.", detail: { actual: said, expected: "nginx's welcome page" } };
}

/** A new pod resolves a cluster name (CoreDNS answers for everyone, not only for the worker). */
async function newPodsResolve(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.probe.dns("kubernetes.default.svc.cluster.local", { image: CLIENT_IMAGE, timeoutMs: 60_000 });
  if (r.ok) return { ok: true, message: "A new pod resolves kubernetes.default." };
  return { ok: false, message: "A new pod cannot resolve cluster names.", detail: { actual: r.detail, expected: "nslookup kubernetes.default answers" } };
}

interface EndpointsView {
  subsets?: { addresses?: { targetRef?: { name?: string } }[]; ports?: { port: number; protocol?: string }[] }[];
}

/** The kube-dns Service sends DNS to CoreDNS's pods, on port 53. */
async function kubeDnsEndpoints(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", "kube-system", "get", "endpoints", "kube-dns", "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: "Endpoints kube-system/kube-dns cannot be read.", detail: { actual: r.stderr.trim(), expected: "CoreDNS's pods on port 53" } };
  const ep = JSON.parse(r.stdout) as EndpointsView;
  const pods = (ep.subsets ?? []).filter((s) => (s.ports ?? []).some((p) => p.port === 53)).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name ?? "?"));
  const coredns = pods.filter((n) => n.startsWith("coredns-"));
  if (!coredns.length) return { ok: false, message: "The kube-dns Service has no CoreDNS endpoints on port 53.", detail: { actual: pods.length ? pods.join(", ") : "<none>", expected: "coredns-… pods on port 53" } };
  return { ok: true, message: `kube-dns sends DNS to ${coredns.join(", ")}.` };
}

interface DeploymentView {
  spec?: { template?: { spec?: { dnsPolicy?: string; hostAliases?: unknown[] } } };
}

/** The worker uses cluster DNS like every other app (no hand-written host entries). */
async function workerUsesClusterDns(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", "worker", "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/worker cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Deployment exists" } };
  const spec = (JSON.parse(r.stdout) as DeploymentView).spec?.template?.spec ?? {};
  const policy = spec.dnsPolicy ?? "ClusterFirst";
  if (policy !== "ClusterFirst" || (spec.hostAliases ?? []).length)
    return { ok: false, message: "The worker does not resolve through cluster DNS.", detail: { actual: `dnsPolicy ${policy}${spec.hostAliases?.length ? ", hostAliases" : ""}`, expected: "dnsPolicy ClusterFirst, no hostAliases" } };
  return { ok: true, message: "The worker resolves through cluster DNS." };
}

const corednsUp = checks.deploymentAvailable({ namespace: "kube-system", name: "coredns", minReplicas: 2 });
const appsUp = checks.allOf(
  checks.deploymentAvailable({ namespace: NS, name: "api", image: API_IMAGE }),
  checks.deploymentAvailable({ namespace: NS, name: "worker", image: CLIENT_IMAGE }),
);

export default defineScenario({
  id: "dns-failure",
  title: "Names stop resolving inside the cluster",
  summary: "The orders worker can no longer reach the api by name: `bad address 'api'`. Find out where name resolution breaks (CoreDNS, its Service, or the pod's own DNS settings) and fix it.",
  domain: "networking",
  difficulty: "medium",
  minutes: 20,
  cluster: { workers: 0 },
  images: [API_IMAGE, CLIENT_IMAGE],
  settleMs: 60_000,
  variants: [
    { id: "coredns-scaled-down", title: "CoreDNS was scaled to zero", failingAfterInject: ["worker-reaches-api", "new-pods-resolve", "coredns-available", "kube-dns-endpoints"] },
    { id: "service-selector", title: "The kube-dns Service's selector matches no pod", failingAfterInject: ["worker-reaches-api", "new-pods-resolve", "kube-dns-endpoints"] },
    { id: "dns-policy", title: "The worker's pods use the node's resolver (dnsPolicy: Default)", failingAfterInject: ["worker-reaches-api", "worker-cluster-dns"] },
  ],
  async setup(ctx) {
    await ctx.apply(appsYaml());
    await checks.until(ctx, checks.allOf(appsUp, workerReachesApi), { timeoutMs: 180_000, what: "the worker to reach the api" });
  },
  async inject(ctx, variant) {
    switch (vid(variant)) {
      case "coredns-scaled-down":
        await kubectlOk(ctx, ["-n", "kube-system", "scale", "deployment/coredns", "--replicas=0"]);
        break;
      case "service-selector":
        await kubectlOk(ctx, ["-n", "kube-system", "patch", "service", "kube-dns", "--type", "merge", "-p", '{"spec":{"selector":{"k8s-app":"coredns"}}}']);
        break;
      case "dns-policy":
        await ctx.apply(appsYaml("Default"));
        await kubectlOk(ctx, ["-n", NS, "rollout", "status", "deployment/worker", "--timeout=150s"]);
        break;
    }
  },
  checks: [
    { id: "worker-reaches-api", title: "The worker pod fetches http://api by name", points: 4, timeoutMs: 60_000, run: workerReachesApi },
    { id: "new-pods-resolve", title: "A new pod resolves kubernetes.default", points: 2, timeoutMs: 90_000, run: newPodsResolve },
    { id: "coredns-available", title: "CoreDNS runs its 2 replicas", points: 1, timeoutMs: 30_000, run: corednsUp },
    { id: "kube-dns-endpoints", title: "The kube-dns Service has CoreDNS's pods as endpoints", points: 1, timeoutMs: 15_000, run: kubeDnsEndpoints },
    { id: "worker-cluster-dns", title: "The worker resolves through cluster DNS (ClusterFirst, no host entries)", points: 1, timeoutMs: 30_000, run: checks.allOf(appsUp, workerUsesClusterDns) },
  ],
  hints: [
    { text: "Reproduce it from the worker: `kubectl -n orders exec deploy/worker -- nslookup api` and `kubectl -n orders exec deploy/worker -- cat /etc/resolv.conf`. Then try from a fresh pod: `kubectl run dnstest --rm -it --image=busybox:1.36 --restart=Never -- nslookup kubernetes.default`.", cost: 1 },
    { text: "Cluster DNS is a chain: the pod's /etc/resolv.conf (from its dnsPolicy) points at the kube-dns Service (10.96.0.10), whose selector picks CoreDNS's pods in kube-system. `kubectl -n kube-system get deploy coredns`, `get svc kube-dns -o wide`, `get endpoints kube-dns`.", cost: 2 },
    { text: "Repair the broken link where it is: CoreDNS's replicas (kind runs 2), the kube-dns Service's selector (`k8s-app: kube-dns`), or the worker's `dnsPolicy` (ClusterFirst, the default). Hard-coding addresses does not count.", cost: 4 },
  ],
  async solve(ctx, variant) {
    switch (vid(variant)) {
      case "coredns-scaled-down":
        await kubectlOk(ctx, ["-n", "kube-system", "scale", "deployment/coredns", "--replicas=2"]);
        await kubectlOk(ctx, ["-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=150s"]);
        break;
      case "service-selector":
        await kubectlOk(ctx, ["-n", "kube-system", "patch", "service", "kube-dns", "--type", "merge", "-p", '{"spec":{"selector":{"k8s-app":"kube-dns"}}}']);
        break;
      case "dns-policy":
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", "worker", "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/dnsPolicy"}]']);
        await kubectlOk(ctx, ["-n", NS, "rollout", "status", "deployment/worker", "--timeout=150s"]);
        break;
    }
  },
  antiSolutions: [
    {
      id: "restart-coredns",
      title: "Restart CoreDNS",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", "kube-system", "rollout", "restart", "deployment/coredns"]);
      },
    },
    {
      id: "restart-worker",
      title: "Restart the worker",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "rollout", "restart", "deployment/worker"]);
        await kubectlOk(ctx, ["-n", NS, "rollout", "status", "deployment/worker", "--timeout=150s"]);
      },
    },
  ],
});
