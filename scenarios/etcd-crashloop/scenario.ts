import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const NS = "shop";
/** Created at setup; a fix that loses the cluster's data loses this too. */
const SENTINEL = { name: "shop-settings", data: { currency: "EUR", "checkout-timeout": "30s" } };
const ETCD_DATA = "/var/lib/etcd";
const CERT_FILE = "/etc/kubernetes/pki/etcd/server.crt";
const CA_FILE = "/etc/kubernetes/pki/etcd/ca.crt";
/** Where the data-dir variant points etcd: outside the etcd-data mount (the second one on a re-inject). */
const MOVED_DATA = ["/var/lib/etcd-data", "/var/lib/etcd-data-new"] as const;
/** The anti-solution's "fresh start": a new, empty data dir. */
const FRESH_DATA = "/var/lib/etcd-fresh";

const setupYaml = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${SENTINEL.name}
  namespace: ${NS}
data:
  currency: "${SENTINEL.data.currency}"
  checkout-timeout: "${SENTINEL.data["checkout-timeout"]}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels: { app: storefront }
  template:
    metadata:
      labels: { app: storefront }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const etcdFlag = (ctx: ScenarioContext, flag: string) => faults.readManifestFlag(ctx, { component: "etcd", flag });
const setEtcdFlag = (ctx: ScenarioContext, flag: string, value: string) =>
  faults.setManifestFlag(ctx, { component: "etcd", flag, value });

/** The node-IP URL etcd serves on besides loopback, from its own advertise flag. */
async function nodeClientUrl(ctx: ScenarioContext): Promise<string> {
  const advertise = await etcdFlag(ctx, "advertise-client-urls");
  if (!advertise) throw new Error("etcd.yaml has no --advertise-client-urls to take the node's address from.");
  return advertise.split(",")[0]!;
}

async function apiBack(ctx: ScenarioContext): Promise<void> {
  await ctx.waitFor(
    async () => {
      const r = await ctx.kubectl(["get", "--raw", "/readyz"], { timeoutMs: 15_000 });
      return r.code === 0;
    },
    { timeoutMs: 300_000, intervalMs: 3000, what: "the API server to answer again" },
  );
}

/** What the solution does: put the one wrong flag right, then restart the kubelet to skip back-off. */
async function fixFlag(ctx: ScenarioContext, variant: Variant): Promise<void> {
  switch (variant.id) {
    case "listen-client-urls":
      await setEtcdFlag(ctx, "listen-client-urls", `https://127.0.0.1:2379,${await nodeClientUrl(ctx)}`);
      break;
    case "cert-file":
      await setEtcdFlag(ctx, "cert-file", CERT_FILE);
      break;
    case "data-dir":
      await setEtcdFlag(ctx, "data-dir", ETCD_DATA);
      break;
    case "trusted-ca-file":
      await setEtcdFlag(ctx, "trusted-ca-file", CA_FILE);
      break;
    default:
      throw new Error(`unknown variant ${variant.id}`);
  }
  // The kubelet holds a crash-looping pod in back-off for up to 5 minutes; a restart retries now.
  const r = await ctx.node(ctx.controlPlane).exec(["systemctl", "restart", "kubelet"]);
  if (r.code !== 0) throw new Error(`systemctl restart kubelet failed: ${r.stderr.trim()}`);
}

export default defineScenario({
  id: "etcd-crashloop",
  title: "The API server keeps crashing",
  summary:
    "kubectl stops answering and the API server restarts over and over. Find out what it depends on that broke, and bring the control plane back without losing the cluster's data.",
  domain: "control-plane",
  difficulty: "hard",
  minutes: 25,
  // One node is enough; its workloads tolerate the control-plane taint, which a one-node kubeadm
  // cluster may keep (kind removes it when there are no workers).
  cluster: { workers: 0 },
  images: ["nginx:1.27"],
  settleMs: 240_000,
  variants: [
    { id: "listen-client-urls", title: "etcd stopped listening on loopback" },
    { id: "cert-file", title: "etcd's serving certificate path is wrong" },
    { id: "trusted-ca-file", title: "etcd's client CA path is wrong" },
    {
      id: "data-dir",
      title: "etcd's data directory moved",
      // etcd starts an empty store: the cluster's content is gone, the Node objects and all RBAC
      // included. The admin kubeconfig (kubeadm:cluster-admins, v1.29+) is forbidden from then
      // on, since only kubeadm init writes that binding. The API server itself answers: /livez is
      // forbidden to the kubelet's anonymous probe, so the kubelet restarts it once (~90 s), and
      // its rbac/bootstrap-roles hook writes the default roles again, which let /readyz through.
      // etcd and the API server run, as crictl on the node shows: the steady checks read the
      // runtime when the API refuses them (or has no mirror pod), so they pass as they should.
      failingAfterInject: ["data-kept", "storefront-available", "nodes-ready"],
    },
  ],
  async setup(ctx) {
    await ctx.apply(setupYaml);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.deploymentAvailable({ namespace: NS, name: "storefront" })), {
      timeoutMs: 180_000,
      what: "every node to be Ready and Deployment shop/storefront to be available",
    });
  },
  async inject(ctx, variant) {
    switch (variant.id) {
      case "listen-client-urls":
        // Only the node address is left: the API server dials 127.0.0.1:2379 and is refused.
        await setEtcdFlag(ctx, "listen-client-urls", await nodeClientUrl(ctx));
        break;
      case "cert-file":
        await setEtcdFlag(ctx, "cert-file", "/etc/kubernetes/pki/etcd/server.cert");
        break;
      case "trusted-ca-file":
        // etcd 3.5 reads its client CA only when the client listeners start serving: it comes up,
        // then dies with "listener failed" (open …: no such file or directory).
        await setEtcdFlag(ctx, "trusted-ca-file", "/etc/kubernetes/pki/etcd/etcd-ca.crt");
        break;
      case "data-dir": {
        // Outside the etcd-data hostPath mount: etcd silently starts a new, empty store in its
        // container's own filesystem. Injected again (a reset), the flag moves to the other path,
        // so etcd restarts into a new empty store as the first time; otherwise a store that a
        // restarted kubelet has registered its Node into again would stay.
        const now = await etcdFlag(ctx, "data-dir");
        await setEtcdFlag(ctx, "data-dir", now === MOVED_DATA[0] ? MOVED_DATA[1] : MOVED_DATA[0]);
        break;
      }
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
  },
  checks: [
    { id: "api-answers", title: "The API server answers requests", points: 3, timeoutMs: 30_000, run: checks.apiAnswers() },
    checks.stays(
      { id: "etcd-steady", title: "etcd runs without restarting", points: 3, timeoutMs: 40_000, run: checks.staticPodRunning({ component: "etcd", stableSeconds: 10 }) },
      20,
    ),
    checks.stays(
      {
        id: "apiserver-steady",
        title: "kube-apiserver runs without restarting",
        points: 3,
        timeoutMs: 40_000,
        run: checks.staticPodRunning({ component: "kube-apiserver", stableSeconds: 10 }),
      },
      20,
    ),
    {
      id: "data-kept",
      title: "The cluster's existing objects are still there",
      points: 4,
      timeoutMs: 30_000,
      run: checks.objectExists({ kind: "configmap", namespace: NS, name: SENTINEL.name, data: SENTINEL.data }),
    },
    {
      id: "storefront-available",
      title: "Deployment shop/storefront is available",
      points: 2,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "storefront", image: "nginx:1.27" }),
    },
    { id: "nodes-ready", title: "All nodes are Ready", points: 2, timeoutMs: 30_000, run: checks.nodesReady() },
  ],
  hints: [
    {
      text: "kubectl needs the API server, and the API server is a static pod. On the control-plane node, `crictl ps -a` and `crictl logs <container-id>` still work when kubectl does not.",
      cost: 2,
    },
    {
      text: "Read the API server's last log lines: what does it fail to connect to before it exits? Then look at that component's own container and logs.",
      cost: 4,
    },
    {
      text: "Compare the flags in /etc/kubernetes/manifests/etcd.yaml with what the API server expects (`--etcd-servers` in kube-apiserver.yaml) and with the files and directories that exist on the node and are mounted into the pod.",
      cost: 7,
    },
  ],
  async solve(ctx, variant) {
    await fixFlag(ctx, variant);
    await apiBack(ctx);
  },
  antiSolutions: [
    {
      id: "fresh-data-dir",
      title: "Fix the flag but start etcd on a new, empty data directory",
      variants: ["listen-client-urls", "cert-file", "trusted-ca-file"],
      async apply(ctx, variant) {
        await setEtcdFlag(ctx, "data-dir", FRESH_DATA);
        await fixFlag(ctx, variant);
        await apiBack(ctx);
      },
      async revert(ctx) {
        await setEtcdFlag(ctx, "data-dir", ETCD_DATA);
      },
    },
  ],
});
