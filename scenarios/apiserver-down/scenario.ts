import YAML from "yaml";
import { z } from "zod";
import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
const NS = "billing";
/** Created at setup; a fix that loses the cluster's data (or a new cluster) loses this too. */
const SENTINEL = { name: "invoice-settings", data: { currency: "EUR", "payment-terms": "30d" } };
const CERT = "/etc/kubernetes/pki/apiserver.crt";
/** The injected serving-certificate path: a "tidy" rename that no file follows. */
const WRONG_CERT = "/etc/kubernetes/pki/kube-apiserver.crt";

/**
 * What kubeadm writes for a stacked-etcd control plane (cmd/kubeadm/app/phases/controlplane):
 * etcd on loopback, the serving pair and client CA under /etc/kubernetes/pki. --secure-port is the
 * port kubeadm records in the manifest's own advertise-address annotation (6443 by default).
 */
const KUBEADM_FLAGS: Record<string, string[]> = {
  "etcd-servers": ["https://127.0.0.1:2379", "https://[::1]:2379"],
  "tls-cert-file": [CERT],
  "tls-private-key-file": ["/etc/kubernetes/pki/apiserver.key"],
  "client-ca-file": ["/etc/kubernetes/pki/ca.crt"],
};
const ENDPOINT_ANNOTATION = "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";

const manifestSchema = z.object({
  metadata: z.object({ annotations: z.record(z.string(), z.string()).optional() }).loose(),
  spec: z.object({ containers: z.array(z.object({ name: z.string(), command: z.array(z.string()).default([]) }).loose()).min(1) }).loose(),
});

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
  payment-terms: "${SENTINEL.data["payment-terms"]}"
`;

const setFlag = (ctx: ScenarioContext, flag: string, value: string) => faults.setManifestFlag(ctx, { component: "kube-apiserver", flag, value });

/**
 * The manifest on the control-plane node parses and carries kubeadm's values for the flags that
 * decide where the API server listens, which files it serves and trusts, and where etcd is.
 * It reads the node's file, so it works the same on kubeadm, kind and the sim.
 */
async function manifestIsKubeadms(ctx: ScenarioContext): Promise<CheckResult> {
  let text: string;
  try {
    text = await ctx.node(ctx.controlPlane).readFile(MANIFEST);
  } catch {
    return { ok: false, message: "The API server's static-pod manifest is missing.", detail: { actual: `no ${MANIFEST}`, expected: `${MANIFEST} as kubeadm writes it` } };
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch {
    doc = undefined;
  }
  const parsed = manifestSchema.safeParse(doc);
  if (!parsed.success)
    return { ok: false, message: "The API server's static-pod manifest is not a valid pod.", detail: { actual: "the file does not parse as a pod", expected: "a pod manifest the kubelet can read" } };
  const container = parsed.data.spec.containers.find((c) => c.name === "kube-apiserver") ?? parsed.data.spec.containers[0]!;
  const flags = new Map<string, string>();
  for (const arg of container.command) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (m) flags.set(m[1]!, m[2]!);
  }
  const endpoint = parsed.data.metadata.annotations?.[ENDPOINT_ANNOTATION];
  const want: Record<string, string[]> = { ...KUBEADM_FLAGS, "secure-port": [/:(\d+)$/.exec(endpoint ?? "")?.[1] ?? "6443"] };
  const differ = Object.entries(want).filter(([flag, values]) => !values.includes(flags.get(flag) ?? ""));
  if (differ.length)
    return {
      ok: false,
      message: "The API server's manifest does not match what kubeadm writes.",
      detail: { actual: `${differ.length} of the API server's settings differ from kubeadm's`, expected: "kubeadm's values" },
    };
  return { ok: true, message: "The API server's manifest has kubeadm's settings." };
}

async function onControlPlane(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.node(ctx.controlPlane).exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

async function apiBack(ctx: ScenarioContext): Promise<void> {
  await checks.until(ctx, checks.apiAnswers(), { timeoutMs: 300_000, intervalMs: 3000, what: "the API server to answer again" });
}

/** kubeadm indents the container's keys by four spaces; the fault pushes `image:` two further in. */
const IMAGE_LINE = /^ {4}image: (.+)$/m;
const SHIFTED_IMAGE_LINE = /^ {6}image: (.+kube-apiserver.+)$/m;

export default defineScenario({
  id: "apiserver-down",
  title: "kubectl can't reach the API server",
  summary:
    "kubectl on the control-plane node can no longer reach the API server. Find out why kube-apiserver is not serving and bring it back the way kubeadm set it up, without losing the cluster's data.",
  domain: "control-plane",
  difficulty: "medium",
  minutes: 20,
  // The fault is on the control-plane node; one node is enough.
  cluster: { workers: 0 },
  // The API server's exit on a wrong etcd address takes ~20 s per attempt; the kubelet's re-list
  // (20 s) drops a pod whose manifest no longer parses.
  settleMs: 180_000,
  variants: [
    { id: "etcd-servers", title: "--etcd-servers points at the wrong port" },
    { id: "tls-cert-file", title: "--tls-cert-file names a file that does not exist" },
    { id: "manifest-yaml", title: "The manifest no longer parses (indentation)" },
    { id: "secure-port", title: "--secure-port was changed" },
  ],
  async setup(ctx) {
    await ctx.apply(setupYaml);
    await checks.until(ctx, checks.allOf(checks.nodesReady(), checks.apiAnswers()), { timeoutMs: 180_000, what: "every node to be Ready" });
  },
  async inject(ctx, variant) {
    switch (variant.id) {
      case "etcd-servers":
        // etcd's peer port: nothing listens there on loopback.
        await setFlag(ctx, "etcd-servers", "https://127.0.0.1:2380");
        break;
      case "tls-cert-file":
        await setFlag(ctx, "tls-cert-file", WRONG_CERT);
        break;
      case "manifest-yaml":
        await ctx.node(ctx.controlPlane).editFile(MANIFEST, (y) => {
          if (SHIFTED_IMAGE_LINE.test(y)) return y;
          if (!IMAGE_LINE.test(y)) throw new Error(`${MANIFEST} has no "    image:" line to shift.`);
          return y.replace(IMAGE_LINE, "      image: $1");
        });
        break;
      case "secure-port":
        await setFlag(ctx, "secure-port", "6444");
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
  },
  checks: [
    { id: "api-answers", title: "The API server answers on the cluster's address", points: 3, timeoutMs: 30_000, run: checks.apiAnswers() },
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
      id: "manifest-kubeadm",
      title: "The API server's manifest matches what kubeadm writes",
      points: 3,
      timeoutMs: 20_000,
      run: manifestIsKubeadms,
    },
    {
      id: "data-kept",
      title: "The cluster's existing objects are still there",
      points: 3,
      timeoutMs: 30_000,
      run: checks.objectExists({ kind: "configmap", namespace: NS, name: SENTINEL.name, data: SENTINEL.data }),
    },
    { id: "nodes-ready", title: "All nodes are Ready", points: 2, timeoutMs: 30_000, run: checks.nodesReady() },
  ],
  hints: [
    {
      text: "kubectl cannot tell you more than \"cannot connect\". On the control-plane node, check whether anything listens on the port kubectl dials (`ss -tlpn`) and whether a kube-apiserver container exists at all (`crictl ps -a`).",
      cost: 1,
    },
    {
      text: "If there is a kube-apiserver container, its last log lines (`crictl logs <id>`, or the files under /var/log/pods) say why it stopped. If there is none, the kubelet never started it: `journalctl -u kubelet` says why.",
      cost: 3,
    },
    {
      text: "The API server is a static pod: everything about it is in /etc/kubernetes/manifests/kube-apiserver.yaml. Compare its flags with the files in /etc/kubernetes/pki, with where etcd listens, and with the server address in /etc/kubernetes/admin.conf.",
      cost: 6,
    },
  ],
  async solve(ctx, variant: Variant) {
    switch (variant.id) {
      case "etcd-servers":
        await setFlag(ctx, "etcd-servers", "https://127.0.0.1:2379");
        break;
      case "tls-cert-file":
        await setFlag(ctx, "tls-cert-file", CERT);
        break;
      case "manifest-yaml":
        await ctx.node(ctx.controlPlane).editFile(MANIFEST, (y) => y.replace(SHIFTED_IMAGE_LINE, "    image: $1"));
        break;
      case "secure-port":
        await setFlag(ctx, "secure-port", "6443");
        break;
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
    // A crash-looping API server waits out its back-off (up to 5 minutes); a restart retries now.
    await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
    await apiBack(ctx);
  },
  antiSolutions: [
    {
      id: "copy-cert-to-wrong-name",
      title: "Copy the serving certificate to the name the manifest asks for",
      variants: ["tls-cert-file"],
      async apply(ctx) {
        // It serves again, but `kubeadm certs renew apiserver` renews apiserver.crt, not the copy.
        await onControlPlane(ctx, ["cp", "--", CERT, WRONG_CERT]);
        await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
      },
      async revert(ctx) {
        await onControlPlane(ctx, ["rm", "-f", "--", WRONG_CERT]);
        // The running API server loaded the copy; stop its pod so that the kubelet starts it
        // again and it meets the missing file.
        const ids = (await onControlPlane(ctx, ["crictl", "pods", "--name", "kube-apiserver", "-q"])).split("\n").filter(Boolean);
        for (const id of ids) await onControlPlane(ctx, ["crictl", "stopp", id]);
      },
    },
    {
      id: "etcd-metrics-port",
      title: "Point --etcd-servers at another etcd port (the metrics port 2381)",
      variants: ["etcd-servers"],
      async apply(ctx) {
        await setFlag(ctx, "etcd-servers", "https://127.0.0.1:2381");
        await onControlPlane(ctx, ["systemctl", "restart", "kubelet"]);
      },
    },
  ],
});
