import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { z } from "zod";
import { InputError } from "@/lib/errors";

const kubeconfigShape = z.looseObject({
  clusters: z
    .array(z.looseObject({ name: z.string(), cluster: z.looseObject({ server: z.string() }) }))
    .min(1, "has no clusters"),
});

/**
 * Rewrites the API server address of a kubeadm admin.conf to one this machine can reach.
 * admin.conf names the control plane as the cluster sees itself (its advertise address or
 * controlPlaneEndpoint), which is often a private address. With `server` given it is used as
 * is; otherwise the host becomes `reachHost` (the address ssh uses) and the port is kept.
 */
export function rewriteKubeconfigServer(text: string, opts: { server?: string; reachHost: string; source: string }): string {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new InputError(`${opts.source} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = kubeconfigShape.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${opts.source} is not a kubeconfig: ${i.path.join(".") || "(top level)"}: ${i.message}`);
  }
  for (const c of parsed.data.clusters) {
    if (opts.server) {
      c.cluster.server = opts.server;
      continue;
    }
    const url = new URL(c.cluster.server);
    url.hostname = opts.reachHost.includes(":") && !opts.reachHost.startsWith("[") ? `[${opts.reachHost}]` : opts.reachHost;
    c.cluster.server = url.toString().replace(/\/$/, "");
  }
  return stringifyYaml(parsed.data, { lineWidth: 0 });
}
