import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults, MANIFESTS_DIR } from "@/lib/scenarios/faults";

const NS = "shop";
const COMPONENT = "kube-controller-manager";
const MANIFEST = `${MANIFESTS_DIR}/${COMPONENT}.yaml`;
/** The replicas the team asks for after the maintenance (it ran 1 before). */
const SCALED = 3;

/** kubeadm's values, which the fix restores. */
const RIGHT: Record<string, { flag: string; value: string }> = {
  "kubeconfig-path": { flag: "kubeconfig", value: "/etc/kubernetes/controller-manager.conf" },
  "service-account-key": { flag: "service-account-private-key-file", value: "/etc/kubernetes/pki/sa.key" },
  "signing-key": { flag: "cluster-signing-key-file", value: "/etc/kubernetes/pki/ca.key" },
};
/** What the "tidy-up" left behind. */
const WRONG: Record<string, string> = {
  "kubeconfig-path": "/etc/kubernetes/controller-manager.cfg",
  "service-account-key": "/etc/kubernetes/pki/sa.pem",
  "signing-key": "/etc/kubernetes/pki/ca-key.pem",
};

const webYaml = `apiVersion: v1
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
      - name: nginx
        image: nginx:1.27
`;

/** kubeadm writes `- --use-service-account-credentials=true`; the typo drops the final "s". */
const typo = (text: string) => text.replace(/^(\s*- --)use-service-account-credentials=/m, "$1use-service-account-credential=");
const untypo = (text: string) => text.replace(/^(\s*- --)use-service-account-credential=/m, "$1use-service-account-credentials=");

async function onControlPlane(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.node(ctx.controlPlane).exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
}

async function breakControllerManager(ctx: ScenarioContext, variant: Variant): Promise<void> {
  if (variant.id === "unknown-flag") return ctx.node(ctx.controlPlane).editFile(MANIFEST, typo);
  const right = RIGHT[variant.id];
  const wrong = WRONG[variant.id];
  if (!right || !wrong) throw new Error(`unknown variant ${variant.id}`);
  await faults.setManifestFlag(ctx, { component: COMPONENT, flag: right.flag, value: wrong });
}

async function fix(ctx: ScenarioContext, variant: Variant): Promise<void> {
  if (variant.id === "unknown-flag") await ctx.node(ctx.controlPlane).editFile(MANIFEST, untypo);
  else {
    const right = RIGHT[variant.id];
    if (!right) throw new Error(`unknown variant ${variant.id}`);
    await faults.setManifestFlag(ctx, { component: COMPONENT, flag: right.flag, value: right.value });
  }
  // A crash-looping static pod waits out its back-off (up to 5 minutes); a restart retries now.
  await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
}

export default defineScenario({
  id: "controller-manager-down",
  title: "Deployments scaled but no new pods",
  summary:
    "The team scaled a Deployment up, kubectl accepted it, and yet no new pod appears. Find out which part of the control plane should have acted on it and bring it back.",
  domain: "control-plane",
  difficulty: "medium",
  minutes: 20,
  // One node is enough; the workload tolerates the control-plane taint, which a one-node kubeadm
  // cluster may keep (kind removes it when there are no workers).
  cluster: { workers: 0 },
  images: ["nginx:1.27"],
  settleMs: 180_000,
  variants: [
    { id: "kubeconfig-path", title: "The controller-manager's --kubeconfig names a file that does not exist" },
    { id: "unknown-flag", title: "A flag of the controller-manager is misspelt" },
    { id: "service-account-key", title: "--service-account-private-key-file names a file that does not exist" },
    { id: "signing-key", title: "--cluster-signing-key-file names a file that does not exist" },
  ],
  async setup(ctx) {
    await ctx.apply(webYaml);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.deploymentAvailable({ namespace: NS, name: "web" })), {
      timeoutMs: 180_000,
      what: "every node to be Ready and Deployment shop/web to be available",
    });
  },
  async inject(ctx, variant) {
    await faults.changeStaticPod(ctx, { component: COMPONENT, change: () => breakControllerManager(ctx, variant) });
    // A stopped leader's Lease stays valid for its duration (15 s): the fault shows once it lapses.
    await faults.waitForLeaderLeaseLapse(ctx, { name: COMPONENT });
    // What the team did after the maintenance: kubectl accepts it, and nothing happens.
    const r = await ctx.kubectl(["-n", NS, "scale", "deployment", "web", `--replicas=${SCALED}`]);
    if (r.code !== 0) throw new Error(`kubectl scale failed: ${r.stderr.trim()}`);
  },
  checks: [
    checks.stays(
      {
        id: "controller-manager-steady",
        title: "kube-controller-manager runs without restarting",
        points: 3,
        timeoutMs: 40_000,
        run: checks.staticPodRunning({ component: COMPONENT, stableSeconds: 10 }),
      },
      20,
    ),
    {
      id: "web-scaled",
      title: `Deployment shop/web has ${SCALED} available replicas`,
      points: 4,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "web", image: "nginx:1.27", minReplicas: SCALED }),
    },
    {
      id: "controller-manager-leads",
      title: "The controller-manager holds and renews its leader lease",
      points: 2,
      timeoutMs: 30_000,
      run: checks.leaderLeaseRenewed({ name: COMPONENT, heldSeconds: 15 }),
    },
  ],
  hints: [
    {
      text: "`kubectl scale` only changes the Deployment's spec. Something else has to notice the change and create a ReplicaSet's pods. Compare `kubectl -n shop get deploy web -o yaml`'s `metadata.generation` with `status.observedGeneration`.",
      cost: 2,
    },
    {
      text: "The Deployment and ReplicaSet controllers run inside kube-controller-manager, a static pod on the control-plane node. `kubectl -n kube-system get pods`, `kubectl -n kube-system get lease kube-controller-manager -o yaml`, `crictl ps -a --name kube-controller-manager` and `crictl logs <container-id>` tell you whether it runs and leads.",
      cost: 4,
    },
    {
      text: "Read the controller-manager's last log lines and compare the path or flag they name with /etc/kubernetes/manifests/kube-controller-manager.yaml, with the files under /etc/kubernetes and /etc/kubernetes/pki, and with the volumes the pod mounts.",
      cost: 7,
    },
  ],
  async solve(ctx, variant) {
    await fix(ctx, variant);
    await checks.until(ctx, checks.deploymentAvailable({ namespace: NS, name: "web", minReplicas: SCALED }), {
      timeoutMs: 180_000,
      what: `Deployment shop/web to have ${SCALED} available replicas`,
    });
  },
  antiSolutions: [
    {
      id: "delete-mirror-pod",
      title: "Delete the controller-manager's pod with kubectl",
      async apply(ctx) {
        const r = await ctx.kubectl(["-n", "kube-system", "delete", "pod", `${COMPONENT}-${ctx.controlPlane}`, "--ignore-not-found", "--wait=false"]);
        if (r.code !== 0) throw new Error(`kubectl delete pod failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "kubeconfig-admin-conf",
      title: "Point the controller-manager's --kubeconfig at admin.conf, which exists on the node",
      variants: ["kubeconfig-path"],
      async apply(ctx) {
        // The file exists on the node, but the pod mounts only controller-manager.conf.
        await faults.setManifestFlag(ctx, { component: COMPONENT, flag: "kubeconfig", value: "/etc/kubernetes/admin.conf" });
        await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
      },
    },
    {
      id: "public-key-for-private",
      title: "Point --service-account-private-key-file at sa.pub",
      variants: ["service-account-key"],
      async apply(ctx) {
        await faults.setManifestFlag(ctx, { component: COMPONENT, flag: "service-account-private-key-file", value: "/etc/kubernetes/pki/sa.pub" });
        await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
      },
    },
    {
      id: "another-key-for-signing",
      title: "Point --cluster-signing-key-file at another key that exists (apiserver.key)",
      variants: ["signing-key"],
      async apply(ctx) {
        await faults.setManifestFlag(ctx, { component: COMPONENT, flag: "cluster-signing-key-file", value: "/etc/kubernetes/pki/apiserver.key" });
        await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
      },
    },
  ],
});
