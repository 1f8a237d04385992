import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { z } from "zod";
import { InputError } from "@/lib/errors";

const kubeconfigShape = z.looseObject({
  clusters: z
    .array(z.looseObject({ name: z.string(), cluster: z.looseObject({ server: z.string() }) }))
    .min(1, "has no clusters"),
});

function parseKubeconfig(text: string, source: string) {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new InputError(`${source} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = kubeconfigShape.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${source} is not a kubeconfig: ${i.path.join(".") || "(top level)"}: ${i.message}`);
  }
  return parsed.data;
}

/** The API server URLs a kubeconfig names, in order. */
export function kubeconfigServers(text: string, source = "kubeconfig"): string[] {
  return parseKubeconfig(text, source).clusters.map((c) => c.cluster.server);
}

/**
 * Rewrites the API server address of a kubeadm admin.conf to one this machine can reach.
 * admin.conf names the control plane as the cluster sees itself (its advertise address or
 * controlPlaneEndpoint), which is often a private address. With `server` given it is used as
 * is; otherwise the host becomes `reachHost` (the address ssh uses) and the port is kept.
 */
export function rewriteKubeconfigServer(
  text: string,
  opts: { server?: string; reachHost: string; source: string; tlsServerName?: string },
): string {
  const kc = parseKubeconfig(text, opts.source);
  for (const c of kc.clusters) {
    if (opts.tlsServerName) c.cluster["tls-server-name"] = opts.tlsServerName;
    if (opts.server) {
      c.cluster.server = opts.server;
      continue;
    }
    const url = new URL(c.cluster.server);
    url.hostname = opts.reachHost.includes(":") && !opts.reachHost.startsWith("[") ? `[${opts.reachHost}]` : opts.reachHost;
    c.cluster.server = url.toString().replace(/\/$/, "");
  }
  return stringifyYaml(kc, { lineWidth: 0 });
}
