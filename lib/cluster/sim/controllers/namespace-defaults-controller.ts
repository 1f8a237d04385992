/**
 * serviceaccount-controller and root-ca-cert-publisher: every active namespace gets the
 * `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap (with the cluster CA), and they
 * come back when deleted, as on a real cluster.
 */
import type { SimComponent } from "../contracts";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue } from "./work-queue";

export interface NamespaceDefaultsOptions extends ControllerOptions {
  /** PEM of the cluster CA; read on each reconcile so a renewed CA is published. */
  caCertPem?: () => string | undefined;
}

export function startNamespaceDefaultsController(opts: NamespaceDefaultsOptions): SimComponent {
  const { store, clock } = opts;

  function reconcile(ns: string): void {
    const nsObj = store.get("namespaces", undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    if (!store.get("serviceaccounts", ns, "default")) {
      try {
        store.create("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } });
      } catch {
        // raced with namespace deletion
      }
    }
    const pem = opts.caCertPem?.();
    const cm = store.get("configmaps", ns, "kube-root-ca.crt");
    const data = pem ? { "ca.crt": pem } : {};
    try {
      if (!cm) {
        store.create("configmaps", {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "kube-root-ca.crt", namespace: ns, annotations: { "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." } },
          data,
        });
      } else if (pem && (cm.data as Record<string, string> | undefined)?.["ca.crt"] !== pem) {
        cm.data = data;
        store.update("configmaps", cm, { force: true });
      }
    } catch {
      // raced with namespace deletion
    }
  }

  const queue = createWorkQueue(clock, "namespace-defaults", reconcile);
  const stops = [
    store.watch("namespaces", {}, (e) => {
      if (e.type !== "DELETED") queue.add(e.object.metadata.name ?? "");
    }),
    store.watch("serviceaccounts", {}, (e) => {
      if (e.type === "DELETED" && e.object.metadata.name === "default") queue.add(e.object.metadata.namespace ?? "");
    }),
    store.watch("configmaps", {}, (e) => {
      if (e.type === "DELETED" && e.object.metadata.name === "kube-root-ca.crt") queue.add(e.object.metadata.namespace ?? "");
    }),
  ];
  for (const ns of store.list("namespaces").items) queue.add(ns.metadata.name ?? "");
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
