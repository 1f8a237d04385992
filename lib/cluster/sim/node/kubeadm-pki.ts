import { generateKeyPairSync } from "node:crypto";
import { createCa, issueCert, readCert, type CertPem, type ExtKeyUsageName, type KeyAlgorithm } from "@/lib/cluster/sim/pki/x509";
import { kubeconfigYaml, parseKubeconfig } from "./kubeconfig-file";
import { KUBERNETES_SERVICE_IP, type SimNodeSpec } from "./node-spec";

/**
 * kubeadm's PKI for a kind node, built on the shared x509 primitives: the same files, CNs,
 * organisations, SANs, key usages and validity (CAs 10 years, leaves 1 year) that
 * `kubeadm init` writes, so openssl, kubectl and `kubeadm certs` see what they would on kind.
 */

const DAY = 24 * 3600 * 1000;
/** kubeadm: CA validity is 10 years of 365 days (check-expiration shows 9y… for a fresh CA). */
export const CA_VALIDITY_MS = 3650 * DAY;
/** kubeadm: leaf validity is 1 year (365 days). */
export const CERT_VALIDITY_MS = 365 * DAY;

export type CaName = "ca" | "etcd-ca" | "front-proxy-ca";

export const CA_FILES: Record<CaName, { cert: string; key: string; commonName: string }> = {
  ca: { cert: "/etc/kubernetes/pki/ca.crt", key: "/etc/kubernetes/pki/ca.key", commonName: "kubernetes" },
  "etcd-ca": { cert: "/etc/kubernetes/pki/etcd/ca.crt", key: "/etc/kubernetes/pki/etcd/ca.key", commonName: "etcd-ca" },
  "front-proxy-ca": { cert: "/etc/kubernetes/pki/front-proxy-ca.crt", key: "/etc/kubernetes/pki/front-proxy-ca.key", commonName: "front-proxy-ca" },
};

/** One certificate kubeadm manages: its name in `kubeadm certs`, where it lives and who signs it. */
export interface KubeadmCertEntry {
  /** As `kubeadm certs check-expiration` names it and `kubeadm certs renew` takes it. */
  name: string;
  ca: CaName;
  /** A PEM file pair, or a kubeconfig with embedded credentials. */
  file: { kind: "pem"; cert: string; key: string } | { kind: "kubeconfig"; path: string };
  /** What kubeadm init gives it (the renew path uses the existing certificate instead). */
  commonName: (node: SimNodeSpec) => string;
  organizations: string[];
  extKeyUsage: ExtKeyUsageName[];
  sans?: (node: SimNodeSpec) => { dns: string[]; ips: string[] };
  /** `kubeadm certs renew` message noun phrase, e.g. "certificate for serving the Kubernetes API". */
  renewText: string;
}

const pem = (dir: string, base: string) => ({ kind: "pem" as const, cert: `${dir}/${base}.crt`, key: `${dir}/${base}.key` });
const PKI = "/etc/kubernetes/pki";
const etcdSans = (n: SimNodeSpec) => ({ dns: [n.name, "localhost"], ips: [n.ip, "127.0.0.1", "::1"] });

/** In `kubeadm certs check-expiration` order (alphabetical). */
export const KUBEADM_CERTS: KubeadmCertEntry[] = [
  {
    name: "admin.conf",
    ca: "ca",
    file: { kind: "kubeconfig", path: "/etc/kubernetes/admin.conf" },
    commonName: () => "kubernetes-admin",
    organizations: ["kubeadm:cluster-admins"],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself",
  },
  {
    name: "apiserver",
    ca: "ca",
    file: pem(PKI, "apiserver"),
    commonName: () => "kube-apiserver",
    organizations: [],
    extKeyUsage: ["serverAuth"],
    sans: (n) => ({
      // kubeadm's defaults plus kind's certSANs (localhost, 127.0.0.1) so the host port works.
      dns: [n.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost"],
      ips: [KUBERNETES_SERVICE_IP, n.ip, "127.0.0.1"],
    }),
    renewText: "certificate for serving the Kubernetes API",
  },
  {
    name: "apiserver-etcd-client",
    ca: "etcd-ca",
    file: pem(PKI, "apiserver-etcd-client"),
    commonName: () => "kube-apiserver-etcd-client",
    organizations: [],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate the apiserver uses to access etcd",
  },
  {
    name: "apiserver-kubelet-client",
    ca: "ca",
    file: pem(PKI, "apiserver-kubelet-client"),
    commonName: () => "kube-apiserver-kubelet-client",
    organizations: ["kubeadm:cluster-admins"],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate for the API server to connect to kubelet",
  },
  {
    name: "controller-manager.conf",
    ca: "ca",
    file: { kind: "kubeconfig", path: "/etc/kubernetes/controller-manager.conf" },
    commonName: () => "system:kube-controller-manager",
    organizations: [],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate embedded in the kubeconfig file for the controller manager to use",
  },
  {
    name: "etcd-healthcheck-client",
    ca: "etcd-ca",
    file: pem(`${PKI}/etcd`, "healthcheck-client"),
    commonName: () => "kube-etcd-healthcheck-client",
    organizations: [],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate for liveness probes to healthcheck etcd",
  },
  {
    name: "etcd-peer",
    ca: "etcd-ca",
    file: pem(`${PKI}/etcd`, "peer"),
    commonName: (n) => n.name,
    organizations: [],
    extKeyUsage: ["serverAuth", "clientAuth"],
    sans: etcdSans,
    renewText: "certificate for etcd nodes to communicate with each other",
  },
  {
    name: "etcd-server",
    ca: "etcd-ca",
    file: pem(`${PKI}/etcd`, "server"),
    commonName: (n) => n.name,
    organizations: [],
    extKeyUsage: ["serverAuth", "clientAuth"],
    sans: etcdSans,
    renewText: "certificate for serving etcd",
  },
  {
    name: "front-proxy-client",
    ca: "front-proxy-ca",
    file: pem(PKI, "front-proxy-client"),
    commonName: () => "front-proxy-client",
    organizations: [],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate for the front proxy client",
  },
  {
    name: "scheduler.conf",
    ca: "ca",
    file: { kind: "kubeconfig", path: "/etc/kubernetes/scheduler.conf" },
    commonName: () => "system:kube-scheduler",
    organizations: [],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate embedded in the kubeconfig file for the scheduler manager to use",
  },
  {
    name: "super-admin.conf",
    ca: "ca",
    file: { kind: "kubeconfig", path: "/etc/kubernetes/super-admin.conf" },
    commonName: () => "kubernetes-super-admin",
    organizations: ["system:masters"],
    extKeyUsage: ["clientAuth"],
    renewText: "certificate embedded in the kubeconfig file for the super-admin",
  },
];

/** A node's files as node path → content. */
export type NodeFiles = Record<string, string>;

export interface PkiOptions {
  clusterName: string;
  node: SimNodeSpec;
  /** Where the kubeconfigs inside the node point: the sim API server's real address. */
  server: string;
  now?: Date;
  /** RSA 2048 like kubeadm by default; tests may pick ECDSA for speed. */
  algorithm?: KeyAlgorithm;
}

function kubeconfigUserFor(e: KubeadmCertEntry, node: SimNodeSpec): string {
  if (e.name === "admin.conf") return "kubernetes-admin";
  if (e.name === "super-admin.conf") return "kubernetes-super-admin";
  return e.commonName(node);
}

async function issueEntry(e: KubeadmCertEntry, ca: CertPem | { certPem: string; keyPem: string }, node: SimNodeSpec, now: Date, algorithm: KeyAlgorithm): Promise<CertPem> {
  const sans = e.sans?.(node);
  return issueCert({
    ca,
    commonName: e.commonName(node),
    organizations: e.organizations,
    dnsNames: sans?.dns,
    ipAddresses: sans?.ips,
    extKeyUsage: e.extKeyUsage,
    keyUsage: ["digitalSignature", "keyEncipherment"],
    notBefore: readCert(ca.certPem).notBefore,
    notAfter: new Date(now.getTime() + CERT_VALIDITY_MS),
    algorithm,
  });
}

/**
 * The control-plane node's /etc/kubernetes: pki/ (three CAs, every leaf, sa.key/sa.pub) and the
 * kubeconfigs (admin, super-admin, controller-manager, scheduler, kubelet) with embedded
 * credentials, as kubeadm init leaves them.
 */
export async function createControlPlanePki(opts: PkiOptions): Promise<NodeFiles> {
  const now = opts.now ?? new Date();
  const algorithm = opts.algorithm ?? "rsa-2048";
  const files: NodeFiles = {};
  const cas = {} as Record<CaName, CertPem>;
  for (const name of Object.keys(CA_FILES) as CaName[]) {
    const f = CA_FILES[name];
    const ca = await createCa({ commonName: f.commonName, notBefore: now, notAfter: new Date(now.getTime() + CA_VALIDITY_MS), algorithm });
    cas[name] = ca;
    files[f.cert] = ca.certPem;
    files[f.key] = ca.keyPem;
  }
  for (const e of KUBEADM_CERTS) {
    const c = await issueEntry(e, cas[e.ca], opts.node, now, algorithm);
    if (e.file.kind === "pem") {
      files[e.file.cert] = c.certPem;
      files[e.file.key] = c.keyPem;
    } else {
      files[e.file.path] = kubeconfigYaml({
        clusterName: opts.clusterName,
        server: opts.server,
        caPem: cas[e.ca].certPem,
        user: kubeconfigUserFor(e, opts.node),
        certPem: c.certPem,
        keyPem: c.keyPem,
      });
    }
  }
  const sa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  files[`${PKI}/sa.key`] = String(sa.privateKey.export({ type: "pkcs1", format: "pem" }));
  files[`${PKI}/sa.pub`] = String(sa.publicKey.export({ type: "spki", format: "pem" }));
  files["/etc/kubernetes/kubelet.conf"] = await kubeletConf(opts, cas.ca, now, algorithm);
  return files;
}

async function kubeletConf(opts: PkiOptions, ca: { certPem: string; keyPem: string }, now: Date, algorithm: KeyAlgorithm): Promise<string> {
  const c = await issueCert({
    ca,
    commonName: `system:node:${opts.node.name}`,
    organizations: ["system:nodes"],
    extKeyUsage: ["clientAuth"],
    notBefore: readCert(ca.certPem).notBefore,
    notAfter: new Date(now.getTime() + CERT_VALIDITY_MS),
    algorithm,
  });
  return kubeconfigYaml({
    clusterName: opts.clusterName,
    server: opts.server,
    caPem: ca.certPem,
    user: `system:node:${opts.node.name}`,
    certPem: c.certPem,
    keyPem: c.keyPem,
  });
}

/** A worker's /etc/kubernetes after `kubeadm join`: the cluster CA and kubelet.conf. */
export async function createWorkerPki(opts: PkiOptions & { ca: { certPem: string; keyPem: string } }): Promise<NodeFiles> {
  const now = opts.now ?? new Date();
  return {
    [CA_FILES.ca.cert]: opts.ca.certPem,
    "/etc/kubernetes/kubelet.conf": await kubeletConf(opts, opts.ca, now, opts.algorithm ?? "rsa-2048"),
  };
}

/** Reads a file of the node; null when it does not exist. */
export type ReadNodeFile = (nodePath: string) => string | null;

/** The certificate (PEM) of a kubeadm entry as it is now on disk, or null. */
export function currentCertPem(e: KubeadmCertEntry, read: ReadNodeFile): string | null {
  if (e.file.kind === "pem") return read(e.file.cert);
  const text = read(e.file.path);
  if (text === null) return null;
  const kc = parseKubeconfig(text);
  return kc.ok ? kc.value.certPem : null;
}

export class RenewError extends Error {}

/**
 * `kubeadm certs renew <name>`: re-issues from the node's CA using the existing certificate as the
 * template (CN, O, SANs, key usages), with a new key and kubeadm's 1-year validity. Like kubeadm, it
 * refuses a template without extKeyUsage, and it restarts nothing. Returns the files to write.
 */
export async function renewKubeadmCert(name: string, read: ReadNodeFile, now: Date): Promise<NodeFiles> {
  const e = KUBEADM_CERTS.find((c) => c.name === name);
  if (!e) throw new RenewError(`unknown certificate ${name}`);
  const ca = CA_FILES[e.ca];
  const caCert = read(ca.cert);
  const caKey = read(ca.key);
  if (!caCert || !caKey) throw new RenewError(`failed to renew certificate ${name}: couldn't load CA certificate ${e.ca}: open ${ca.cert}: no such file or directory`);
  const old = currentCertPem(e, read);
  if (!old) {
    const where = e.file.kind === "pem" ? e.file.cert : e.file.path;
    throw new RenewError(`failed to renew certificate ${name}: open ${where}: no such file or directory`);
  }
  const t = readCert(old);
  if (t.extKeyUsage.length === 0) throw new RenewError(`failed to renew certificate ${name}: must specify at least one ExtKeyUsage`);
  const c = await issueCert({
    ca: { certPem: caCert, keyPem: caKey },
    commonName: t.commonName,
    organizations: t.organizations,
    dnsNames: t.dnsNames,
    ipAddresses: t.ipAddresses,
    keyUsage: t.keyUsage.length ? t.keyUsage : ["digitalSignature", "keyEncipherment"],
    extKeyUsage: t.extKeyUsage,
    notBefore: readCert(caCert).notBefore,
    notAfter: new Date(now.getTime() + CERT_VALIDITY_MS),
  });
  if (e.file.kind === "pem") return { [e.file.cert]: c.certPem, [e.file.key]: c.keyPem };
  const kc = parseKubeconfig(read(e.file.path)!);
  if (!kc.ok) throw new RenewError(`failed to renew certificate ${name}: ${kc.error}`);
  return {
    [e.file.path]: kubeconfigYaml({ clusterName: kc.value.clusterName, server: kc.value.server, caPem: caCert, user: kc.value.userName, certPem: c.certPem, keyPem: c.keyPem }),
  };
}
