import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const NS = "shop";
const WEB_IMAGE = "nginx:1.27";
const API_IMAGE = "registry.example.com/team/app:1.0";
/** Credentials of the team's registry account, kept in the namespace as a pull secret. */
const REGISTRY = { server: "registry.example.com", username: "team-ci", password: "s3cr3t" };

function dockerConfigJson(): string {
  const auth = Buffer.from(`${REGISTRY.username}:${REGISTRY.password}`).toString("base64");
  return JSON.stringify({ auths: { [REGISTRY.server]: { username: REGISTRY.username, password: REGISTRY.password, auth } } });
}

const workloadsYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: Secret
metadata:
  name: team-registry
  namespace: ${NS}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ${Buffer.from(dockerConfigJson()).toString("base64")}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 2
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
      imagePullSecrets:
      - name: team-registry
      containers:
      - name: api
        image: ${API_IMAGE}
        # The team's tags are rebuilt in place, so every pod pulls.
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
`;

/** Which Deployment each variant breaks. */
const BROKEN: Record<string, "web" | "api"> = { "tag-typo": "web", "private-registry": "api" };

async function applyWorkloads(ctx: ScenarioContext): Promise<void> {
  await ctx.apply(workloadsYaml());
  await checks.until(
    ctx,
    checks.allOf(
      checks.deploymentAvailable({ namespace: NS, name: "web", image: WEB_IMAGE }),
      checks.deploymentAvailable({ namespace: NS, name: "api", image: API_IMAGE }),
    ),
    { timeoutMs: 180_000, what: "Deployments shop/web and shop/api to be available" },
  );
}

function broken(variant: Variant): "web" | "api" {
  const d = BROKEN[variant.id];
  if (!d) throw new Error(`unknown variant ${variant.id}`);
  return d;
}

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
}

async function rolledOut(ctx: ScenarioContext, name: string): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${name}`, "--timeout=150s"]);
}

export default defineScenario({
  id: "image-pull-backoff",
  title: "A rollout that never finishes",
  summary:
    "After this morning's change, one of the shop's Deployments has new pods that never start and its rollout hangs. Find out why the node cannot start them and finish the rollout with the right image.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 15,
  // One node is enough; its workloads tolerate the control-plane taint, which a one-node kubeadm
  // cluster may keep (kind removes it when there are no workers).
  cluster: { workers: 0 },
  images: [WEB_IMAGE, API_IMAGE],
  settleMs: 120_000,
  variants: [
    { id: "tag-typo", title: "A typo in the image tag", failingAfterInject: ["web-available"] },
    { id: "private-registry", title: "A private image without its pull secret", failingAfterInject: ["api-available"] },
  ],
  setup: applyWorkloads,
  async inject(ctx, variant) {
    if (broken(variant) === "web") {
      await faults.breakImage(ctx, { namespace: NS, deployment: "web", container: "web", image: "nginx:1.72" });
    } else {
      // The pull secret is dropped from the pod template; the Secret itself stays in the namespace.
      const r = await ctx.kubectl(["-n", NS, "get", "deployment", "api", "-o", "jsonpath={.spec.template.spec.imagePullSecrets}"]);
      if (r.code === 0 && r.stdout.trim())
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", "api", "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/imagePullSecrets"}]']);
    }
  },
  checks: [
    {
      id: "web-available",
      title: `Deployment shop/web runs ${WEB_IMAGE} and is fully rolled out`,
      points: 3,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "web", image: WEB_IMAGE }),
    },
    {
      id: "api-available",
      title: `Deployment shop/api runs ${API_IMAGE} and is fully rolled out`,
      points: 3,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "api", image: API_IMAGE }),
    },
  ],
  hints: [
    {
      text: "`kubectl -n shop get pods` shows which pods are stuck. `kubectl -n shop describe pod <pod>` lists the events at the bottom: read the whole `Failed to pull image` line.",
      cost: 1,
    },
    {
      text: "The end of that line says why the pull failed: `not found` means that name or tag does not exist; `401 Unauthorized` or `pull access denied` means the registry wants credentials.",
      cost: 2,
    },
    {
      text: "Compare the image in the Deployment with the one the team wants (`kubectl -n shop get deploy -o wide`), and look at the Secrets the namespace already has (`kubectl -n shop get secrets`). Fix the Deployment itself, not just the pod.",
      cost: 4,
    },
  ],
  async solve(ctx, variant) {
    if (broken(variant) === "web") {
      await kubectlOk(ctx, ["-n", NS, "set", "image", "deployment/web", `web=${WEB_IMAGE}`]);
      await rolledOut(ctx, "web");
    } else {
      await kubectlOk(ctx, ["-n", NS, "patch", "deployment", "api", "--type", "merge", "-p", '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"team-registry"}]}}}}']);
      await rolledOut(ctx, "api");
    }
  },
  antiSolutions: [
    {
      id: "delete-deployment",
      title: "Delete the Deployment whose pods do not start",
      async apply(ctx, variant) {
        await kubectlOk(ctx, ["-n", NS, "delete", "deployment", broken(variant), "--wait=true"]);
      },
      revert: applyWorkloads,
    },
    {
      id: "other-image",
      title: "Swap in some other image that happens to run",
      async apply(ctx, variant) {
        const d = broken(variant);
        await kubectlOk(ctx, ["-n", NS, "set", "image", `deployment/${d}`, d === "web" ? "web=nginx:1.27-alpine" : "api=nginx:1.27"]);
        await rolledOut(ctx, d);
      },
      async revert(ctx, variant) {
        const d = broken(variant);
        await kubectlOk(ctx, ["-n", NS, "set", "image", `deployment/${d}`, d === "web" ? `web=${WEB_IMAGE}` : `api=${API_IMAGE}`]);
      },
    },
  ],
});
