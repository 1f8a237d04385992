import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults, MANIFESTS_DIR } from "@/lib/scenarios/faults";

const NS = "shop";
const COMPONENT = "kube-scheduler";
const MANIFEST = `${MANIFESTS_DIR}/${COMPONENT}.yaml`;
/** Where the "tidy-up" left the manifest: next to the kubeconfigs, out of the kubelet's sight. */
const MOVED_TO = `/etc/kubernetes/${COMPONENT}.yaml`;
const KUBECONFIG = "/etc/kubernetes/scheduler.conf";

/** Was running before the fault; a fix must not lose it. */
const storefrontYaml = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: ${NS}
spec:
  replicas: 1
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
`;

/** Deployed after the fault: its pods are the ones the team sees stuck in Pending. */
const reportsYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: reports
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels: { app: reports }
  template:
    metadata:
      labels: { app: reports }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: nginx:1.27
`;

async function onControlPlane(ctx: ScenarioContext, argv: string[]): Promise<void> {
  const r = await ctx.node(ctx.controlPlane).exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
}

async function exists(ctx: ScenarioContext, path: string): Promise<boolean> {
  return (await ctx.node(ctx.controlPlane).exec(["test", "-e", path])).code === 0;
}

/** kubeadm writes `- --bind-address=127.0.0.1`; the typo keeps the value and loses the flag. */
const typo = (text: string) => text.replace(/^(\s*- --)bind-address=/m, "$1bind-addr=");
const untypo = (text: string) => text.replace(/^(\s*- --)bind-addr=/m, "$1bind-address=");

async function breakScheduler(ctx: ScenarioContext, variant: Variant): Promise<void> {
  switch (variant.id) {
    case "kubeconfig-path":
      return faults.setManifestFlag(ctx, { component: COMPONENT, flag: "kubeconfig", value: "/etc/kubernetes/schedulerr.conf" });
    case "unknown-flag":
      return ctx.node(ctx.controlPlane).editFile(MANIFEST, typo);
    case "manifest-moved":
      // mv, as a person would; run again on the injected state it has nothing left to move.
      if (await exists(ctx, MANIFEST)) await onControlPlane(ctx, ["mv", MANIFEST, MOVED_TO]);
      return;
    default:
      throw new Error(`unknown variant ${variant.id}`);
  }
}

async function restartKubelet(ctx: ScenarioContext): Promise<void> {
  // A crash-looping static pod waits out its back-off (up to 5 minutes); a restart retries now.
  await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
}

export default defineScenario({
  id: "scheduler-down",
  title: "Pods stay Pending",
  summary:
    "New pods stay Pending and nothing explains why, while the pods that already ran keep running. Find the component that should have placed them and bring it back.",
  domain: "control-plane",
  difficulty: "medium",
  minutes: 20,
  // One node is enough; the workloads tolerate the control-plane taint, which a one-node kubeadm
  // cluster may keep (kind removes it when there are no workers).
  cluster: { workers: 0 },
  images: ["nginx:1.27"],
  settleMs: 180_000,
  variants: [
    { id: "kubeconfig-path", title: "The scheduler's --kubeconfig names a file that does not exist" },
    { id: "unknown-flag", title: "A flag of the scheduler is misspelt" },
    { id: "manifest-moved", title: "The scheduler's manifest was moved out of the manifests directory" },
  ],
  async setup(ctx) {
    await ctx.apply(storefrontYaml);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.deploymentAvailable({ namespace: NS, name: "storefront" })), {
      timeoutMs: 180_000,
      what: "every node to be Ready and Deployment shop/storefront to be available",
    });
  },
  async inject(ctx, variant) {
    await faults.changeStaticPod(ctx, { component: COMPONENT, change: () => breakScheduler(ctx, variant) });
    // A stopped leader's Lease stays valid for its duration (15 s): the fault shows once it lapses.
    await faults.waitForLeaderLeaseLapse(ctx, { name: COMPONENT });
    // The new workload the team deployed after the maintenance.
    await ctx.apply(reportsYaml);
  },
  checks: [
    checks.stays(
      {
        id: "scheduler-steady",
        title: "kube-scheduler runs without restarting",
        points: 3,
        timeoutMs: 40_000,
        run: checks.staticPodRunning({ component: COMPONENT, stableSeconds: 10 }),
      },
      20,
    ),
    {
      id: "reports-available",
      title: "Deployment shop/reports is available",
      points: 3,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "reports", image: "nginx:1.27" }),
    },
    {
      id: "new-pod-scheduled",
      title: "A new pod is placed on a node and runs",
      points: 3,
      timeoutMs: 60_000,
      run: checks.newPodGetsScheduled({ image: "nginx:1.27", timeoutMs: 30_000 }),
    },
    {
      id: "scheduler-leads",
      title: "The scheduler holds and renews its leader lease",
      points: 2,
      timeoutMs: 30_000,
      run: checks.leaderLeaseRenewed({ name: COMPONENT, heldSeconds: 15 }),
    },
  ],
  hints: [
    {
      text: "Compare a Pending pod that a scheduler looked at and rejected with yours: `kubectl describe pod` of a rejected pod shows a FailedScheduling event. What does the absence of any event tell you about who has looked at the pod?",
      cost: 2,
    },
    {
      text: "The scheduler is a static pod on the control-plane node. `kubectl -n kube-system get pods`, `crictl ps -a --name kube-scheduler` and `crictl logs <container-id>` show whether it runs and what it said before it stopped. The Lease `kube-system/kube-scheduler` shows when a scheduler last renewed its leadership.",
      cost: 4,
    },
    {
      text: "The kubelet runs whatever is in /etc/kubernetes/manifests. Check that the scheduler's manifest is there, and compare its command line with the files its volumes mount and with the flags kube-scheduler accepts (`crictl logs` quotes the one it rejects).",
      cost: 7,
    },
  ],
  async solve(ctx, variant) {
    switch (variant.id) {
      case "kubeconfig-path":
        await faults.setManifestFlag(ctx, { component: COMPONENT, flag: "kubeconfig", value: KUBECONFIG });
        await restartKubelet(ctx);
        break;
      case "unknown-flag":
        await ctx.node(ctx.controlPlane).editFile(MANIFEST, untypo);
        await restartKubelet(ctx);
        break;
      case "manifest-moved":
        await onControlPlane(ctx, ["mv", MOVED_TO, MANIFEST]);
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
    await checks.until(ctx, checks.deploymentAvailable({ namespace: NS, name: "reports" }), {
      timeoutMs: 180_000,
      what: "Deployment shop/reports to be available",
    });
  },
  antiSolutions: [
    {
      id: "kubeconfig-admin-conf",
      title: "Point the scheduler's --kubeconfig at admin.conf, which exists on the node",
      variants: ["kubeconfig-path"],
      async apply(ctx) {
        // The file exists on the node, but the pod mounts only scheduler.conf.
        await faults.setManifestFlag(ctx, { component: COMPONENT, flag: "kubeconfig", value: "/etc/kubernetes/admin.conf" });
        await restartKubelet(ctx);
      },
    },
    {
      id: "delete-mirror-pod",
      title: "Delete the scheduler's pod with kubectl",
      variants: ["kubeconfig-path", "unknown-flag"],
      async apply(ctx) {
        const r = await ctx.kubectl(["-n", "kube-system", "delete", "pod", `${COMPONENT}-${ctx.controlPlane}`, "--ignore-not-found", "--wait=false"]);
        if (r.code !== 0) throw new Error(`kubectl delete pod failed: ${r.stderr.trim()}`);
      },
    },
    {
      id: "apply-moved-manifest",
      title: "Create the scheduler from its moved manifest with kubectl apply",
      variants: ["manifest-moved"],
      async apply(ctx) {
        // An ordinary pod now: it needs a scheduler to be placed on a node.
        await ctx.apply(await ctx.node(ctx.controlPlane).readFile(MOVED_TO));
      },
      async revert(ctx) {
        const r = await ctx.kubectl(["-n", "kube-system", "delete", "pod", COMPONENT, "--ignore-not-found", "--wait=false"]);
        if (r.code !== 0) throw new Error(`kubectl delete pod failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
