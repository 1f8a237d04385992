import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario } from "@/lib/scenarios/define-scenario";
import { CNI_DIR, faults } from "@/lib/scenarios/faults";

const NS = "shop";
const KINDNET = { namespace: "kube-system", name: "kindnet", podLabel: "app=kindnet" };
/** A selector no node matches: a capital L, as if typed by hand. */
const WRONG_SELECTOR = { "kubernetes.io/os": "Linux" };
const RIGHT_SELECTOR = { "kubernetes.io/os": "linux" };
/** Pinned to an architecture no node has, as if meant for another cluster's nodes. */
const WRONG_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["s390x"] }] }],
    },
  },
};

const webYaml = `apiVersion: apps/v1
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
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

/** kindnetd's own conflist layout, as a learner might copy it from another cluster. */
function handWrittenConflist(podCidr: string): string {
  return `{
  "cniVersion": "0.3.1",
  "name": "kindnet",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-ipam-state",
        "routes": [{ "dst": "0.0.0.0/0" }],
        "ranges": [[{ "subnet": "${podCidr}" }]]
      },
      "mtu": 1500
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
`;
}

const allNodes = (ctx: ScenarioContext) => [ctx.controlPlane, ...ctx.workers];

async function setKindnetSelector(ctx: ScenarioContext, selector: Record<string, string>): Promise<void> {
  const patch = JSON.stringify({ spec: { template: { spec: { nodeSelector: selector } } } });
  const r = await ctx.kubectl(["-n", KINDNET.namespace, "patch", "daemonset", KINDNET.name, "--type", "merge", "-p", patch]);
  if (r.code !== 0) throw new Error(`kubectl patch daemonset kindnet failed: ${r.stderr.trim()}`);
}

export default defineScenario({
  id: "cni-missing",
  title: "New pods never start",
  summary:
    "A new Deployment's pods stay Pending and nodes have gone NotReady, while older pods keep running. Find out what the nodes are missing and let the cluster repair itself.",
  domain: "networking",
  difficulty: "medium",
  minutes: 20,
  // One node is enough; its workloads tolerate the control-plane taint, which a one-node kubeadm
  // cluster may keep (kind removes it when there are no workers).
  cluster: { workers: 0 },
  requires: { cni: "kindnet" },
  images: ["nginx:1.27"],
  settleMs: 180_000,
  variants: [
    { id: "node-selector", title: "The CNI DaemonSet's node selector matches no node, and the CNI config is gone" },
    { id: "node-affinity", title: "The CNI DaemonSet's node affinity matches no node, and the CNI config is gone" },
  ],
  async setup(ctx) {
    await ctx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.daemonSetReady(KINDNET)), {
      timeoutMs: 180_000,
      what: "every node to be Ready with kindnet running",
    });
  },
  async inject(ctx, variant) {
    // Stop kindnet first: a running kindnetd would write the config straight back.
    await faults.makeDaemonSetUnschedulable(
      ctx,
      variant.id === "node-affinity" ? { ...KINDNET, affinity: WRONG_AFFINITY } : { ...KINDNET, nodeSelector: WRONG_SELECTOR },
    );
    for (const node of allNodes(ctx)) await faults.removeCniConfig(ctx, { node });
    // Only once every node reports the missing network can the workload no longer start; a
    // workload applied earlier could race the runtime's reload and start anyway.
    await ctx.waitFor(
      async () => {
        const nodes = (await ctx.k8s.core.listNode()).items;
        return nodes.every((n) => n.status?.conditions?.find((c) => c.type === "Ready")?.status !== "True");
      },
      { timeoutMs: 120_000, intervalMs: 2000, what: "every node to report NotReady without a CNI config" },
    );
    // The new workload the team is waiting for.
    await ctx.apply(webYaml);
  },
  checks: [
    { id: "nodes-ready", title: "All nodes are Ready", points: 2, timeoutMs: 30_000, run: checks.nodesReady() },
    {
      id: "cni-running",
      title: "The cluster's network plugin runs on every node",
      points: 3,
      timeoutMs: 30_000,
      run: checks.daemonSetReady(KINDNET),
    },
    {
      id: "new-pods-start",
      title: "New pods start and get an IP on every node",
      points: 3,
      timeoutMs: 60_000,
      run: checks.newPodsRunOnEveryNode({ image: "nginx:1.27", timeoutMs: 40_000 }),
    },
    {
      id: "web-available",
      title: "Deployment shop/web is available",
      points: 2,
      timeoutMs: 30_000,
      run: checks.deploymentAvailable({ namespace: NS, name: "web", image: "nginx:1.27" }),
    },
  ],
  hints: [
    {
      text: "Start from the pods: `kubectl -n shop describe pod <pod>` shows why they are not scheduled. Then `kubectl describe node` and read the Ready condition's message and the taints.",
      cost: 2,
    },
    {
      text: "The node says its container runtime network is not ready. Look at what is in /etc/cni/net.d on the nodes, and ask who normally writes it there.",
      cost: 4,
    },
    {
      text: "In a kind cluster the CNI is kindnet, a DaemonSet in kube-system. `kubectl -n kube-system get ds -o wide` shows how many pods it wants. Compare where its pod template allows it to run (node selector and affinity) with the nodes' labels.",
      cost: 6,
    },
  ],
  async solve(ctx, variant) {
    if (variant.id === "node-affinity") {
      const r = await ctx.kubectl(["-n", KINDNET.namespace, "patch", "daemonset", KINDNET.name, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/affinity"}]']);
      if (r.code !== 0) throw new Error(`kubectl patch daemonset kindnet failed: ${r.stderr.trim()}`);
    } else {
      await setKindnetSelector(ctx, RIGHT_SELECTOR);
    }
    await checks.until(ctx, checks.allOf(checks.daemonSetReady(KINDNET), checks.nodesReady()), {
      timeoutMs: 180_000,
      what: "kindnet to run on every node and the nodes to turn Ready",
    });
  },
  antiSolutions: [
    {
      id: "hand-written-conflist",
      title: "Write the CNI config by hand on every node and leave kindnet broken",
      async apply(ctx) {
        const nodes = await ctx.k8s.core.listNode();
        for (const name of allNodes(ctx)) {
          const cidr = nodes.items.find((n) => n.metadata?.name === name)?.spec?.podCIDR ?? "10.244.0.0/24";
          await ctx.node(name).writeFile(`${CNI_DIR}/10-kindnet.conflist`, handWrittenConflist(cidr));
        }
      },
      // Pods that started meanwhile would keep running after inject() removes the configs again
      // (as on a real node), so the workload is recreated to get back to the injected state.
      async revert(ctx) {
        const r = await ctx.kubectl(["-n", NS, "delete", "deployment", "web", "--ignore-not-found", "--wait=true"]);
        if (r.code !== 0) throw new Error(`kubectl delete deployment web failed: ${r.stderr.trim()}`);
      },
    },
  ],
});
