import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "shop";
const API_IMAGE = "nginx:1.27";
const CLIENT_IMAGE = "busybox:1.36";

const appsYaml = () => `apiVersion: v1
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
  name: frontend
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: frontend }
  template:
    metadata:
      labels: { app: frontend }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: client
        image: ${CLIENT_IMAGE}
        command: ["sleep", "86400"]
`;

const defaultDenyYaml = () => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${NS}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const allowDnsYaml = (dnsLabel: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: ${NS}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels: { kubernetes.io/metadata.name: kube-system }
      podSelector:
        matchLabels: { k8s-app: ${dnsLabel} }
    ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
`;

const apiIngressYaml = (fromApp: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-allow-frontend
  namespace: ${NS}
spec:
  podSelector:
    matchLabels: { app: api }
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: { app: ${fromApp} }
    ports:
    - { protocol: TCP, port: 80 }
`;

const frontendEgressYaml = () => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-to-api
  namespace: ${NS}
spec:
  podSelector:
    matchLabels: { app: frontend }
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchLabels: { app: api }
    ports:
    - { protocol: TCP, port: 80 }
`;

const policiesYaml = () => [defaultDenyYaml(), allowDnsYaml("kube-dns"), apiIngressYaml("frontend"), frontendEgressYaml()].join("---\n");

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const VARIANTS = ["missing-allow", "selector-miss", "dns-blocked"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

/** The frontend's own pod fetches http://api, as the app does (by name: DNS, then the Service). */
async function frontendReachesApi(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "exec", "deploy/frontend", "-c", "client", "--", "timeout", "10", "wget", "-q", "-O", "-", "http://api"], { timeoutMs: 30_000 });
  if (r.code === 0 && /nginx/i.test(r.stdout)) return { ok: true, message: "The frontend gets nginx's page from http://api." };
  // `timeout` ends a wget that gets no answer (a dropped connection) with 143 and no message of its own.
  const said = /exit code 143/.test(r.stderr) ? "no answer within 10 s (wget stopped by timeout)" : ((r.stderr || r.stdout).trim().split("\n").filter((l) => !/^command terminated with exit code|^Terminated$/.test(l)).pop() ?? `exit ${r.code}`);
  return { ok: false, message: "The frontend pod cannot fetch http://api.", detail: { actual: said, expected: "nginx's welcome page" } };
}

interface PolicyView {
  metadata: { name: string };
  spec: {
    podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    policyTypes?: string[];
    ingress?: { from?: unknown[] }[];
    egress?: { to?: unknown[] }[];
  };
}

async function policies(ctx: ScenarioContext): Promise<PolicyView[] | CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "networkpolicies", "-o", "json"]);
  if (r.code !== 0) return { ok: false, message: `The NetworkPolicies of ${NS} cannot be read.`, detail: { actual: r.stderr.trim(), expected: "a list of policies" } };
  return (JSON.parse(r.stdout) as { items: PolicyView[] }).items;
}

const selectsAll = (p: PolicyView) => !Object.keys(p.spec.podSelector?.matchLabels ?? {}).length && !(p.spec.podSelector?.matchExpressions ?? []).length;

/** The namespace still denies by default, both ways. */
async function defaultDenyKept(ctx: ScenarioContext): Promise<CheckResult> {
  const ps = await policies(ctx);
  if (!Array.isArray(ps)) return ps;
  const deny = ps.find((p) => selectsAll(p) && (p.spec.policyTypes ?? []).includes("Ingress") && (p.spec.policyTypes ?? []).includes("Egress") && !(p.spec.ingress ?? []).length && !(p.spec.egress ?? []).length);
  if (!deny) return { ok: false, message: `Namespace ${NS} no longer denies traffic by default.`, detail: { actual: ps.map((p) => p.metadata.name).join(", ") || "no policies", expected: "a policy selecting every pod, types Ingress and Egress, with no rules" } };
  return { ok: true, message: `Policy ${deny.metadata.name} still denies by default.` };
}

/** No policy opens the namespace wholesale: every ingress and egress rule names its peers (an empty `from`/`to` admits everyone). */
async function nothingOpenedWide(ctx: ScenarioContext): Promise<CheckResult> {
  const ps = await policies(ctx);
  if (!Array.isArray(ps)) return ps;
  const wide = ps.filter((p) => (p.spec.ingress ?? []).some((r) => !(r.from ?? []).length) || (p.spec.egress ?? []).some((r) => !(r.to ?? []).length)).map((p) => p.metadata.name);
  if (wide.length) return { ok: false, message: `Policy ${wide.join(", ")} admits traffic from or to anyone.`, detail: { actual: `a rule without from/to in ${wide.join(", ")}`, expected: "rules that name the pods they allow" } };
  return { ok: true, message: "Every rule names the pods it allows." };
}

const apiUp = checks.deploymentAvailable({ namespace: NS, name: "api", image: API_IMAGE });
const frontendUp = checks.deploymentAvailable({ namespace: NS, name: "frontend", image: CLIENT_IMAGE });

export default defineScenario({
  id: "netpol-blocked",
  title: "The frontend's calls to its API fail",
  summary: "The shop namespace moved to deny-by-default NetworkPolicies. Since the last change the frontend's requests to the api time out. Find the policy that blocks them and allow exactly what the app needs.",
  domain: "networking",
  difficulty: "medium",
  minutes: 20,
  cluster: { workers: 0 },
  requires: { cni: "kindnet" },
  images: [API_IMAGE, CLIENT_IMAGE],
  settleMs: 45_000,
  variants: [
    { id: "missing-allow", title: "The policy that lets the frontend in was deleted", failingAfterInject: ["frontend-reaches-api"] },
    { id: "selector-miss", title: "The allow policy's podSelector misses the frontend", failingAfterInject: ["frontend-reaches-api"] },
    { id: "dns-blocked", title: "Egress to cluster DNS is blocked", failingAfterInject: ["frontend-reaches-api"] },
  ],
  async setup(ctx) {
    await ctx.apply(appsYaml());
    await checks.until(ctx, checks.allOf(apiUp, frontendUp), { timeoutMs: 180_000, what: "the api and the frontend to be available" });
    await ctx.apply(policiesYaml());
    await checks.until(ctx, frontendReachesApi, { timeoutMs: 60_000, what: "the frontend to reach the api through the policies" });
  },
  async inject(ctx, variant) {
    switch (vid(variant)) {
      case "missing-allow":
        await kubectlOk(ctx, ["-n", NS, "delete", "networkpolicy", "api-allow-frontend", "--ignore-not-found"]);
        break;
      case "selector-miss":
        await ctx.apply(apiIngressYaml("front-end"));
        break;
      case "dns-blocked":
        await ctx.apply(allowDnsYaml("coredns"));
        break;
    }
  },
  checks: [
    { id: "frontend-reaches-api", title: "The frontend pod fetches http://api", points: 4, timeoutMs: 45_000, run: frontendReachesApi },
    { id: "default-deny-kept", title: `Namespace ${NS} still denies traffic by default`, points: 2, timeoutMs: 15_000, run: defaultDenyKept },
    { id: "nothing-opened-wide", title: "No policy admits traffic from or to anyone", points: 2, timeoutMs: 15_000, run: nothingOpenedWide },
    { id: "apps-available", title: "The api and the frontend are available", points: 1, timeoutMs: 30_000, run: checks.allOf(apiUp, frontendUp) },
  ],
  hints: [
    { text: "Reproduce it from the frontend: `kubectl -n shop exec deploy/frontend -- timeout 5 wget -qO- http://api`. No answer at all is a dropped packet (a policy); `bad address` is a name that did not resolve (DNS).", cost: 1 },
    { text: "`kubectl -n shop get networkpolicies` and `kubectl -n shop describe networkpolicy <name>`: with a deny-by-default policy, a connection needs an egress rule on the client's side and an ingress rule on the server's side, and the DNS lookup before it needs egress to CoreDNS (`kubectl -n kube-system get pods --show-labels`).", cost: 2 },
    { text: "Allow exactly what the app needs: a peer selector must match the real labels of the pods (`kubectl get pods -A --show-labels`). Do not delete the default deny or add a rule without `from`/`to`.", cost: 4 },
  ],
  async solve(ctx, variant) {
    switch (vid(variant)) {
      case "missing-allow":
      case "selector-miss":
        await ctx.apply(apiIngressYaml("frontend"));
        break;
      case "dns-blocked":
        await ctx.apply(allowDnsYaml("kube-dns"));
        break;
    }
  },
  antiSolutions: [
    {
      id: "delete-default-deny",
      title: "Delete the default-deny policy",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "networkpolicy", "default-deny"]);
      },
      async revert(ctx) {
        await ctx.apply(defaultDenyYaml());
      },
    },
    {
      id: "allow-all",
      title: "Add a policy that allows all ingress and egress in the namespace",
      async apply(ctx) {
        await ctx.apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all
  namespace: ${NS}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - {}
  egress:
  - {}
`);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "networkpolicy", "allow-all", "--ignore-not-found"]);
      },
    },
  ],
});
