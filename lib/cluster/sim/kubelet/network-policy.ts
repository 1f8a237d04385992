/**
 * NetworkPolicy as kind's kindnet enforces it (kind v0.24+ ships kube-network-policies in
 * kindnetd): a pod selected by a policy of type Ingress (or Egress) accepts (or sends) only what
 * some rule of a selecting policy allows; everything else is dropped, which a client sees as a
 * timeout. Peers: podSelector (in the policy's namespace), namespaceSelector (optionally with a
 * podSelector), ipBlock with except. Ports: number or named container port, protocol TCP by
 * default. Checked after Service translation, on pod IPs and target ports, like the real thing.
 */
import type { ObjectStore } from "../store/object-store";
import { matchesLabels, selectorFromObject, type LabelSelectorObject } from "../store/selectors";
import type { Pod } from "../controllers/api-types";

interface Peer {
  podSelector?: LabelSelectorObject;
  namespaceSelector?: LabelSelectorObject;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface NetworkPolicy {
  metadata: { namespace?: string; name?: string };
  spec: { podSelector?: LabelSelectorObject; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

export interface Endpoint {
  ip: string;
  pod?: Pod;
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => (a << 8) + (Number(o) & 255), 0) >>> 0;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const n = Number(bits ?? 32);
  if (n === 0) return true;
  const mask = (~0 << (32 - n)) >>> 0;
  return (ipToInt(ip) & mask) === (ipToInt(base ?? "0.0.0.0") & mask);
}

function types(p: NetworkPolicy): string[] {
  if (p.spec.policyTypes?.length) return p.spec.policyTypes;
  return p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

export function createPolicyChecker(store: ObjectStore) {
  function policies(): NetworkPolicy[] {
    return store.list("networkpolicies.networking.k8s.io").items as unknown as NetworkPolicy[];
  }

  function nsLabels(ns: string): Record<string, string> {
    return store.get("namespaces", undefined, ns)?.metadata.labels ?? { "kubernetes.io/metadata.name": ns };
  }

  function selects(p: NetworkPolicy, pod: Pod | undefined): boolean {
    if (!pod || pod.metadata.namespace !== p.metadata.namespace || pod.spec.hostNetwork) return false;
    return matchesLabels(selectorFromObject(p.spec.podSelector ?? {}), pod.metadata.labels);
  }

  function peerMatches(peer: Peer, policyNs: string, other: Endpoint): boolean {
    if (peer.ipBlock) {
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => inCidr(other.ip, e));
    }
    const pod = other.pod;
    if (!pod) return false;
    if (peer.namespaceSelector) {
      if (!matchesLabels(selectorFromObject(peer.namespaceSelector), nsLabels(pod.metadata.namespace))) return false;
    } else if (pod.metadata.namespace !== policyNs) return false;
    return peer.podSelector ? matchesLabels(selectorFromObject(peer.podSelector), pod.metadata.labels) : true;
  }

  function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string, target: Pod | undefined): boolean {
    if (!ports?.length) return true;
    return ports.some((p) => {
      if ((p.protocol ?? "TCP") !== protocol) return false;
      if (p.port === undefined) return true;
      let num = typeof p.port === "number" ? p.port : /^\d+$/.test(p.port) ? Number(p.port) : undefined;
      if (num === undefined && target) num = target.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === p.port)?.containerPort;
      if (num === undefined) return false;
      return p.endPort ? port >= num && port <= p.endPort : port === num;
    });
  }

  /** Whether a connection from `src` to `dst:port` passes both sides' policies. */
  return function allowed(src: Endpoint, dst: Endpoint, port: number, protocol = "TCP"): boolean {
    const all = policies();
    const egress = all.filter((p) => types(p).includes("Egress") && selects(p, src.pod));
    if (egress.length && !egress.some((p) => (p.spec.egress ?? []).some((r) => (!r.to?.length || r.to.some((peer) => peerMatches(peer, p.metadata.namespace ?? "", dst))) && portMatches(r.ports, port, protocol, dst.pod)))) {
      return false;
    }
    const ingress = all.filter((p) => types(p).includes("Ingress") && selects(p, dst.pod));
    if (ingress.length && !ingress.some((p) => (p.spec.ingress ?? []).some((r) => (!r.from?.length || r.from.some((peer) => peerMatches(peer, p.metadata.namespace ?? "", src))) && portMatches(r.ports, port, protocol, dst.pod)))) {
      return false;
    }
    return true;
  };
}
