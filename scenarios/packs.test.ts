import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarios } from "@/lib/scenarios/load-scenarios";
import { registry } from "./index";

const { scenarios, problems } = loadScenarios(registry, path.join(process.cwd(), "scenarios"));

/**
 * Words a brief must not contain, because they name the fault or its fix. Briefs say what is
 * observed; the cause is the learner's to find.
 */
const GIVEAWAYS: Record<string, RegExp> = {
  "etcd-crashloop": /etcd|listen-client|data-dir|cert-file/i,
  "expired-certs": /expired|renew|apiserver\.crt|client certificate/i,
  "cni-missing": /kindnet|daemonset|cni|conflist|net\.d/i,
  "image-pull-backoff": /typo|imagePullSecret|pull secret|ImagePullBackOff|ErrImagePull|credential/i,
  "apiserver-down": /etcd|secure-port|tls-cert|certificate|yaml|indent|6444|2380|kube-apiserver\.yaml/i,
  "scheduler-down": /scheduler|schedulerr|bind-addr|kubeconfig|moved/i,
  "controller-manager-down": /controller-manager|kubeconfig|service-account|signing|sa\.pem|ca-key/i,
  "stale-kubeconfigs": /scheduler\.conf|controller-manager\.conf|restart|expired client|kubeconfig/i,
  "node-notready": /kubelet|6444|config\.yaml|kubelet\.conf|disabled|apiVersion/i,
  "crashloop-app": /ngnix|healthz|8080|OOM|100Mi|probe (path|port)/i,
  "pending-no-node": /maintenance|cordon|Insufficient|untolerated|unschedulable|didn't match/i,
  "container-config-error": /not found|missing|deleted|CreateContainerConfigError|configmap "|secret "/i,
  "pvc-pending": /fast-ssd|ReadWriteMany|RWX|5Gi|archive|immutable|claimRef|storageclass/i,
  "service-unreachable": /web-frontend|8080|web-http|selector|targetPort|endpoints/i,
  "netpol-blocked": /front-end|coredns|kube-dns|api-allow-frontend|allow-dns|\bdns\b|deleted/i,
  "dns-failure": /scaled|replicas|selector|dnsPolicy|k8s-app|resolv\.conf|coredns/i,
  "nodeport-unreachable": /30081|ClusterIP|8080|healthz|targetPort|404/i,
  "forbidden-serviceaccount": /RoleBinding|ClusterRole|pod-reader|node-reader|deleted|\bdefault\b/i,
  "incident-dns-and-service": /coredns|kube-dns|scaled|replicas|selector|8080|targetPort|k8s-app|\bDNS\b/i,
};

describe("every pack with a fault", () => {
  it("all load without problems, and every pack but the warm-up is listed here", () => {
    expect(problems).toEqual([]);
    expect(Object.keys(GIVEAWAYS).every((slug) => scenarios.some((s) => s.slug === slug))).toBe(true);
    expect(scenarios.map((s) => s.slug).filter((slug) => !(slug in GIVEAWAYS))).toEqual(["hello-pod"]);
  });

  it("have at least 9 variants between them", () => {
    const n = scenarios.filter((s) => s.slug in GIVEAWAYS).reduce((k, s) => k + s.pack.variants.length, 0);
    expect(n).toBeGreaterThanOrEqual(9);
  });

  describe.each(Object.keys(GIVEAWAYS))("%s", (slug) => {
    const s = scenarios.find((x) => x.slug === slug)!;

    it("has at least two variants", () => {
      expect(s.pack.variants.length).toBeGreaterThanOrEqual(2);
    });

    it("has at least three hints whose cost rises", () => {
      const costs = s.pack.hints.map((h) => h.cost);
      expect(costs.length).toBeGreaterThanOrEqual(3);
      costs.slice(1).forEach((c, i) => expect(c).toBeGreaterThan(costs[i]!));
    });

    it("has a brief that describes symptoms without naming the fault", () => {
      expect(s.brief).not.toMatch(GIVEAWAYS[slug]!);
      // Mode-neutral: an exam in exam mode has no Check button, so a brief never says "press Check".
      expect(s.brief).toMatch(/check your work/);
      expect(s.brief).not.toMatch(/press \**Check/i);
    });

    it("has a solution with the cause, the diagnosis commands and the fix", () => {
      expect(s.solution).toMatch(/## What happened/);
      expect(s.solution).toMatch(/## How to diagnose it/);
      expect(s.solution).toMatch(/## The fix/);
      expect(s.solution).toMatch(/```bash/);
    });

    it("has weighted checks and at least one anti-solution", () => {
      expect(s.pack.checks.length).toBeGreaterThanOrEqual(2);
      expect(s.pack.antiSolutions?.length ?? 0).toBeGreaterThanOrEqual(1);
    });
  });
});
