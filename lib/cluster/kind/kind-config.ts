import { stringify } from "yaml";
import { InputError } from "@/lib/errors";
import { CLUSTER_PREFIX } from "./kind-pins";

/**
 * The kind cluster name for a spec name: "demo" → "breakfix-demo"; a name that already carries
 * the prefix is kept. kind names become container and host names, so they stay DNS-label-like.
 */
export function kindClusterName(name: string): string {
  const full = name.startsWith(CLUSTER_PREFIX) ? name : `${CLUSTER_PREFIX}${name}`;
  // "<name>-control-plane" must fit in a 63-character hostname.
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(full) || full.length > 49) {
    throw new InputError(`"${name}" cannot be a kind cluster name.`, {
      hint: "Use lower-case letters, digits and dashes, at most 40 characters.",
    });
  }
  return full;
}

/** kind's v1alpha4 config: one control plane and `workers` workers, nothing else (no fixed host ports, which collide). */
export function buildKindConfig(workers: number): string {
  if (!Number.isInteger(workers) || workers < 0 || workers > 5) {
    throw new InputError(`A kind cluster takes 0 to 5 workers, not ${workers}.`);
  }
  const nodes: { role: string }[] = [{ role: "control-plane" }];
  for (let i = 0; i < workers; i++) nodes.push({ role: "worker" });
  return stringify({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", nodes });
}

/** The node container names kind gives: <c>-control-plane, <c>-worker, <c>-worker2, … */
export function expectedNodeNames(cluster: string, workers: number): string[] {
  const names = [`${cluster}-control-plane`];
  for (let i = 1; i <= workers; i++) names.push(`${cluster}-worker${i === 1 ? "" : i}`);
  return names;
}
