import { parse } from "yaml";
import { z } from "zod";

/** The user a kubeadm kubeconfig authenticates as, with its embedded client certificate. */
export interface KubeconfigUser {
  user: string;
  certPem: string;
  keyPem: string;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/**
 * A kubeconfig exactly as kubeadm writes it (field order, `preferences: {}`, embedded data),
 * so `cat /etc/kubernetes/admin.conf` looks like it does on a kind node.
 */
export function kubeconfigYaml(opts: { clusterName: string; server: string; caPem: string } & KubeconfigUser): string {
  const ctx = `${opts.user}@${opts.clusterName}`;
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(opts.caPem)}`,
    `    server: ${opts.server}`,
    `  name: ${opts.clusterName}`,
    "contexts:",
    "- context:",
    `    cluster: ${opts.clusterName}`,
    `    user: ${opts.user}`,
    `  name: ${ctx}`,
    `current-context: ${ctx}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    `- name: ${opts.user}`,
    "  user:",
    `    client-certificate-data: ${b64(opts.certPem)}`,
    `    client-key-data: ${b64(opts.keyPem)}`,
    "",
  ].join("\n");
}

const kubeconfigSchema = z.object({
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string(), "certificate-authority-data": z.string().optional() }) })).min(1),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })).optional(),
  "current-context": z.string().optional(),
  users: z
    .array(
      z.object({
        name: z.string(),
        user: z.object({ "client-certificate-data": z.string().optional(), "client-key-data": z.string().optional() }).loose(),
      }),
    )
    .min(1),
});

export interface ParsedKubeconfig {
  clusterName: string;
  server: string;
  caPem: string | null;
  userName: string;
  certPem: string | null;
  keyPem: string | null;
}

/**
 * Reads what a component needs from a kubeconfig: server, CA and client credentials of the
 * current context. Returns an error text (client-go's words where it has them) instead of throwing.
 */
export function parseKubeconfig(text: string): { ok: true; value: ParsedKubeconfig } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return { ok: false, error: `error loading config file: yaml: ${(err as Error).message.split("\n")[0]}` };
  }
  const r = kubeconfigSchema.safeParse(raw);
  if (!r.success) return { ok: false, error: "invalid configuration: no configuration has been provided" };
  const kc = r.data;
  const ctx = kc.contexts?.find((c) => c.name === kc["current-context"]) ?? kc.contexts?.[0];
  const cluster = kc.clusters.find((c) => c.name === ctx?.context.cluster) ?? kc.clusters[0]!;
  const user = kc.users.find((u) => u.name === ctx?.context.user) ?? kc.users[0]!;
  const dec = (s: string | undefined) => (s ? Buffer.from(s, "base64").toString("utf8") : null);
  return {
    ok: true,
    value: {
      clusterName: cluster.name,
      server: cluster.cluster.server,
      caPem: dec(cluster.cluster["certificate-authority-data"]),
      userName: user.name,
      certPem: dec(user.user["client-certificate-data"]),
      keyPem: dec(user.user["client-key-data"]),
    },
  };
}
