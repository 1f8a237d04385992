import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const NS = "shop";
const WEB_IMAGE = "nginx:1.27";
/**
 * The team's registry runs in the cluster (namespace `registry`, a registry:2 Deployment behind
 * a NodePort). Every node's containerd pulls from it at 127.0.0.1:<nodePort>: kube-proxy serves
 * NodePorts on the loopback address, and containerd speaks plain HTTP to a loopback registry
 * (the hosts.toml that setup writes says so explicitly, as kind's local-registry guide does).
 */
const REGISTRY_NS = "registry";
const REGISTRY_IMAGE = "registry:2.8.3";
const NODE_PORT = 30500;
const REGISTRY_HOST = `127.0.0.1:${NODE_PORT}`;
const API_IMAGE = `${REGISTRY_HOST}/team/app:1.0`;
/** What setup pushes as the team's app: an image every node already has. */
const APP_SOURCE = "docker.io/library/nginx:1.27";
/** Credentials of the team's registry account, kept in the namespace as a pull secret. */
const REGISTRY = { server: REGISTRY_HOST, username: "team-ci", password: "s3cr3t" };
/** `htpasswd -Bbn team-ci s3cr3t` (bcrypt, cost 5): the only format distribution accepts. */
const HTPASSWD = "team-ci:$2y$05$9pbGhnM2r9ByXmLV4OKGUO7NV2ca1XzPAHLZOGqFK3.PKKINOa3jC\n";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function dockerConfigJson(): string {
  const auth = b64(`${REGISTRY.username}:${REGISTRY.password}`);
  return JSON.stringify({ auths: { [REGISTRY.server]: { username: REGISTRY.username, password: REGISTRY.password, auth } } });
}

const registryYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${REGISTRY_NS}
---
apiVersion: v1
kind: Secret
metadata:
  name: registry-htpasswd
  namespace: ${REGISTRY_NS}
type: Opaque
data:
  htpasswd: ${b64(HTPASSWD)}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: registry
  namespace: ${REGISTRY_NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: registry }
  template:
    metadata:
      labels: { app: registry }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: registry
        image: ${REGISTRY_IMAGE}
        ports:
        - containerPort: 5000
        env:
        - { name: REGISTRY_AUTH, value: htpasswd }
        - { name: REGISTRY_AUTH_HTPASSWD_REALM, value: Team registry }
        - { name: REGISTRY_AUTH_HTPASSWD_PATH, value: /auth/htpasswd }
        volumeMounts:
        - { name: auth, mountPath: /auth, readOnly: true }
      volumes:
      - name: auth
        secret:
          secretName: registry-htpasswd
---
apiVersion: v1
kind: Service
metadata:
  name: registry
  namespace: ${REGISTRY_NS}
spec:
  type: NodePort
  selector: { app: registry }
  ports:
  - { port: 5000, targetPort: 5000, nodePort: ${NODE_PORT} }
`;

/** containerd's per-registry config (config_path = /etc/containerd/certs.d): plain HTTP, pull only. */
const HOSTS_TOML = `server = "http://${REGISTRY_HOST}"

[host."http://${REGISTRY_HOST}"]
  capabilities = ["pull", "resolve"]
`;

const webYaml = () => `apiVersion: v1
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
`;

const apiYaml = () => `apiVersion: v1
kind: Secret
metadata:
  name: team-registry
  namespace: ${NS}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ${b64(dockerConfigJson())}
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
        - containerPort: 80
`;

async function nodeOk(ctx: ScenarioContext, node: string, argv: string[]): Promise<string> {
  const r = await ctx.node(node).exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} on ${node} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** The platform ctr pushes: only that manifest is complete on a node that pulled a multi-arch image. */
async function nodePlatform(ctx: ScenarioContext, node: string): Promise<string> {
  const m = (await nodeOk(ctx, node, ["uname", "-m"])).trim();
  return `linux/${m === "aarch64" || m === "arm64" ? "arm64" : "amd64"}`;
}

/**
 * Pushes the team's image into the in-cluster registry from a node that has the source image
 * (one that runs a web pod). The registry keeps what it is sent only for its container's life,
 * so a retry covers a registry that is still starting.
 */
async function pushTeamImage(ctx: ScenarioContext): Promise<void> {
  const pods = await ctx.kubectl(["-n", NS, "get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o", "jsonpath={.items[0].spec.nodeName}"]);
  const node = pods.stdout.trim() || ctx.controlPlane;
  const platform = await nodePlatform(ctx, node);
  await nodeOk(ctx, node, ["ctr", "-n", "k8s.io", "images", "tag", "--force", APP_SOURCE, API_IMAGE]);
  await ctx.waitFor(
    async () => {
      const r = await ctx.node(node).exec(["ctr", "-n", "k8s.io", "images", "push", "--plain-http", "--platform", platform, "--user", `${REGISTRY.username}:${REGISTRY.password}`, API_IMAGE], { timeoutMs: 60_000 });
      return r.code === 0;
    },
    { timeoutMs: 90_000, intervalMs: 2_000, what: `ctr images push ${API_IMAGE} on ${node} to succeed` },
  );
}

async function applyWorkloads(ctx: ScenarioContext): Promise<void> {
  await ctx.apply(registryYaml());
  for (const node of [ctx.controlPlane, ...ctx.workers]) {
    await nodeOk(ctx, node, ["mkdir", "-p", `/etc/containerd/certs.d/${REGISTRY_HOST}`]);
    await ctx.node(node).writeFile(`/etc/containerd/certs.d/${REGISTRY_HOST}/hosts.toml`, HOSTS_TOML);
  }
  await ctx.apply(webYaml());
  await checks.until(
    ctx,
    checks.allOf(
      checks.deploymentAvailable({ namespace: REGISTRY_NS, name: "registry", image: REGISTRY_IMAGE }),
      checks.deploymentAvailable({ namespace: NS, name: "web", image: WEB_IMAGE }),
    ),
    { timeoutMs: 180_000, what: "Deployments registry/registry and shop/web to be available" },
  );
  await pushTeamImage(ctx);
  await ctx.apply(apiYaml());
  await checks.until(ctx, checks.deploymentAvailable({ namespace: NS, name: "api", image: API_IMAGE }), {
    timeoutMs: 180_000,
    what: "Deployment shop/api to be available",
  });
}

/** Which Deployment each variant breaks. */
const BROKEN: Record<string, "web" | "api"> = { "tag-typo": "web", "private-registry": "api" };

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
  // What the nodes need before setup (kind loads these; `npm run kind:prepull` fetches them). The
  // team's image is not here: setup pushes it into the in-cluster registry.
  images: [WEB_IMAGE, REGISTRY_IMAGE],
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
