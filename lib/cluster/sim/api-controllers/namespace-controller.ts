import type { SimClock } from "../clock";
import type { SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { StatusError } from "../store/status-error";
import type { KubeObject } from "../store/types";

/**
 * Namespace lifecycle as kube-controller-manager runs it: a deleted namespace turns Terminating,
 * its content is deleted, and when nothing is left the "kubernetes" finalizer is removed and the
 * namespace goes. Also, per namespace, the two objects every namespace has on a real cluster: the
 * `default` ServiceAccount (serviceaccount controller) and the `kube-root-ca.crt` ConfigMap
 * (root-ca-cert-publisher).
 */

export interface NamespaceControllerOptions {
  store: ObjectStore;
  clock: SimClock;
  /** The cluster CA, published as kube-root-ca.crt in every namespace. */
  caPem: string;
}

const RESYNC_MS = 1000;

function ignore(codes: number[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StatusError && codes.includes(e.code))) throw e;
  }
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function startNamespaceController(opts: NamespaceControllerOptions): SimComponent {
  const { store, clock } = opts;

  const ensureContent = (ns: string) => {
    if (!store.get("serviceaccounts", ns, "default")) {
      ignore([409, 403, 404], () => store.create("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } }));
    }
    if (!store.get("configmaps", ns, "kube-root-ca.crt")) {
      ignore([409, 403, 404], () =>
        store.create("configmaps", {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: {
            name: "kube-root-ca.crt",
            namespace: ns,
            annotations: { "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
          },
          data: { "ca.crt": opts.caPem },
        }),
      );
    }
  };

  const finalize = (nsObj: KubeObject) => {
    const ns = nsObj.metadata.name ?? "";
    if ((nsObj.status as { phase?: string } | undefined)?.phase !== "Terminating") {
      const next = structuredClone(nsObj);
      next.status = {
        phase: "Terminating",
        conditions: [
          { type: "NamespaceDeletionDiscoveryFailure", status: "False", lastTransitionTime: iso(clock.now()), reason: "ResourcesDiscovered", message: "All resources successfully discovered" },
          { type: "NamespaceDeletionGroupVersionParsingFailure", status: "False", lastTransitionTime: iso(clock.now()), reason: "ParsedGroupVersions", message: "All legacy kube types successfully parsed" },
          { type: "NamespaceDeletionContentFailure", status: "False", lastTransitionTime: iso(clock.now()), reason: "ContentDeleted", message: "All content successfully deleted, may be waiting on finalization" },
        ],
      };
      ignore([404, 409], () => store.update("namespaces", next, { subresource: "status", force: true }));
    }
    let remaining = 0;
    for (const key of store.keys()) {
      if (!store.typeFor(key).namespaced) continue;
      for (const o of store.list(key, { namespace: ns }).items) {
        remaining++;
        if (!o.metadata.deletionTimestamp) ignore([404, 409], () => store.delete(key, ns, o.metadata.name ?? ""));
      }
    }
    if (remaining === 0) {
      const cur = store.get("namespaces", undefined, ns);
      if (!cur) return;
      cur.spec = { ...(cur.spec as object), finalizers: [] };
      ignore([404, 409], () => store.update("namespaces", cur, { force: true }));
    }
  };

  const reconcile = () => {
    for (const ns of store.list("namespaces").items) {
      try {
        if (ns.metadata.deletionTimestamp) finalize(ns);
        else ensureContent(ns.metadata.name ?? "");
      } catch {
        // Retried on the next pass.
      }
    }
  };

  const stopWatch = store.watch("namespaces", {}, () => queueMicrotask(reconcile));
  // Content deletion waits on kubelets and finalizers; a periodic pass picks that up.
  const stopTimer = clock.every(RESYNC_MS, reconcile);
  reconcile();
  return {
    stop() {
      stopWatch();
      stopTimer();
    },
  };
}
