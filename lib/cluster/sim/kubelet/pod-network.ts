/**
 * What a connection inside the sim cluster reaches, without packets: cluster DNS (answers only
 * while CoreDNS has ready endpoints), Services (ClusterIP → a ready endpoint → the container
 * listening on the target port, as kube-proxy's rules would pick; no ready endpoint → refused)
 * and pod IPs (the running container that listens on the port). Containers' HTTP servers answer
 * from the catalogue. The kubelets register running containers here; `wget`, `curl`, `nc` and
 * `nslookup` inside containers, and scenario probes, ask it.
 * NetworkPolicies are applied as kindnet does (network-policy.ts): a dropped connection times out.
 */
import { httpAnswer } from "../container-shell/http-answer";
import type { RunPlan } from "../container-shell/run-plan";
import type { ObjectStore } from "../store/object-store";
import type { Pod, Service } from "../controllers/api-types";
import { createPolicyChecker, type Endpoint } from "./network-policy";

export interface Listener {
  containerId: string;
  plan: RunPlan;
  /** The container's files now (they change as its process writes them). */
  files?: () => Record<string, string>;
  /** The container's process writes a file (a registry storing a pushed image). */
  writeFile?: (path: string, content: string) => void;
  /** The container's HTTP access log, if it keeps one. */
  onHttp?: (path: string, status: number, client: string) => void;
}

export type Resolved = { ok: true; ip: string; fqdn: string; kind: "service" | "pod" | "ip" } | { ok: false; error: "nxdomain" | "no-dns"; fqdn: string };

export type HttpAnswer = { ok: true; status: number; body: string } | { ok: false; error: "refused" | "timeout" | "reset"; ip: string };

export interface PodNetwork {
  register(ip: string, l: Listener): void;
  unregister(containerId: string): void;
  /** Resolves a host name as CoreDNS would for a pod in `namespace` (at `from`, for egress policies). */
  resolve(host: string, namespace: string, from?: string): Resolved;
  /** TCP connect from `from`: which listener answers ip:port (after Service translation and policies). */
  connect(ip: string, port: number, from?: string): { listener: Listener } | { error: "refused" | "timeout" };
  /**
   * TCP connect from a node's own network namespace (containerd, ctr): loopback and node
   * addresses reach NodePorts (kube-proxy's localhost NodePorts), ClusterIPs are translated, pod
   * IPs are reached directly; nothing else on the node listens.
   */
  connectFromNode(ip: string, port: number): { listener: Listener } | { error: "refused" | "timeout" };
  /** One HTTP GET. */
  http(ip: string, port: number, path: string, client: string): HttpAnswer;
  readonly dnsServer: string;
}

export const NGINX_404 =
  '<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx/1.27.4</center>\n</body>\n</html>\n';

export function createPodNetwork(store: ObjectStore, dnsServer = "10.96.0.10"): PodNetwork {
  const byIp = new Map<string, Listener[]>();

  const allowed = createPolicyChecker(store);

  function endpointAt(ip: string): Endpoint {
    const pod = (store.list("pods").items as Pod[]).find((p) => p.status?.podIP === ip && !p.spec.hostNetwork && !p.metadata.deletionTimestamp);
    return { ip, pod };
  }

  /** CoreDNS answers when kube-dns has a ready endpoint that the asking pod may reach on 53/UDP. */
  function dnsUp(from?: string): boolean {
    const ep = store.get("endpoints", "kube-system", "kube-dns");
    const subsets = (ep?.subsets as { addresses?: { ip: string }[] }[] | undefined) ?? [];
    const src = from ? endpointAt(from) : undefined;
    return subsets.some((s) => (s.addresses ?? []).some((a) => !src || allowed(src, endpointAt(a.ip), 53, "UDP")));
  }

  /**
   * Whether the asking pod's resolv.conf points at cluster DNS. `dnsPolicy: Default` gives a pod
   * the node's resolver, which knows no cluster names (NXDOMAIN); `None` uses only its
   * dnsConfig.nameservers. (hostNetwork pods are not pod endpoints here; they keep cluster DNS.)
   */
  function usesClusterDns(from?: string): boolean {
    const pod = from ? endpointAt(from).pod : undefined;
    if (!pod) return true;
    if (pod.spec.dnsPolicy === "Default") return false;
    if (pod.spec.dnsPolicy === "None") return (pod.spec.dnsConfig?.nameservers ?? []).includes(dnsServer);
    return true;
  }

  function services(): Service[] {
    return store.list("services").items as Service[];
  }

  function resolve(host: string, namespace: string, from?: string): Resolved {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ok: true, ip: host, fqdn: host, kind: "ip" };
    const clean = host.replace(/\.$/, "");
    if (!usesClusterDns(from)) return { ok: false, error: "nxdomain", fqdn: clean };
    const parts = clean.split(".");
    let name = parts[0] ?? "";
    let ns = namespace;
    if (parts.length >= 2) ns = parts[1]!;
    const fqdn = `${name}.${ns}.svc.cluster.local`;
    if (parts.length >= 3 && parts[2] !== "svc") return { ok: false, error: dnsUp(from) ? "nxdomain" : "no-dns", fqdn: clean };
    if (!dnsUp(from)) return { ok: false, error: "no-dns", fqdn };
    // A pod of a headless Service: <pod-hostname>.<service>.<ns>.svc…
    const svc = services().find((s) => s.metadata.name === name && s.metadata.namespace === ns);
    if (!svc) {
      if (parts.length >= 3) {
        name = parts[0]!;
        const sub = parts[1]!;
        const podNs = parts[2]!;
        const pod = (store.list("pods", { namespace: podNs }).items as Pod[]).find((p) => p.spec.hostname === name && p.spec.subdomain === sub);
        if (pod?.status?.podIP) return { ok: true, ip: pod.status.podIP, fqdn: clean, kind: "pod" };
      }
      return { ok: false, error: "nxdomain", fqdn };
    }
    if (svc.spec.clusterIP && svc.spec.clusterIP !== "None") return { ok: true, ip: svc.spec.clusterIP, fqdn, kind: "service" };
    const ready = readyEndpoints(svc)[0];
    return ready ? { ok: true, ip: ready.ip, fqdn, kind: "pod" } : { ok: false, error: "nxdomain", fqdn };
  }

  function readyEndpoints(svc: Service): { ip: string; pod?: string }[] {
    const ep = store.get("endpoints", svc.metadata.namespace, svc.metadata.name);
    const out: { ip: string; pod?: string }[] = [];
    for (const s of (ep?.subsets as { addresses?: { ip: string; targetRef?: { name: string } }[] }[] | undefined) ?? []) {
      for (const a of s.addresses ?? []) out.push({ ip: a.ip, pod: a.targetRef?.name });
    }
    return out;
  }

  let rr = 0;
  function translate(ip: string, port: number): { ip: string; port: number } | "refused" | undefined {
    const svc = services().find((s) => s.spec.clusterIP === ip);
    if (!svc) return undefined;
    const sp = (svc.spec.ports ?? []).find((p) => p.port === port);
    if (!sp) return "refused";
    return pickEndpoint(svc, sp);
  }

  /** kube-proxy's choice among the Service's ready endpoints for one of its ports. */
  function pickEndpoint(svc: Service, sp: NonNullable<Service["spec"]["ports"]>[number]): { ip: string; port: number } | "refused" {
    const eps = readyEndpoints(svc);
    if (!eps.length) return "refused"; // kube-proxy REJECTs a Service without endpoints
    const ep = eps[rr++ % eps.length]!;
    let target = sp.targetPort ?? sp.port;
    if (typeof target === "string" && !/^\d+$/.test(target)) {
      const pod = ep.pod ? (store.get("pods", svc.metadata.namespace, ep.pod) as Pod | undefined) : undefined;
      const named = pod?.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
      if (!named) return "refused";
      target = named.containerPort;
    }
    return { ip: ep.ip, port: Number(target) };
  }

  function connect(ip: string, port: number, from?: string): { listener: Listener } | { error: "refused" | "timeout" } {
    let dst = { ip, port };
    // kube-proxy's NodePort rules match any local node address, for pods as for outside clients.
    const t = nodeAddresses().includes(ip) ? translateNodePort(port) : translate(ip, port);
    if (t === "refused") return { error: "refused" };
    if (t) dst = t;
    if (from && !allowed(endpointAt(from), endpointAt(dst.ip), dst.port)) return { error: "timeout" };
    const ls = byIp.get(dst.ip);
    if (!ls) {
      // Nobody has that address: inside the pod network that is a timeout, not a refusal.
      const isPodNet = dst.ip.startsWith("10.244.");
      const isNode = (store.list("nodes").items as { status?: { addresses?: { address: string }[] } }[]).some((n) => n.status?.addresses?.some((a) => a.address === dst.ip));
      return { error: isPodNet || !isNode ? "timeout" : "refused" };
    }
    const l = ls.find((x) => x.plan.listens.includes(dst.port));
    return l ? { listener: l } : { error: "refused" };
  }

  function nodeAddresses(): string[] {
    return (store.list("nodes").items as { status?: { addresses?: { type?: string; address: string }[] } }[]).flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type !== "Hostname").map((a) => a.address));
  }

  function translateNodePort(port: number): { ip: string; port: number } | "refused" {
    const svc = services().find((s) => (s.spec.ports ?? []).some((p) => p.nodePort === port));
    const sp = svc?.spec.ports?.find((p) => p.nodePort === port);
    if (!svc || !sp) return "refused";
    return pickEndpoint(svc, sp);
  }

  function connectFromNode(ip: string, port: number): { listener: Listener } | { error: "refused" | "timeout" } {
    if (ip === "127.0.0.1" || nodeAddresses().includes(ip)) {
      const dst = translateNodePort(port);
      if (dst === "refused") return { error: "refused" };
      const l = byIp.get(dst.ip)?.find((x) => x.plan.listens.includes(dst.port));
      return l ? { listener: l } : { error: "refused" };
    }
    return connect(ip, port);
  }

  return {
    dnsServer,
    connectFromNode,
    register(ip, l) {
      const ls = byIp.get(ip) ?? [];
      ls.push(l);
      byIp.set(ip, ls);
    },
    unregister(containerId) {
      for (const [ip, ls] of byIp) {
        const rest = ls.filter((l) => l.containerId !== containerId);
        if (rest.length) byIp.set(ip, rest);
        else byIp.delete(ip);
      }
    },
    resolve,
    connect,
    http(ip, port, path, client) {
      const c = connect(ip, port, client);
      if ("error" in c) return { ok: false, error: c.error, ip };
      const answer = httpAnswer({ ...c.listener.plan, files: c.listener.files?.() ?? c.listener.plan.files }, path);
      if (!answer) return { ok: false, error: "reset", ip };
      c.listener.onHttp?.(path.split("?")[0] || "/", answer.status, client);
      return { ok: true, status: answer.status, body: answer.status === 200 ? answer.body : NGINX_404 };
    },
  };
}
