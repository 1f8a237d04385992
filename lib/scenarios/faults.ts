import { X509Certificate } from "node:crypto";
import YAML from "yaml";
import { z } from "zod";
import { checks } from "./checks";
import type { ScenarioContext } from "./context";
import { isNotFound } from "./describe-api-error";
import { getManifestFlag, removeManifestFlag, setManifestFlag } from "./manifest-flags";
import { resignCertificate } from "./resign-certificate";

export const MANIFESTS_DIR = "/etc/kubernetes/manifests";
export const PKI_DIR = "/etc/kubernetes/pki";
export const CNI_DIR = "/etc/cni/net.d";

const DAY_MS = 86_400_000;

function manifestPath(component: string): string {
  return `${MANIFESTS_DIR}/${component}.yaml`;
}

/**
 * Sets `--flag=value` in a static pod's manifest on the control-plane node (atomically, so the
 * kubelet never reads a half-written file).
 *
 * @example
 * await faults.setManifestFlag(ctx, { component: "etcd", flag: "cert-file", value: "/etc/kubernetes/pki/etcd/server.pem" });
 */
async function setFlag(ctx: ScenarioContext, opts: { component: string; flag: string; value: string; node?: string }): Promise<void> {
  await ctx.node(opts.node ?? ctx.controlPlane).editFile(manifestPath(opts.component), (y) => setManifestFlag(y, opts.flag, opts.value));
}

/** Removes `--flag` from a static pod's manifest. */
async function removeFlag(ctx: ScenarioContext, opts: { component: string; flag: string; node?: string }): Promise<void> {
  await ctx.node(opts.node ?? ctx.controlPlane).editFile(manifestPath(opts.component), (y) => removeManifestFlag(y, opts.flag));
}

/** Reads `--flag` from a static pod's manifest (undefined when absent). */
async function readFlag(ctx: ScenarioContext, opts: { component: string; flag: string; node?: string }): Promise<string | undefined> {
  return getManifestFlag(await ctx.node(opts.node ?? ctx.controlPlane).readFile(manifestPath(opts.component)), opts.flag);
}

/** Validity of an already-expired reissue: from a year before it ended until `expiredDaysAgo` ago. */
function expiredWindow(expiredDaysAgo: number): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(Math.floor((Date.now() - expiredDaysAgo * DAY_MS) / 1000) * 1000);
  return { notBefore: new Date(notAfter.getTime() - 365 * DAY_MS), notAfter };
}

/**
 * Replaces a certificate file with a copy that has already expired, signed by the node's own
 * CA, keeping subject, key and every extension (see resignCertificate). The key file is untouched.
 *
 * @example
 * await faults.expireCertificate(ctx, { cert: "/etc/kubernetes/pki/apiserver.crt" });
 */
async function expireCertificate(
  ctx: ScenarioContext,
  opts: { cert: string; caCert?: string; caKey?: string; node?: string; expiredDaysAgo?: number },
): Promise<void> {
  const node = ctx.node(opts.node ?? ctx.controlPlane);
  const [certPem, caCertPem, caKeyPem] = await Promise.all([
    node.readFile(opts.cert),
    node.readFile(opts.caCert ?? `${PKI_DIR}/ca.crt`),
    node.readFile(opts.caKey ?? `${PKI_DIR}/ca.key`),
  ]);
  const pem = await resignCertificate({ certPem, caCertPem, caKeyPem, ...expiredWindow(opts.expiredDaysAgo ?? 2) });
  await node.writeFile(opts.cert, pem);
}

const kubeconfigUsers = z.object({
  users: z.array(z.object({ name: z.string(), user: z.record(z.string(), z.unknown()) })).min(1),
});

/**
 * Replaces the embedded client certificate of a kubeconfig file (admin.conf and friends) with an
 * already-expired reissue from the cluster CA, keeping everything else in the file.
 *
 * @example
 * await faults.expireKubeconfigClientCert(ctx, { path: "/etc/kubernetes/admin.conf" });
 */
async function expireKubeconfigClientCert(
  ctx: ScenarioContext,
  opts: { path: string; node?: string; expiredDaysAgo?: number },
): Promise<void> {
  const node = ctx.node(opts.node ?? ctx.controlPlane);
  const [text, caCertPem, caKeyPem] = await Promise.all([node.readFile(opts.path), node.readFile(`${PKI_DIR}/ca.crt`), node.readFile(`${PKI_DIR}/ca.key`)]);
  const doc = YAML.parseDocument(text);
  const parsed = kubeconfigUsers.parse(doc.toJS());
  const data = parsed.users[0]!.user["client-certificate-data"];
  if (typeof data !== "string") throw new Error(`${opts.path} has no embedded client-certificate-data to expire.`);
  const certPem = Buffer.from(data, "base64").toString("utf8");
  const pem = await resignCertificate({ certPem, caCertPem, caKeyPem, ...expiredWindow(opts.expiredDaysAgo ?? 2) });
  doc.setIn(["users", 0, "user", "client-certificate-data"], Buffer.from(pem).toString("base64"));
  await node.writeFile(opts.path, doc.toString({ lineWidth: 0 }));
}

/** Days until the certificate in a file on the node expires (negative when expired). */
async function certificateDaysLeft(ctx: ScenarioContext, opts: { cert: string; node?: string }): Promise<number> {
  const pem = await ctx.node(opts.node ?? ctx.controlPlane).readFile(opts.cert);
  return (Date.parse(new X509Certificate(pem).validTo) - Date.now()) / DAY_MS;
}

/**
 * Makes a DaemonSet schedule nowhere by giving its pods a nodeSelector that no node matches.
 * Waits until its pods are gone, so that nothing it maintains gets rewritten behind the fault.
 *
 * @example
 * await faults.makeDaemonSetUnschedulable(ctx, { namespace: "kube-system", name: "kindnet",
 *   nodeSelector: { "kubernetes.io/os": "Linux" }, podLabel: "app=kindnet" });
 */
async function makeDaemonSetUnschedulable(
  ctx: ScenarioContext,
  opts: {
    namespace: string;
    name: string;
    /** Merged into the pod template's nodeSelector. */
    nodeSelector?: Record<string, string>;
    /** Replaces the pod template's affinity. */
    affinity?: Record<string, unknown>;
    podLabel: string;
    timeoutMs?: number;
  },
): Promise<void> {
  if (!opts.nodeSelector && !opts.affinity) throw new Error("makeDaemonSetUnschedulable needs a nodeSelector or an affinity.");
  const spec = { ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}), ...(opts.affinity ? { affinity: opts.affinity } : {}) };
  const patch = JSON.stringify({ spec: { template: { spec } } });
  const r = await ctx.kubectl(["-n", opts.namespace, "patch", "daemonset", opts.name, "--type", "merge", "-p", patch]);
  if (r.code !== 0) throw new Error(`Could not patch DaemonSet ${opts.namespace}/${opts.name}: ${r.stderr.trim()}`);
  await ctx.waitFor(
    async () => {
      const pods = await ctx.k8s.core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.podLabel });
      return pods.items.length === 0;
    },
    { timeoutMs: opts.timeoutMs ?? 120_000, what: `the pods of DaemonSet ${opts.namespace}/${opts.name} to be gone` },
  );
}

/**
 * Removes every CNI network config from a node's /etc/cni/net.d (the plugins stay).
 *
 * @example
 * for (const n of [ctx.controlPlane, ...ctx.workers]) await faults.removeCniConfig(ctx, { node: n });
 */
async function removeCniConfig(ctx: ScenarioContext, opts: { node: string; dir?: string }): Promise<string[]> {
  const dir = opts.dir ?? CNI_DIR;
  const node = ctx.node(opts.node);
  const ls = await node.exec(["ls", "-1", "--", dir]);
  const files = ls.code === 0 ? ls.stdout.split("\n").filter((f) => /\.(conflist|conf|json)$/.test(f)) : [];
  for (const f of files) {
    const rm = await node.exec(["rm", "-f", "--", `${dir}/${f}`]);
    if (rm.code !== 0) throw new Error(`Could not remove ${dir}/${f} on ${opts.node}: ${rm.stderr.trim()}`);
  }
  return files;
}

/**
 * Points a Deployment's container at another image (a mistyped tag, a private registry).
 *
 * @example
 * await faults.breakImage(ctx, { namespace: "lab", deployment: "web", container: "web", image: "nginx:1.72" });
 */
async function breakImage(ctx: ScenarioContext, opts: { namespace: string; deployment: string; container: string; image: string }): Promise<void> {
  const r = await ctx.kubectl(["-n", opts.namespace, "set", "image", `deployment/${opts.deployment}`, `${opts.container}=${opts.image}`]);
  if (r.code !== 0) throw new Error(`Could not set the image of ${opts.namespace}/${opts.deployment}: ${r.stderr.trim()}`);
}

/** The ids of the running containers named `container` on a node, as `crictl ps` lists them. */
async function runningContainerIds(ctx: ScenarioContext, node: string, container: string): Promise<string[]> {
  const r = await ctx.node(node).exec(["crictl", "ps", "--name", `^${container}$`, "-q"]);
  if (r.code !== 0) throw new Error(`crictl ps on ${node} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
}

/**
 * Restarts a static pod the way kubeadm's documentation says: its manifest leaves
 * /etc/kubernetes/manifests until the kubelet has stopped the pod's container, then comes back,
 * and the kubelet starts a new one (which reads its files afresh). Waits for both.
 *
 * @example
 * await faults.restartStaticPod(ctx, { component: "kube-scheduler" });
 */
async function restartStaticPod(ctx: ScenarioContext, opts: { component: string; node?: string; timeoutMs?: number }): Promise<void> {
  const nodeName = opts.node ?? ctx.controlPlane;
  const node = ctx.node(nodeName);
  const parked = `/etc/kubernetes/${opts.component}.yaml`;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const before = await runningContainerIds(ctx, nodeName, opts.component);
  const mv = async (from: string, to: string) => {
    const r = await node.exec(["mv", "--", from, to]);
    if (r.code !== 0) throw new Error(`mv ${from} ${to} on ${nodeName} failed: ${(r.stderr || r.stdout).trim()}`);
  };
  await mv(manifestPath(opts.component), parked);
  try {
    await ctx.waitFor(async () => (await runningContainerIds(ctx, nodeName, opts.component)).length === 0, {
      timeoutMs,
      what: `the kubelet to stop ${opts.component} on ${nodeName}`,
    });
  } finally {
    await mv(parked, manifestPath(opts.component));
  }
  await ctx.waitFor(
    async () => {
      const now = await runningContainerIds(ctx, nodeName, opts.component);
      return now.length > 0 && now.every((id) => !before.includes(id));
    },
    { timeoutMs, what: `the kubelet to start ${opts.component} again on ${nodeName}` },
  );
}

/** The id of the running container of a static pod's mirror pod; undefined when none runs. */
async function runningStaticContainer(ctx: ScenarioContext, component: string, node: string): Promise<string | undefined> {
  try {
    const pod = await ctx.k8s.core.readNamespacedPod({ name: `${component}-${node}`, namespace: "kube-system" });
    return pod.status?.containerStatuses?.find((c) => c.state?.running)?.containerID || undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Makes a change to a static pod (edits its manifest, moves it out of the manifests directory)
 * and waits until the container that ran before is gone: replaced, exited, or its mirror pod
 * removed. What the pack does next (scale a Deployment, create pods) then meets the changed
 * component, not the old one that the kubelet has not stopped yet.
 *
 * @example
 * await faults.changeStaticPod(ctx, { component: "kube-scheduler", change: () =>
 *   faults.setManifestFlag(ctx, { component: "kube-scheduler", flag: "kubeconfig", value: "/etc/kubernetes/schedulerr.conf" }) });
 */
async function changeStaticPod(
  ctx: ScenarioContext,
  opts: { component: string; change: () => Promise<void>; node?: string; timeoutMs?: number },
): Promise<void> {
  const node = opts.node ?? ctx.controlPlane;
  const before = await runningStaticContainer(ctx, opts.component, node);
  await opts.change();
  if (!before) return;
  await ctx.waitFor(async () => (await runningStaticContainer(ctx, opts.component, node)) !== before, {
    timeoutMs: opts.timeoutMs ?? 90_000,
    intervalMs: 1000,
    what: `the kubelet to stop the running ${opts.component} container on ${node}`,
  });
}

/**
 * Waits until a stopped leader's Lease has lapsed (`checks.leaderLeaseRenewed` fails), so the fault
 * shows: a Lease stays valid for its duration (kube-scheduler's and kube-controller-manager's: 15 s)
 * after its holder stopped renewing it.
 */
async function waitForLeaderLeaseLapse(ctx: ScenarioContext, opts: { name: string; timeoutMs?: number }): Promise<void> {
  await ctx.waitFor(async () => !(await checks.leaderLeaseRenewed({ name: opts.name })(ctx)).ok, {
    timeoutMs: opts.timeoutMs ?? 90_000,
    intervalMs: 2000,
    what: `the ${opts.name} leader lease to lapse`,
  });
}

/** The reusable faults, as one explicit record. */
export const faults = {
  setManifestFlag: setFlag,
  removeManifestFlag: removeFlag,
  readManifestFlag: readFlag,
  expireCertificate,
  expireKubeconfigClientCert,
  certificateDaysLeft,
  makeDaemonSetUnschedulable,
  removeCniConfig,
  breakImage,
  restartStaticPod,
  changeStaticPod,
  waitForLeaderLeaseLapse,
};
