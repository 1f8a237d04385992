/**
 * Static pods (pkg/kubelet/config file source and the mirror client): the pods of the node's
 * manifest directory run under the name `<name>-<node>` with their config hash as uid, each
 * published to the API as a mirror pod (kubernetes.io/config.* annotations, owned by the Node).
 * A changed manifest replaces the pod, a removed one stops it, a deleted mirror pod comes back.
 * No mirror pod is created while the kubelet cannot get its Node (not registered, or gone with an
 * emptied etcd): the static pods run all the same, only the API does not show them.
 */
import type { Node, Pod } from "../controllers/api-types";
import type { KubeletContext, PodActions } from "./kubelet-context";
import { mirrorPodName, newPodRuntimeState, terminationGraceMs, type PodRuntimeState } from "./pod-runtime-state";

export interface StaticPodDeps extends Pick<PodActions, "schedule"> {
  node(): Node | undefined;
  /** Stops the pod's containers (grace period `graceMs`), then calls `then`. */
  terminate(rt: PodRuntimeState, graceMs: number, then: () => void): void;
  /** Forgets the pod and garbage-collects its containers. */
  removeRuntime(rt: PodRuntimeState): void;
}

export interface StaticPodManager {
  /** Brings the running static pods in line with the manifests. */
  sync(): void;
  /** Creates the mirror pod when it is missing or belongs to an older config. */
  ensureMirror(rt: PodRuntimeState): void;
  /** A mirror pod was deleted through the API: the kubelet re-creates it shortly. */
  onMirrorDeleted(mirror: Pod): void;
}

export function isMirrorPod(p: Pod): boolean {
  return Boolean(p.metadata.annotations?.["kubernetes.io/config.mirror"]);
}

/** The config hash of a static pod (kubernetes.io/config.hash): a change restarts the pod. */
export function staticPodHash(p: Pod): string {
  const s = JSON.stringify({ m: p.metadata.name, ns: p.metadata.namespace, spec: p.spec, labels: p.metadata.labels, ann: p.metadata.annotations });
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0")).repeat(2);
}

export function createStaticPodManager(ctx: KubeletContext, deps: StaticPodDeps): StaticPodManager {
  const { store, clock, nodeName, hooks, journal, pods } = ctx;
  const { schedule, terminate, removeRuntime } = deps;

  function ensureMirror(rt: PodRuntimeState): void {
    if (!ctx.process.running || ctx.process.stopped || ctx.process.apiFault || rt.terminating) return;
    const ns = rt.pod.metadata.namespace;
    const name = mirrorPodName(rt);
    const cur = store.get("pods", ns, name);
    if (cur) {
      if (cur.metadata.annotations?.["kubernetes.io/config.mirror"] === rt.staticHash) return;
      if (cur.metadata.annotations?.["kubernetes.io/config.mirror"]) store.purge("pods", ns, name);
      else return; // an API pod with the mirror's name: the real kubelet also leaves it alone
    }
    // The kubelet creates a mirror pod only for a Node it can get (tryReconcileMirrorPods).
    const n = deps.node();
    if (!n) {
      journal.write("E", "kubelet.go:3190", `"No need to create a mirror pod, since failed to get node info from the cluster" err="node \\"${nodeName}\\" not found" node="${nodeName}"`);
      return;
    }
    if (n.metadata.deletionTimestamp) return;
    try {
      store.create("pods", {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          ...rt.pod.metadata,
          name,
          namespace: ns,
          uid: undefined,
          annotations: {
            ...(rt.pod.metadata.annotations ?? {}),
            "kubernetes.io/config.hash": rt.staticHash ?? "",
            "kubernetes.io/config.mirror": rt.staticHash ?? "",
            "kubernetes.io/config.seen": clock.now().toISOString().replace("Z", "000000Z").replace(/\.(\d{3})000000Z$/, ".$1000000Z"),
            "kubernetes.io/config.source": "file",
          },
          ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: n.metadata.uid ?? "", controller: true }],
        },
        spec: { ...rt.pod.spec, nodeName },
      });
      rt.lastStatus = undefined;
    } catch {
      // namespace missing (emptied etcd): retried on the next sync
    }
  }

  function sync(): void {
    if (!hooks?.staticPods || ctx.process.stopped || !ctx.process.running) return;
    const want = new Map<string, Pod>();
    for (const p of hooks.staticPods.list()) {
      const copy = structuredClone(p);
      copy.metadata.namespace ??= "default";
      copy.metadata.name = `${p.metadata.name}-${nodeName}`;
      copy.spec.nodeName = nodeName;
      want.set(copy.metadata.name, copy);
    }
    for (const rt of [...pods.values()].filter((r) => r.isStatic)) {
      const w = want.get(rt.pod.metadata.name);
      if (w && staticPodHash(w) === rt.staticHash) {
        want.delete(rt.pod.metadata.name);
        continue;
      }
      if (rt.terminating) continue;
      journal.write("I", "kubelet.go:2446", `"SyncLoop REMOVE" source="file" pods=["${rt.pod.metadata.namespace}/${rt.pod.metadata.name}"]`);
      terminate(rt, terminationGraceMs(rt), () => {
        const cur = store.get("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
        if (cur?.metadata.annotations?.["kubernetes.io/config.mirror"] === rt.staticHash) store.purge("pods", rt.pod.metadata.namespace, rt.pod.metadata.name);
        removeRuntime(rt);
        sync();
      });
      want.delete(rt.pod.metadata.name);
    }
    for (const p of want.values()) {
      if ([...pods.values()].some((r) => r.isStatic && r.pod.metadata.name === p.metadata.name)) continue;
      const hash = staticPodHash(p);
      p.metadata.uid = hash;
      journal.write("I", "kubelet.go:2430", `"SyncLoop ADD" source="file" pods=["${p.metadata.namespace}/${p.metadata.name}"]`);
      const rt = newPodRuntimeState(p, hash, hash);
      pods.set(hash, rt);
      ensureMirror(rt);
      schedule(rt, 10);
    }
  }

  return {
    sync,
    ensureMirror,
    onMirrorDeleted(mirror) {
      const rt = [...pods.values()].find((r) => r.isStatic && r.staticHash === mirror.metadata.annotations?.["kubernetes.io/config.mirror"]);
      if (rt && !rt.terminating && ctx.process.running) clock.after(500, () => ensureMirror(rt));
    },
  };
}
