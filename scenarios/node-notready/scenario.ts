import { X509Certificate } from "node:crypto";
import YAML from "yaml";
import { z } from "zod";
import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const IMAGE = "nginx:1.27";
const KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
const ADMIN_CONF = "/etc/kubernetes/admin.conf";
const CONFIG_API_VERSION = "kubelet.config.k8s.io/v1beta1";
/** What inject writes: a version the kubelet's scheme does not know (there is no v1 KubeletConfiguration). */
const WRONG_CONFIG_API_VERSION = "kubelet.config.k8s.io/v1";
/** Where the anti-solution keeps the node's own kubelet.conf while it tries admin.conf. */
const KUBELET_CONF_BACKUP = "/root/kubelet.conf.orig";

/**
 * The node the fault is on: the first worker, so that the control plane and the API stay
 * untouched. On a one-node cluster it is the control-plane node; a kubelet that is stopped,
 * crash-looping or cut off from the API leaves the static pods' containers running, so the API
 * keeps answering there too.
 */
const target = (ctx: ScenarioContext) => ctx.workers[0] ?? ctx.controlPlane;

const kubeconfigSchema = z.object({
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string() }).loose() })).min(1),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })).optional(),
  "current-context": z.string().optional(),
  users: z
    .array(z.object({ name: z.string(), user: z.object({ "client-certificate-data": z.string().optional(), "client-certificate": z.string().optional() }).loose() }))
    .min(1),
});
type Kubeconfig = z.infer<typeof kubeconfigSchema>;

function parseKubeconfig(text: string): Kubeconfig | null {
  try {
    const r = kubeconfigSchema.safeParse(YAML.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function current(kc: Kubeconfig): { cluster: Kubeconfig["clusters"][number]; user: Kubeconfig["users"][number] } {
  const c = kc.contexts?.find((x) => x.name === kc["current-context"]) ?? kc.contexts?.[0];
  return {
    cluster: kc.clusters.find((x) => x.name === c?.context.cluster) ?? kc.clusters[0]!,
    user: kc.users.find((x) => x.name === c?.context.user) ?? kc.users[0]!,
  };
}

/** The API server's address as the nodes reach it: the server in the control plane's admin.conf. */
async function apiServerUrl(ctx: ScenarioContext): Promise<string> {
  const kc = parseKubeconfig(await ctx.node(ctx.controlPlane).readFile(ADMIN_CONF));
  if (!kc) throw new Error(`${ADMIN_CONF} on ${ctx.controlPlane} is not a kubeconfig to take the API server's address from.`);
  return current(kc).cluster.cluster.server;
}

/** The same server on a port nothing listens on (6444, as if 6443 had been mistyped). */
function wrongPort(server: string): string {
  const u = new URL(server);
  u.port = u.port === "6444" ? "6445" : "6444";
  return u.toString().replace(/\/$/, "");
}

/** Replaces the `server:` of kubelet.conf's cluster entry, keeping the rest of the file as it is. */
function setServer(text: string, server: string): string {
  return text.replace(/^(\s+server:\s*)\S+\s*$/m, `$1${server}`);
}

async function exec(ctx: ScenarioContext, node: string, argv: string[]): Promise<void> {
  const r = await ctx.node(node).exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} on ${node} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
}

async function readyStatus(ctx: ScenarioContext, node: string): Promise<string | undefined> {
  const n = await ctx.k8s.core.readNode({ name: node });
  return n.status?.conditions?.find((c) => c.type === "Ready")?.status;
}

/** `systemctl <verb> kubelet` on the node prints `want` (is-active, is-enabled). */
function unitState(verb: "is-active" | "is-enabled", want: string, what: string) {
  return async (ctx: ScenarioContext): Promise<CheckResult> => {
    const node = target(ctx);
    const r = await ctx.node(node).exec(["systemctl", verb, "kubelet"], { timeoutMs: 20_000 });
    const got = r.stdout.trim().split("\n")[0] || r.stderr.trim() || `exit ${r.code}`;
    if (got === want) return { ok: true, message: `The kubelet on ${node} is ${what}.` };
    return { ok: false, message: `The kubelet on ${node} is not ${what}.`, detail: { actual: `systemctl ${verb} kubelet: ${got}`, expected: want } };
  };
}

/**
 * kubelet.conf holds the node's own credentials (a client certificate for system:node:<node>),
 * embedded or in the rotating file kubeadm points it at. admin.conf copied over it makes the node
 * come back, but leaves cluster-admin credentials on a worker for anyone with a shell there.
 */
async function kubeletIdentity(ctx: ScenarioContext): Promise<CheckResult> {
  const node = target(ctx);
  const want = `system:node:${node}`;
  let text: string;
  try {
    text = await ctx.node(node).readFile(KUBELET_CONF);
  } catch {
    return { ok: false, message: `${KUBELET_CONF} cannot be read on ${node}.`, detail: { actual: "missing or unreadable", expected: "the kubelet's kubeconfig" } };
  }
  const kc = parseKubeconfig(text);
  if (!kc) return { ok: false, message: `${KUBELET_CONF} on ${node} is not a valid kubeconfig.`, detail: { actual: "unparsable", expected: "a kubeconfig" } };
  const { user } = current(kc);
  let pem: string | undefined;
  if (user.user["client-certificate-data"]) pem = Buffer.from(user.user["client-certificate-data"], "base64").toString("utf8");
  else if (user.user["client-certificate"]) pem = await ctx.node(node).readFile(user.user["client-certificate"]).catch(() => undefined);
  let cn: string | undefined;
  try {
    cn = pem ? /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(pem).subject)?.[1] : undefined;
  } catch {
    cn = undefined;
  }
  if (cn === want) return { ok: true, message: `${KUBELET_CONF} on ${node} holds the node's own credentials.` };
  return {
    ok: false,
    message: `${KUBELET_CONF} on ${node} does not hold the node's own credentials.`,
    detail: { actual: cn ? `client certificate for ${cn}` : "no readable client certificate", expected: `a client certificate for ${want}` },
  };
}

async function waitNotReady(ctx: ScenarioContext): Promise<void> {
  const node = target(ctx);
  // The node controller gives a silent kubelet 50 s (node-monitor-grace-period) before it calls it Unknown.
  await ctx.waitFor(async () => (await readyStatus(ctx, node)) !== "True", { timeoutMs: 240_000, intervalMs: 3000, what: `node ${node} to go NotReady` });
}

async function waitReady(ctx: ScenarioContext): Promise<void> {
  const node = target(ctx);
  await ctx.waitFor(async () => (await readyStatus(ctx, node)) === "True", { timeoutMs: 180_000, intervalMs: 2000, what: `node ${node} to be Ready again` });
}

export default defineScenario({
  id: "node-notready",
  title: "A node is NotReady",
  summary:
    "One node has gone NotReady and new pods no longer land on it, while the rest of the cluster looks fine. Find out why its kubelet stopped reporting and bring the node back for good.",
  domain: "data-plane",
  difficulty: "medium",
  minutes: 20,
  // The fault is on the worker, so the control plane and kubectl are not affected. On a one-node
  // cluster (an attached kubeadm node) the pack falls back to the control-plane node, where the
  // static pods keep running without their kubelet: probe pods are bound by name, so the
  // control-plane taint does not matter.
  cluster: { workers: 1 },
  images: [IMAGE],
  // 50 s grace before the node goes Unknown, then the checks' own windows.
  settleMs: 150_000,
  variants: [
    {
      id: "kubelet-stopped",
      title: "The kubelet was stopped and disabled",
      failingAfterInject: ["node-ready", "kubelet-active", "kubelet-enabled", "new-pod-runs"],
    },
    {
      id: "kubeconfig-server",
      title: "The kubelet's kubeconfig names the wrong API server port",
      failingAfterInject: ["node-ready", "new-pod-runs"],
    },
    {
      id: "config-api-version",
      title: "The kubelet's config file has an apiVersion it does not know",
      failingAfterInject: ["node-ready", "kubelet-active", "new-pod-runs"],
    },
  ],
  async setup(ctx) {
    await checks.until(ctx, checks.nodesReady(), { timeoutMs: 180_000, what: "every node to be Ready" });
  },
  async inject(ctx, variant) {
    const node = target(ctx);
    switch (variant.id) {
      case "kubelet-stopped":
        await exec(ctx, node, ["systemctl", "stop", "kubelet"]);
        await exec(ctx, node, ["systemctl", "disable", "kubelet"]);
        break;
      case "kubeconfig-server": {
        const wrong = wrongPort(await apiServerUrl(ctx));
        await ctx.node(node).editFile(KUBELET_CONF, (t) => setServer(t, wrong));
        await exec(ctx, node, ["systemctl", "restart", "kubelet"]);
        break;
      }
      case "config-api-version":
        await ctx.node(node).editFile(KUBELET_CONFIG, (t) => t.replace(/^apiVersion:.*$/m, `apiVersion: ${WRONG_CONFIG_API_VERSION}`));
        // systemctl restarts a failing kubelet by itself, so the exit code says nothing here.
        await ctx.node(node).exec(["systemctl", "restart", "kubelet"], { timeoutMs: 60_000 });
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
    await waitNotReady(ctx);
  },
  checks: [
    { id: "node-ready", title: "All nodes are Ready", points: 3, timeoutMs: 30_000, run: checks.nodesReady() },
    checks.stays(
      { id: "kubelet-active", title: "The kubelet runs on the node that was NotReady", points: 2, timeoutMs: 30_000, run: unitState("is-active", "active", "running") },
      10,
    ),
    {
      id: "kubelet-enabled",
      title: "The kubelet starts again when the node reboots",
      points: 1,
      timeoutMs: 30_000,
      run: unitState("is-enabled", "enabled", "enabled to start at boot"),
    },
    { id: "kubelet-identity", title: "The kubelet's kubeconfig holds the node's own credentials", points: 1, timeoutMs: 30_000, run: kubeletIdentity },
    {
      id: "new-pod-runs",
      title: "A new pod starts on the node that was NotReady",
      points: 3,
      timeoutMs: 60_000,
      async run(ctx) {
        const node = target(ctx);
        const r = await ctx.probe.podRuns({ node, image: IMAGE, timeoutMs: 40_000 });
        return r.ok
          ? { ok: true, message: `A new pod starts on ${node}.` }
          : { ok: false, message: `A new pod does not start on ${node}.`, detail: { actual: r.detail, expected: `a new pod runs with an IP on ${node}` } };
      },
    },
  ],
  hints: [
    {
      text: "Start from the node: `kubectl describe node <node>` shows its conditions and who set them last. Then go onto that node and ask systemd about the kubelet.",
      cost: 2,
    },
    {
      text: "`systemctl status kubelet` tells you whether the kubelet runs, whether it starts at boot and how its last run ended; `journalctl -u kubelet -n 50 --no-pager` shows what it said before that.",
      cost: 4,
    },
    {
      text: "The kubelet reads /var/lib/kubelet/config.yaml and /etc/kubernetes/kubelet.conf only when it starts. Compare them with what a healthy node or the control plane's kubeconfigs say, and restart the kubelet after a change.",
      cost: 6,
    },
  ],
  async solve(ctx, variant: Variant) {
    const node = target(ctx);
    switch (variant.id) {
      case "kubelet-stopped":
        await exec(ctx, node, ["systemctl", "enable", "--now", "kubelet"]);
        break;
      case "kubeconfig-server": {
        const right = await apiServerUrl(ctx);
        await ctx.node(node).editFile(KUBELET_CONF, (t) => setServer(t, right));
        await exec(ctx, node, ["systemctl", "restart", "kubelet"]);
        break;
      }
      case "config-api-version":
        await ctx.node(node).editFile(KUBELET_CONFIG, (t) => t.replace(/^apiVersion:.*$/m, `apiVersion: ${CONFIG_API_VERSION}`));
        await exec(ctx, node, ["systemctl", "restart", "kubelet"]);
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
    await waitReady(ctx);
  },
  antiSolutions: [
    {
      id: "enable-only",
      title: "Enable the kubelet but do not start it",
      variants: ["kubelet-stopped"],
      async apply(ctx) {
        await exec(ctx, target(ctx), ["systemctl", "enable", "kubelet"]);
      },
    },
    {
      id: "admin-conf-as-kubelet-conf",
      title: "Copy the control plane's admin.conf over kubelet.conf and restart the kubelet",
      variants: ["kubeconfig-server"],
      async apply(ctx) {
        const node = target(ctx);
        const admin = await ctx.node(ctx.controlPlane).readFile(ADMIN_CONF);
        await exec(ctx, node, ["cp", KUBELET_CONF, KUBELET_CONF_BACKUP]);
        await ctx.node(node).writeFile(KUBELET_CONF, admin);
        await exec(ctx, node, ["systemctl", "restart", "kubelet"]);
        await waitReady(ctx);
      },
      async revert(ctx) {
        await exec(ctx, target(ctx), ["mv", KUBELET_CONF_BACKUP, KUBELET_CONF]);
      },
    },
    {
      id: "config-moved-away",
      title: "Move the broken config.yaml out of the way and restart the kubelet",
      variants: ["config-api-version"],
      async apply(ctx) {
        const node = target(ctx);
        await exec(ctx, node, ["mv", KUBELET_CONFIG, `${KUBELET_CONFIG}.broken`]);
        await ctx.node(node).exec(["systemctl", "restart", "kubelet"], { timeoutMs: 60_000 });
      },
      async revert(ctx) {
        await exec(ctx, target(ctx), ["mv", `${KUBELET_CONFIG}.broken`, KUBELET_CONFIG]);
      },
    },
  ],
});
