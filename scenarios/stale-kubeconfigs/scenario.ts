import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const NS = "inventory";
const DEPLOYMENT = "api";
/** What the team scaled the Deployment to after the renewal; it never got there. */
const WANTED_REPLICAS = 3;

/** The two leader-elected components, their kubeconfig, kubeadm's name for it and the user it must authenticate as. */
const COMPONENTS = [
  { component: "kube-scheduler", conf: "/etc/kubernetes/scheduler.conf", renew: "scheduler.conf", user: "system:kube-scheduler" },
  { component: "kube-controller-manager", conf: "/etc/kubernetes/controller-manager.conf", renew: "controller-manager.conf", user: "system:kube-controller-manager" },
] as const;

const ADMIN_CONF = "/etc/kubernetes/admin.conf";
/** Where the copy-admin-conf wrong fix keeps the real files, to put them back. */
const backupOf = (conf: string) => `${conf}.breakfix-orig`;

const setupYaml = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${DEPLOYMENT}
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${DEPLOYMENT} }
  template:
    metadata:
      labels: { app: ${DEPLOYMENT} }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

async function onControlPlane(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.node(ctx.controlPlane).exec(argv, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

const renew = (ctx: ScenarioContext, name: string) => onControlPlane(ctx, ["kubeadm", "certs", "renew", name]);

/** Restarts both components, so that each reads its kubeconfig afresh. */
async function restartBoth(ctx: ScenarioContext): Promise<void> {
  for (const c of COMPONENTS) await faults.restartStaticPod(ctx, { component: c.component });
}

/**
 * Brings the Deployment back to 1 replica while the controller-manager still works, so that the
 * scale to 3 after the fault is one nobody acts on. A reset after a wrong fix that let it scale
 * up would otherwise start with 3 replicas already there; with the controller-manager already
 * down, nothing can have grown it since the last inject.
 */
async function scaleBackWhileControllersRun(ctx: ScenarioContext): Promise<void> {
  if (!(await checks.leaderLeaseRenewed({ name: "kube-controller-manager" })(ctx)).ok) return;
  const r = await ctx.kubectl(["-n", NS, "scale", "deployment", DEPLOYMENT, "--replicas=1"]);
  if (r.code !== 0) throw new Error(`kubectl scale failed: ${r.stderr.trim()}`);
  await ctx.waitFor(
    async () => {
      const d = await ctx.k8s.apps.readNamespacedDeployment({ name: DEPLOYMENT, namespace: NS });
      const pods = await ctx.k8s.core.listNamespacedPod({ namespace: NS, labelSelector: `app=${DEPLOYMENT}` });
      const current = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
      return current && d.status?.replicas === 1 && d.status.availableReplicas === 1 && pods.items.length === 1;
    },
    { timeoutMs: 120_000, what: `Deployment ${NS}/${DEPLOYMENT} to be back at 1 replica` },
  );
}

async function bothLead(ctx: ScenarioContext): Promise<void> {
  await checks.until(ctx, checks.allOf(...COMPONENTS.map((c) => checks.leaderLeaseRenewed({ name: c.component }))), {
    timeoutMs: 120_000,
    what: "the scheduler and the controller-manager to lead again",
  });
}

export default defineScenario({
  id: "stale-kubeconfigs",
  title: "After certificate renewal, the scheduler and controller-manager stay broken",
  summary:
    "The cluster's certificates were renewed and kubectl works again, but new pods stay Pending and scaled Deployments do not grow. Find out what the scheduler and the controller-manager still use, and make them work again the way kubeadm intends.",
  domain: "control-plane",
  difficulty: "medium",
  minutes: 25,
  // The control plane is all it needs; the workload tolerates the control-plane taint.
  cluster: { workers: 0 },
  images: ["nginx:1.27"],
  // Two static pod restarts (the kubelet notices a moved manifest within its 20 s file check).
  settleMs: 180_000,
  variants: [
    { id: "expired-client-certs", title: "scheduler.conf and controller-manager.conf still hold expired client certificates" },
    {
      id: "not-restarted",
      title: "The kubeconfigs were renewed, but the components were never restarted",
      // The files on disk are fine; only the running processes still hold the old certificates.
      failingAfterInject: ["scheduler-leads", "controller-manager-leads", "new-pod-scheduled", "api-scaled"],
    },
  ],
  async setup(ctx) {
    await ctx.apply(setupYaml);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.deploymentAvailable({ namespace: NS, name: DEPLOYMENT })), {
      timeoutMs: 180_000,
      what: `every node to be Ready and Deployment ${NS}/${DEPLOYMENT} to be available`,
    });
  },
  async inject(ctx, variant) {
    if (variant.id !== "expired-client-certs" && variant.id !== "not-restarted") throw new Error(`unknown variant ${variant.id}`);
    await scaleBackWhileControllersRun(ctx);
    // The certificates expired and the components were restarted since (a reboot, an upgrade):
    // they now present expired client certificates and the apiserver refuses them.
    for (const c of COMPONENTS) await faults.expireKubeconfigClientCert(ctx, { path: c.conf });
    await restartBoth(ctx);
    // Until the old processes are gone their leases stay renewed (and a working controller-manager
    // would act on the scale below); on a slow machine a restart can take longer than a check waits.
    for (const c of COMPONENTS) await faults.waitForLeaderLeaseLapse(ctx, { name: c.component });
    const r = await ctx.kubectl(["-n", NS, "scale", "deployment", DEPLOYMENT, `--replicas=${WANTED_REPLICAS}`]);
    if (r.code !== 0) throw new Error(`kubectl scale failed: ${r.stderr.trim()}`);
    if (variant.id === "not-restarted") {
      // Renewed on disk, but the running processes keep what they read at start.
      for (const c of COMPONENTS) await renew(ctx, c.renew);
    }
  },
  checks: [
    { id: "scheduler-leads", title: "kube-scheduler is leading", points: 3, timeoutMs: 30_000, run: checks.leaderLeaseRenewed({ name: "kube-scheduler" }) },
    {
      id: "controller-manager-leads",
      title: "kube-controller-manager is leading",
      points: 3,
      timeoutMs: 30_000,
      run: checks.leaderLeaseRenewed({ name: "kube-controller-manager" }),
    },
    { id: "new-pod-scheduled", title: "A new pod gets scheduled to a node", points: 2, timeoutMs: 40_000, run: checks.newPodGetsScheduled({ image: "nginx:1.27" }) },
    {
      id: "api-scaled",
      title: `Deployment ${NS}/${DEPLOYMENT} runs ${WANTED_REPLICAS} available replicas`,
      points: 3,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: DEPLOYMENT, image: "nginx:1.27", minReplicas: WANTED_REPLICAS }),
    },
    {
      id: "kubeconfigs-valid",
      title: "scheduler.conf and controller-manager.conf hold their own valid certificates from the cluster CA",
      points: 3,
      timeoutMs: 40_000,
      run: checks.allOf(...COMPONENTS.map((c) => checks.kubeconfigFileWorks({ path: c.conf, validDays: 30, user: c.user }))),
    },
  ],
  hints: [
    {
      text: "Pods that nobody schedules and Deployments that nobody scales point at two components. Read their logs: `kubectl -n kube-system logs` on their pods, or `crictl logs` on the control-plane node.",
      cost: 1,
    },
    {
      text: "Both components authenticate with the client certificate embedded in their kubeconfig under /etc/kubernetes. `kubeadm certs check-expiration` lists those too. When did the running containers start (`crictl ps`, `crictl inspect`), compared with when those files were last written?",
      cost: 3,
    },
    {
      text: "A process reads its kubeconfig when it starts. After `kubeadm certs renew` of a component's kubeconfig, that component needs a restart; a static pod restarts when its manifest leaves /etc/kubernetes/manifests for a while and comes back.",
      cost: 5,
    },
  ],
  async solve(ctx, variant) {
    if (variant.id === "expired-client-certs") {
      for (const c of COMPONENTS) await renew(ctx, c.renew);
    } else if (variant.id !== "not-restarted") {
      throw new Error(`unknown variant ${variant.id}`);
    }
    await restartBoth(ctx);
    await bothLead(ctx);
  },
  antiSolutions: [
    {
      id: "renew-scheduler-only",
      title: "Renew scheduler.conf only, and restart both components",
      variants: ["expired-client-certs"],
      async apply(ctx) {
        await renew(ctx, "scheduler.conf");
        await restartBoth(ctx);
      },
    },
    {
      id: "renew-without-restart",
      title: "Renew both kubeconfigs and restart nothing",
      variants: ["expired-client-certs"],
      async apply(ctx) {
        for (const c of COMPONENTS) await renew(ctx, c.renew);
      },
    },
    {
      id: "restart-scheduler-only",
      title: "Restart the scheduler only",
      variants: ["not-restarted"],
      async apply(ctx) {
        await faults.restartStaticPod(ctx, { component: "kube-scheduler" });
      },
    },
    {
      id: "copy-admin-conf",
      title: "Copy admin.conf over both kubeconfigs and restart both components",
      async apply(ctx) {
        const node = ctx.node(ctx.controlPlane);
        const admin = await node.readFile(ADMIN_CONF);
        for (const c of COMPONENTS) {
          await node.writeFile(backupOf(c.conf), await node.readFile(c.conf));
          await node.writeFile(c.conf, admin);
        }
        await restartBoth(ctx);
      },
      async revert(ctx) {
        const node = ctx.node(ctx.controlPlane);
        for (const c of COMPONENTS) {
          await node.writeFile(c.conf, await node.readFile(backupOf(c.conf)));
          await onControlPlane(ctx, ["rm", "-f", "--", backupOf(c.conf)]);
        }
      },
    },
  ],
});
