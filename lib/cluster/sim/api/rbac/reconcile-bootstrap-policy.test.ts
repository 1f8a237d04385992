import { describe, expect, it } from "vitest";
import { ObjectStore } from "../../store/object-store";
import { RESOURCE_TYPES } from "../../store/resource-types";
import { reconcileBootstrapPolicy } from "./reconcile-bootstrap-policy";

const CR = "clusterroles.rbac.authorization.k8s.io";
const CRB = "clusterrolebindings.rbac.authorization.k8s.io";

describe("reconcileBootstrapPolicy", () => {
  it("writes the default policy into an empty store, and nothing on a second start", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    expect(reconcileBootstrapPolicy(store)).toBeGreaterThan(20);
    expect(store.get(CR, undefined, "system:public-info-viewer")).toBeDefined();
    expect(store.get(CRB, undefined, "system:kube-scheduler")).toBeDefined();
    // kubeadm's binding for admin.conf is not the apiserver's to write.
    expect(store.get(CRB, undefined, "kubeadm:cluster-admins")).toBeUndefined();
    expect(reconcileBootstrapPolicy(store)).toBe(0);
  });

  it("adds missing subjects and keeps extra ones, unless the object opts out with autoupdate=false", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    reconcileBootstrapPolicy(store);
    const piv = store.get(CRB, undefined, "system:public-info-viewer")!;
    store.update(CRB, { ...piv, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "extra" }] });
    const basic = store.get(CRB, undefined, "system:basic-user")!;
    store.update(CRB, { ...basic, metadata: { ...basic.metadata, annotations: { "rbac.authorization.kubernetes.io/autoupdate": "false" } }, subjects: [] });
    expect(reconcileBootstrapPolicy(store)).toBe(1);
    const names = (store.get(CRB, undefined, "system:public-info-viewer")!.subjects as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(["extra", "system:authenticated", "system:unauthenticated"]);
    expect(store.get(CRB, undefined, "system:basic-user")!.subjects).toEqual([]);
  });

  it("re-creates a binding whose roleRef was changed, since roleRef is immutable", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    reconcileBootstrapPolicy(store);
    store.delete(CRB, undefined, "system:discovery");
    store.create(CRB, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "system:discovery" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [] });
    reconcileBootstrapPolicy(store);
    expect(store.get(CRB, undefined, "system:discovery")!.roleRef).toMatchObject({ name: "system:discovery" });
  });
});
