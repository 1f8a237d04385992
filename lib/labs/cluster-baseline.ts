import { z } from "zod";
import type { ClusterBaseline, ExecOptions, ExecResult } from "@/lib/cluster/types";

/** Runs kubectl against the cluster with the admin kubeconfig (ctx.kubectl). */
export type KubectlRunner = (argv: string[], opts?: ExecOptions) => Promise<ExecResult>;

/**
 * Where a lab's setup (and a learner) adds things besides namespaces of its own: the two
 * namespaces every cluster has, and a few cluster-scoped kinds. Other namespaces count whole.
 */
const WATCHED_NAMESPACES = ["default", "kube-system"];
const NAMESPACED = [
  "configmaps",
  "secrets",
  "services",
  "serviceaccounts",
  "pods",
  "persistentvolumeclaims",
  "deployments.apps",
  "daemonsets.apps",
  "statefulsets.apps",
  "replicasets.apps",
  "jobs.batch",
  "roles.rbac.authorization.k8s.io",
  "rolebindings.rbac.authorization.k8s.io",
  "networkpolicies.networking.k8s.io",
];
const CLUSTER_SCOPED = [
  "clusterroles.rbac.authorization.k8s.io",
  "clusterrolebindings.rbac.authorization.k8s.io",
  "storageclasses.storage.k8s.io",
  "persistentvolumes",
];

const listSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({
        name: z.string(),
        ownerReferences: z.array(z.unknown()).optional(),
      }),
    }),
  ),
});

const key = (resource: string, namespace: string, name: string) => `${resource}/${namespace}/${name}`;

function parseKey(k: string): { resource: string; namespace: string; name: string } {
  const [resource = "", namespace = "", ...rest] = k.split("/");
  return { resource, namespace, name: rest.join("/") };
}

/**
 * Names of the objects of one resource, leaving out owned ones: an owned object goes with its
 * owner (a ReplicaSet's pods, a static pod's mirror pod, which the Node owns), and one a
 * controller re-creates under a new name is not something a lab added.
 */
async function listNames(kubectl: KubectlRunner, resource: string, namespace: string | null, signal?: AbortSignal): Promise<string[]> {
  const r = await kubectl(["get", resource, ...(namespace ? ["-n", namespace] : []), "-o", "json"], { timeoutMs: 60_000, signal });
  if (r.code !== 0) {
    // A cluster without that API (an older or trimmed one) simply has none of them.
    if (/doesn't have a resource type|the server could not find the requested resource/.test(r.stderr)) return [];
    throw new Error(`kubectl get ${resource}${namespace ? ` -n ${namespace}` : ""} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
  const list = listSchema.parse(JSON.parse(r.stdout) as unknown);
  return list.items.filter((i) => !i.metadata.ownerReferences?.length).map((i) => i.metadata.name);
}

/**
 * What the cluster's API holds now, for removeSinceBaseline(): every namespace, and the
 * unowned objects of common kinds in default, kube-system and at cluster scope.
 *
 * @example
 * cluster.saveBaseline(await takeClusterBaseline(ctx.kubectl)); // before the pack's setup
 */
export async function takeClusterBaseline(kubectl: KubectlRunner, signal?: AbortSignal): Promise<ClusterBaseline> {
  const takenAt = new Date().toISOString();
  const [namespaces, ...lists] = await Promise.all([
    listNames(kubectl, "namespaces", null, signal),
    ...WATCHED_NAMESPACES.flatMap((ns) => NAMESPACED.map(async (res) => (await listNames(kubectl, res, ns, signal)).map((n) => key(res, ns, n)))),
    ...CLUSTER_SCOPED.map(async (res) => (await listNames(kubectl, res, null, signal)).map((n) => key(res, "", n))),
  ]);
  return { takenAt, namespaces: namespaces.sort(), objects: lists.flat().sort() };
}

export interface RemoveResult {
  /** Namespaces and objects ("resource/namespace/name") that were deleted. */
  removed: string[];
  /** What is still there when the wait ended (a finalizer that never finishes, an API error). */
  left: string[];
}

/**
 * Deletes what was added since the baseline: new namespaces (with everything in them) and new
 * objects in the watched places, then waits until they are gone, bounded by timeoutMs.
 * Objects are matched by name, so the cluster's own objects that were changed or re-created
 * stay; putting those right is the pack's solve().
 *
 * @example
 * const { left } = await removeSinceBaseline(ctx.kubectl, cluster.baseline()!, { timeoutMs: 120_000 });
 */
export async function removeSinceBaseline(
  kubectl: KubectlRunner,
  baseline: ClusterBaseline,
  opts: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<RemoveResult> {
  const now = await takeClusterBaseline(kubectl, opts.signal);
  const keepNs = new Set(baseline.namespaces);
  const keepObj = new Set(baseline.objects);
  const namespaces = now.namespaces.filter((n) => !keepNs.has(n));
  const objects = now.objects.filter((o) => !keepObj.has(o));
  const errors: string[] = [];
  const run = async (argv: string[]) => {
    const r = await kubectl(argv, { timeoutMs: 60_000, signal: opts.signal });
    if (r.code !== 0) errors.push(`kubectl ${argv.join(" ")}: ${r.stderr.trim()}`);
  };
  // --wait=false: a namespace takes a while to empty; the wait below covers all of them at once.
  if (namespaces.length) await run(["delete", "namespace", ...namespaces, "--ignore-not-found", "--wait=false"]);
  for (const o of objects.map(parseKey)) {
    await run(["delete", o.resource, o.name, ...(o.namespace ? ["-n", o.namespace] : []), "--ignore-not-found", "--wait=false"]);
  }
  const wanted = [...namespaces.map((n) => key("namespaces", "", n)), ...objects];
  const deadline = Date.now() + opts.timeoutMs;
  let left = wanted;
  for (;;) {
    const still = await takeClusterBaseline(kubectl, opts.signal);
    const present = new Set([...still.namespaces.map((n) => key("namespaces", "", n)), ...still.objects]);
    left = wanted.filter((w) => present.has(w));
    if (!left.length || Date.now() >= deadline || opts.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
  const show = (k: string) => (k.startsWith("namespaces//") ? `namespace ${k.slice("namespaces//".length)}` : k);
  return {
    removed: wanted.filter((w) => !left.includes(w)).map(show),
    left: [...left.map(show), ...(left.length ? errors : [])],
  };
}
