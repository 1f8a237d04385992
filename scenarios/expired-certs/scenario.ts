import YAML from "yaml";
import { checks } from "@/lib/scenarios/checks";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario } from "@/lib/scenarios/define-scenario";
import { faults } from "@/lib/scenarios/faults";

const ADMIN_CONF = "/etc/kubernetes/admin.conf";
const CA_CRT = "/etc/kubernetes/pki/ca.crt";

/** kubeadm's name for each certificate, as `kubeadm certs renew` takes it. */
const RENEW_TARGET: Record<string, string> = { "apiserver-cert": "apiserver", "admin-conf": "admin.conf" };

async function onControlPlane(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.node(ctx.controlPlane).exec(argv, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

export default defineScenario({
  id: "expired-certs",
  title: "kubectl fails with x509 errors",
  summary:
    "kubectl on the control-plane node has started failing with x509 errors. Find which certificate is the problem and renew it the way kubeadm does, without weakening TLS.",
  domain: "control-plane",
  difficulty: "medium",
  minutes: 20,
  // No workload of its own: the control plane is all it needs.
  cluster: { workers: 0 },
  images: ["nginx:1.27"],
  settleMs: 120_000,
  variants: [
    { id: "apiserver-cert", title: "The API server's serving certificate has expired" },
    {
      id: "admin-conf",
      title: "The admin client certificate in admin.conf has expired",
      // The cluster itself is fine; only the admin's own credentials are refused.
      failingAfterInject: ["admin-conf-works"],
    },
  ],
  async setup(ctx) {
    await checks.until(ctx, checks.nodesReady(), { timeoutMs: 180_000, what: "every node to be Ready" });
  },
  async inject(ctx, variant) {
    if (variant.id === "apiserver-cert") {
      // kube-apiserver reloads its serving certificate from disk; no restart needed.
      await faults.expireCertificate(ctx, { cert: "/etc/kubernetes/pki/apiserver.crt" });
    } else if (variant.id === "admin-conf") {
      await faults.expireKubeconfigClientCert(ctx, { path: ADMIN_CONF });
    } else {
      throw new Error(`unknown variant ${variant.id}`);
    }
  },
  checks: [
    {
      id: "api-cert-valid",
      title: "The API server presents a valid certificate from the cluster CA",
      points: 4,
      timeoutMs: 20_000,
      run: checks.servedCertValidFor({ days: 30 }),
    },
    {
      id: "admin-conf-works",
      title: "/etc/kubernetes/admin.conf works and verifies the API server",
      points: 4,
      timeoutMs: 30_000,
      run: checks.kubeconfigFileWorks({ path: ADMIN_CONF, validDays: 30 }),
    },
    { id: "api-answers", title: "The API server answers requests", points: 1, timeoutMs: 30_000, run: checks.apiAnswers() },
    { id: "nodes-ready", title: "All nodes are Ready", points: 1, timeoutMs: 30_000, run: checks.nodesReady() },
  ],
  hints: [
    {
      text: "Read kubectl's error to the end: it says which certificate failed, and whether the problem is the server's certificate or your own credentials.",
      cost: 1,
    },
    {
      text: "`kubeadm certs check-expiration` on the control-plane node lists every certificate kubeadm manages and when it expires. `openssl x509 -noout -dates -in <file>` shows one certificate.",
      cost: 3,
    },
    {
      text: "`kubeadm certs renew <name>` reissues one certificate from the cluster CA with the same names and usages. Think about which process reads the renewed file and whether it needs a restart.",
      cost: 5,
    },
  ],
  async solve(ctx, variant) {
    const target = RENEW_TARGET[variant.id];
    if (!target) throw new Error(`unknown variant ${variant.id}`);
    await onControlPlane(ctx, ["kubeadm", "certs", "renew", target]);
    // admin.conf is read by kubectl on every run, and kube-apiserver reloads its serving
    // certificate from disk, so neither needs a restart. Wait until the API serves the new one.
    await checks.until(ctx, checks.servedCertValidFor({ days: 30 }), {
      timeoutMs: 90_000,
      what: "the API server to serve the renewed certificate",
    });
  },
  antiSolutions: [
    {
      id: "insecure-skip-tls-verify",
      title: "Tell kubectl to skip TLS verification in admin.conf",
      async apply(ctx) {
        await ctx.node(ctx.controlPlane).editFile(ADMIN_CONF, (text) => {
          const doc = YAML.parseDocument(text);
          doc.deleteIn(["clusters", 0, "cluster", "certificate-authority-data"]);
          doc.setIn(["clusters", 0, "cluster", "insecure-skip-tls-verify"], true);
          return doc.toString({ lineWidth: 0 });
        });
      },
      async revert(ctx) {
        const ca = await ctx.node(ctx.controlPlane).readFile(CA_CRT);
        await ctx.node(ctx.controlPlane).editFile(ADMIN_CONF, (text) => {
          const doc = YAML.parseDocument(text);
          doc.deleteIn(["clusters", 0, "cluster", "insecure-skip-tls-verify"]);
          doc.setIn(["clusters", 0, "cluster", "certificate-authority-data"], Buffer.from(ca).toString("base64"));
          return doc.toString({ lineWidth: 0 });
        });
      },
    },
  ],
});
