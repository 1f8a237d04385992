import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError, NotFoundError } from "@/lib/errors";

const dnsName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes node name: lower-case letters, digits, dashes and dots")
  .max(253);

const hostKeyLine = z
  .string()
  .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+=*$/,
    'must be "<key type> <base64>", as in the node\'s /etc/ssh/ssh_host_ed25519_key.pub without the comment');

const nodeSchema = z.object({
  /** The Kubernetes node name (`kubectl get nodes`). */
  name: dnsName,
  host: z.string().min(1).regex(/^[^\s@]+$/, "must be a host name or IP address, without user@"),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().regex(/^[a-z_][a-z0-9_.-]*$/i, "must be a Unix user name").default("root"),
  /** Private key file; ~ and paths relative to the config file are resolved. */
  key: z.string().min(1),
  role: z.enum(["control-plane", "worker"]),
  /** Pinned host key. When set, only this key is accepted and `trust` is not needed. */
  hostKey: hostKeyLine.optional(),
  /** Prefix node commands with `sudo -n`. Defaults to true for users other than root. */
  sudo: z.boolean().optional(),
});

const kubeconfigSchema = z.discriminatedUnion("from", [
  z.object({ from: z.literal("file"), path: z.string().min(1) }),
  z.object({
    from: z.literal("control-plane"),
    /** File on the control-plane node; kubeadm writes admin.conf. */
    path: z.string().startsWith("/", "must be an absolute path on the node").default("/etc/kubernetes/admin.conf"),
    /** API server URL as this machine reaches it; default https://<control-plane host>:<port in the file>. */
    server: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
    /**
     * Name to check the API server's certificate against when `server` (or the ssh host) is not
     * among its names, e.g. behind NAT: written as tls-server-name into the kubeconfig.
     */
    tlsServerName: z.string().min(1).optional(),
  }),
]);

const clusterSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lower-case letters, digits and dashes")
      .max(40),
    nodes: z.array(nodeSchema).min(1),
    kubeconfig: kubeconfigSchema,
    /** Seconds ssh may take to connect before a node counts as unreachable. */
    connectTimeoutSeconds: z.number().int().min(1).max(120).default(10),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.nodes.forEach((n, i) => {
      if (seen.has(n.name)) ctx.addIssue({ code: "custom", path: ["nodes", i, "name"], message: `duplicate node name "${n.name}"` });
      seen.add(n.name);
    });
    if (!c.nodes.some((n) => n.role === "control-plane"))
      ctx.addIssue({ code: "custom", path: ["nodes"], message: "needs at least one node with role control-plane" });
  });

const fileSchema = z
  .object({ clusters: z.array(clusterSchema) })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.clusters.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: ["clusters", i, "name"], message: `duplicate cluster name "${c.name}"` });
      seen.add(c.name);
    });
  });

export type SshNodeConfig = z.infer<typeof nodeSchema> & { sudo: boolean };
export type SshKubeconfigSource = z.infer<typeof kubeconfigSchema>;
export interface SshClusterConfig {
  name: string;
  nodes: SshNodeConfig[];
  kubeconfig: SshKubeconfigSource;
  connectTimeoutSeconds: number;
}

function resolvePath(p: string, baseDir: string): string {
  if (p === "~") return os.homedir();
  if (p.startsWith("~/")) return path.join(os.homedir(), p.slice(2));
  return path.resolve(baseDir, p);
}

/**
 * Parses the ssh driver's cluster list (YAML text). Paths are resolved against `baseDir` (the
 * file's directory). A bad file is reported as `file → field: message`.
 */
export function parseSshClusters(text: string, file: string): SshClusterConfig[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new InputError(`${file}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = fileSchema.safeParse(raw ?? { clusters: [] });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.length ? i.path.join(".") : "(top level)";
    throw new InputError(`${file} → ${field}: ${i.message}`, {
      hint: 'See README, "Using your own kubeadm cluster", for the file format.',
    });
  }
  const baseDir = path.dirname(file);
  return parsed.data.clusters.map((c) => ({
    name: c.name,
    connectTimeoutSeconds: c.connectTimeoutSeconds,
    kubeconfig: c.kubeconfig.from === "file" ? { from: "file", path: resolvePath(c.kubeconfig.path, baseDir) } : c.kubeconfig,
    nodes: c.nodes.map((n) => ({ ...n, key: resolvePath(n.key, baseDir), sudo: n.sudo ?? n.user !== "root" })),
  }));
}

/** Reads BREAKFIX_SSH_CLUSTERS. A missing file means no clusters (the driver then says so). */
export function loadSshClusters(file: string): SshClusterConfig[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new InputError(`${file}: cannot be read: ${(err as Error).message}`);
  }
  return parseSshClusters(text, file);
}

/** The named cluster from the list, or NotFoundError listing the configured names. */
export function findSshCluster(clusters: SshClusterConfig[], name: string, file: string): SshClusterConfig {
  const c = clusters.find((x) => x.name === name);
  if (!c) {
    throw new NotFoundError(`No ssh cluster named "${name}" in ${file}.`, {
      hint: clusters.length ? `Configured: ${clusters.map((x) => x.name).join(", ")}.` : `Add it to ${file} (see README, "Using your own kubeadm cluster").`,
    });
  }
  return c;
}
