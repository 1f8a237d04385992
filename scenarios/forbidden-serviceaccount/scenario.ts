import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "reports";
const SA = "reporter";
const SUBJECT = `system:serviceaccount:${NS}:${SA}`;
const IMAGE = "busybox:1.36";

const appYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${SA}
  namespace: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reporter
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: reporter }
  template:
    metadata:
      labels: { app: reporter }
    spec:
      serviceAccountName: ${SA}
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: reporter
        image: ${IMAGE}
        command: ["sleep", "86400"]
`;

/** What the reporter needs in its namespace: read pods. */
const podRoleYaml = (ns: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: ${ns}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reporter-pods
  namespace: ${ns}
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader }
subjects:
- { kind: ServiceAccount, name: ${SA}, namespace: ${NS} }
`;

/** What it needs cluster-wide: read nodes (cluster-scoped, so only a ClusterRoleBinding grants it). */
const nodeRoleYaml = () => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-reader
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
`;

const nodeClusterBindingYaml = () => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: reporter-nodes
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader }
subjects:
- { kind: ServiceAccount, name: ${SA}, namespace: ${NS} }
`;

const nodeRoleBindingYaml = () => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reporter-nodes
  namespace: ${NS}
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader }
subjects:
- { kind: ServiceAccount, name: ${SA}, namespace: ${NS} }
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const VARIANTS = ["missing-binding", "wrong-namespace", "cluster-scope"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

/** `kubectl auth can-i … --as <the app's ServiceAccount>`: "yes" (exit 0) or "no" (exit 1). */
async function canI(ctx: ScenarioContext, args: string[]): Promise<{ yes: boolean; said: string }> {
  const r = await ctx.kubectl(["auth", "can-i", ...args, `--as=${SUBJECT}`]);
  const said = (r.stdout.trim() || r.stderr.trim()).split("\n")[0] ?? "";
  if (r.code === 0 && said === "yes") return { yes: true, said };
  if (r.code === 1 && said.startsWith("no")) return { yes: false, said };
  throw new Error(`kubectl auth can-i ${args.join(" ")} gave no answer: ${said || `exit ${r.code}`}`);
}

function mustBe(args: string[], want: boolean, what: string): (ctx: ScenarioContext) => Promise<CheckResult> {
  return async (ctx) => {
    let got: { yes: boolean; said: string };
    try {
      got = await canI(ctx, args);
    } catch (err) {
      return { ok: false, message: `The API server did not answer whether the reporter can ${what}.`, detail: { actual: err instanceof Error ? err.message : String(err), expected: want ? "yes" : "no" } };
    }
    if (got.yes === want) return { ok: true, message: `The reporter ${want ? "can" : "cannot"} ${what}.` };
    return { ok: false, message: `The reporter ${got.yes ? "can" : "cannot"} ${what}.`, detail: { actual: `auth can-i ${args.join(" ")}: ${got.said}`, expected: want ? "yes" : "no" } };
  };
}

/** Nothing more than its job: not writing pods, not reading secrets, not everything. */
async function leastPrivilege(ctx: ScenarioContext): Promise<CheckResult> {
  for (const [args, what] of [
    [["delete", "pods", "-n", NS], "delete pods"],
    [["get", "secrets", "-n", NS], "read secrets"],
    [["create", "deployments", "-n", "kube-system"], "create deployments in kube-system"],
    [["list", "pods", "-n", "kube-system"], "list pods in kube-system"],
  ] as [string[], string][]) {
    const r = await mustBe(args, false, what)(ctx);
    if (!r.ok) return { ...r, message: `${r.message} That is more than its job needs.` };
  }
  return { ok: true, message: "The reporter has no more rights than its job needs." };
}

/** The app still runs as its own ServiceAccount. */
async function sameIdentity(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", "reporter", "-o", "jsonpath={.spec.template.spec.serviceAccountName}"]);
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/reporter cannot be read.`, detail: { actual: r.stderr.trim(), expected: "the Deployment exists" } };
  if (r.stdout.trim() !== SA) return { ok: false, message: "The reporter no longer runs as its own ServiceAccount.", detail: { actual: r.stdout.trim() || "default", expected: SA } };
  return { ok: true, message: `The reporter runs as ServiceAccount ${SA}.` };
}

export default defineScenario({
  id: "forbidden-serviceaccount",
  title: "The reporter app gets Forbidden",
  summary: "The reporter app lists the pods of its namespace and the cluster's nodes with its ServiceAccount. Since a clean-up of permissions it gets Forbidden. Give it back exactly the rights it needs.",
  domain: "workloads",
  difficulty: "medium",
  minutes: 20,
  cluster: { workers: 0 },
  images: [IMAGE],
  settleMs: 30_000,
  variants: [
    { id: "missing-binding", title: "The RoleBinding was deleted", failingAfterInject: ["can-list-pods"] },
    { id: "wrong-namespace", title: "The Role and RoleBinding were created in another namespace", failingAfterInject: ["can-list-pods"] },
    { id: "cluster-scope", title: "A ClusterRole bound with a RoleBinding where cluster scope is needed", failingAfterInject: ["can-list-nodes"] },
  ],
  async setup(ctx) {
    await ctx.apply([appYaml(), podRoleYaml(NS), nodeRoleYaml(), nodeClusterBindingYaml()].join("---\n"));
    await checks.until(ctx, checks.deploymentAvailable({ namespace: NS, name: "reporter", image: IMAGE }), { timeoutMs: 180_000, what: "the reporter to be available" });
  },
  async inject(ctx, variant) {
    switch (vid(variant)) {
      case "missing-binding":
        await kubectlOk(ctx, ["-n", NS, "delete", "rolebinding", "reporter-pods", "--ignore-not-found"]);
        break;
      case "wrong-namespace":
        await kubectlOk(ctx, ["-n", NS, "delete", "rolebinding", "reporter-pods", "--ignore-not-found"]);
        await kubectlOk(ctx, ["-n", NS, "delete", "role", "pod-reader", "--ignore-not-found"]);
        await ctx.apply(podRoleYaml("default"));
        break;
      case "cluster-scope":
        await kubectlOk(ctx, ["delete", "clusterrolebinding", "reporter-nodes", "--ignore-not-found"]);
        await ctx.apply(nodeRoleBindingYaml());
        break;
    }
  },
  checks: [
    { id: "can-list-pods", title: `The reporter can list pods in ${NS}`, points: 3, timeoutMs: 15_000, run: mustBe(["list", "pods", "-n", NS], true, `list pods in ${NS}`) },
    { id: "can-list-nodes", title: "The reporter can list the cluster's nodes", points: 3, timeoutMs: 15_000, run: mustBe(["list", "nodes"], true, "list nodes") },
    { id: "least-privilege", title: "The reporter has no more rights than its job needs", points: 2, timeoutMs: 20_000, run: leastPrivilege },
    { id: "same-identity", title: `The reporter still runs as ServiceAccount ${SA}`, points: 1, timeoutMs: 15_000, run: sameIdentity },
  ],
  hints: [
    { text: "Ask the API as the app: `kubectl auth can-i list pods -n reports --as=system:serviceaccount:reports:reporter`, and the same for `list nodes`. `--list` shows everything it may do.", cost: 1 },
    { text: "Follow the grant: `kubectl get roles,rolebindings -A`, `kubectl get clusterrolebindings -o wide | grep reporter`, `kubectl describe rolebinding,clusterrolebinding …`. A binding grants its role only in its own namespace; a RoleBinding never grants cluster-scoped resources such as nodes.", cost: 2 },
    { text: "Grant exactly the missing right, where it applies: a Role and RoleBinding in `reports` for pods, a ClusterRoleBinding for nodes. Binding `cluster-admin` or `edit` gives far more than the job needs.", cost: 4 },
  ],
  async solve(ctx, variant) {
    switch (vid(variant)) {
      case "missing-binding":
        await ctx.apply(podRoleYaml(NS));
        break;
      case "wrong-namespace":
        await ctx.apply(podRoleYaml(NS));
        await kubectlOk(ctx, ["-n", "default", "delete", "rolebinding", "reporter-pods", "--ignore-not-found"]);
        await kubectlOk(ctx, ["-n", "default", "delete", "role", "pod-reader", "--ignore-not-found"]);
        break;
      case "cluster-scope":
        await kubectlOk(ctx, ["-n", NS, "delete", "rolebinding", "reporter-nodes", "--ignore-not-found"]);
        await ctx.apply(nodeClusterBindingYaml());
        break;
    }
  },
  antiSolutions: [
    {
      id: "cluster-admin",
      title: "Bind the ServiceAccount to cluster-admin",
      async apply(ctx) {
        await kubectlOk(ctx, ["create", "clusterrolebinding", "reporter-admin", "--clusterrole=cluster-admin", `--serviceaccount=${NS}:${SA}`]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["delete", "clusterrolebinding", "reporter-admin", "--ignore-not-found"]);
      },
    },
    {
      id: "edit-role",
      title: "Bind the built-in edit ClusterRole in the namespace",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "create", "rolebinding", "reporter-edit", "--clusterrole=edit", `--serviceaccount=${NS}:${SA}`]);
      },
      async revert(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "rolebinding", "reporter-edit", "--ignore-not-found"]);
      },
    },
  ],
});
