/**
 * The files the kubelet and containerd write for every pod sandbox and bind into each container:
 * /etc/resolv.conf (from dnsPolicy/dnsConfig, kubelet's network/dns/dns.go), /etc/hosts
 * (kubelet_pods.go managedHostsFileContent), /etc/hostname, and the service environment
 * variables (kubelet_pods.go getServiceEnvVarMap + envvars.FromServices).
 */
import type { Pod } from "../controllers/api-types";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";

const CLUSTER_DOMAIN = "cluster.local";

interface DnsConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

/** The pod's hostname: spec.hostname, else its name (cut to 63 characters, as the kubelet does). */
export function podHostname(pod: Pod): string {
  const h = typeof pod.spec.hostname === "string" && pod.spec.hostname ? pod.spec.hostname : pod.metadata.name;
  return h.slice(0, 63).replace(/[-.]+$/, "");
}

/** The node's own resolv.conf as kind's nodes have it (Docker's embedded DNS), parsed. */
function parseResolv(text: string): { nameservers: string[]; searches: string[]; options: string[] } {
  const out = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] === "nameserver" && f[1]) out.nameservers.push(f[1]);
    else if (f[0] === "search") out.searches = f.slice(1);
    else if (f[0] === "options") out.options.push(...f.slice(1));
  }
  return out;
}

/**
 * /etc/resolv.conf of a container. ClusterFirst (the default) names the cluster DNS with the
 * namespace's search path and ndots:5; Default (and ClusterFirst with hostNetwork) copies the
 * node's; None has only what dnsConfig says. dnsConfig is merged in last (dns.go appendDNSConfig).
 */
export function resolvConf(pod: Pod, clusterDns: string, nodeResolv: string): string {
  const policy = typeof pod.spec.dnsPolicy === "string" ? pod.spec.dnsPolicy : "ClusterFirst";
  const cfg = (pod.spec.dnsConfig ?? {}) as DnsConfig;
  const node = parseResolv(nodeResolv);
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  const clusterFirst = policy === "ClusterFirstWithHostNet" || (policy === "ClusterFirst" && !pod.spec.hostNetwork);
  if (clusterFirst) {
    const ns = pod.metadata.namespace;
    nameservers = [clusterDns];
    searches = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN, ...node.searches];
    options = ["ndots:5"];
  } else if (policy !== "None") {
    nameservers = node.nameservers;
    searches = node.searches;
    options = node.options;
  }
  nameservers = [...new Set([...nameservers, ...(cfg.nameservers ?? [])])].slice(0, 3);
  searches = [...new Set([...searches, ...(cfg.searches ?? [])])].slice(0, 32);
  // A dnsConfig option replaces a same-named one (dns.go mergeDNSOptions).
  const byName = new Map<string, string>();
  for (const o of options) byName.set(o.split(":")[0]!, o);
  for (const o of cfg.options ?? []) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  options = [...byName.values()];
  let text = "";
  if (searches.length) text += `search ${searches.join(" ")}\n`;
  for (const n of nameservers) text += `nameserver ${n}\n`;
  if (options.length) text += `options ${options.join(" ")}\n`;
  return text;
}

/** /etc/hosts as the kubelet manages it: localhost lines, the pod's IP and name, then hostAliases. */
export function hostsFile(pod: Pod, podIPs: string[]): string {
  const hostname = podHostname(pod);
  const sub = typeof pod.spec.subdomain === "string" && pod.spec.subdomain ? pod.spec.subdomain : "";
  const domain = sub ? `${sub}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}` : "";
  let text = "# Kubernetes-managed hosts file.\n";
  text += "127.0.0.1\tlocalhost\n";
  text += "::1\tlocalhost ip6-localhost ip6-loopback\n";
  text += "fe00::0\tip6-localnet\n";
  text += "fe00::0\tip6-mcastprefix\n";
  text += "fe00::1\tip6-allnodes\n";
  text += "fe00::2\tip6-allrouters\n";
  for (const ip of podIPs) text += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  const aliases = Array.isArray(pod.spec.hostAliases) ? (pod.spec.hostAliases as { ip?: string; hostnames?: string[] }[]) : [];
  if (aliases.length) {
    text += "\n# Entries added by HostAliases.\n";
    for (const a of aliases) text += `${a.ip ?? ""}\t${(a.hostnames ?? []).join("\t")}\n`;
  }
  return text;
}

function serviceVars(svc: KubeObject, out: Record<string, string>): void {
  const spec = (svc.spec ?? {}) as { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
  const ip = spec.clusterIP;
  if (!ip || ip === "None") return;
  const ports = spec.ports ?? [];
  const name = (svc.metadata.name ?? "").toUpperCase().replace(/-/g, "_");
  out[`${name}_SERVICE_HOST`] = ip;
  if (!ports.length) return;
  out[`${name}_SERVICE_PORT`] = String(ports[0]!.port);
  for (const p of ports) if (p.name) out[`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, "_")}`] = String(p.port);
  const first = ports[0]!;
  out[`${name}_PORT`] = `${(first.protocol ?? "TCP").toLowerCase()}://${ip}:${first.port}`;
  for (const p of ports) {
    const proto = (p.protocol ?? "TCP").toUpperCase();
    const base = `${name}_PORT_${p.port}_${proto}`;
    out[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${base}_PROTO`] = proto.toLowerCase();
    out[`${base}_PORT`] = String(p.port);
    out[`${base}_ADDR`] = ip;
  }
}

/**
 * The Docker-links style variables of the services a container sees when it starts: those of
 * its namespace that existed by then (with enableServiceLinks, the default), and always the
 * `kubernetes` service of `default`.
 */
export function serviceEnv(store: ObjectStore, pod: Pod, startedAt: Date): Record<string, string> {
  const out: Record<string, string> = {};
  const links = pod.spec.enableServiceLinks !== false;
  const existed = (s: KubeObject) => !s.metadata.creationTimestamp || new Date(s.metadata.creationTimestamp).getTime() <= startedAt.getTime() + 999;
  const seen = new Set<string>();
  if (links) {
    for (const s of store.list("services", { namespace: pod.metadata.namespace }).items) {
      if (!existed(s)) continue;
      seen.add(s.metadata.name ?? "");
      serviceVars(s, out);
    }
  }
  const k = store.get("services", "default", "kubernetes");
  if (k && !(links && pod.metadata.namespace === "default" && seen.has("kubernetes"))) serviceVars(k, out);
  return out;
}

export { CLUSTER_DOMAIN };
