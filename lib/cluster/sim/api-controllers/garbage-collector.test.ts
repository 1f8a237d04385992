import { describe, expect, it } from "vitest";
import { ObjectStore } from "../store/object-store";
import { RESOURCE_TYPES } from "../store/resource-types";
import type { KubeObject } from "../store/types";
import { startGarbageCollector } from "./garbage-collector";

/** The GC works in microtasks after each write; a macrotask turn runs every one of them (and those they queue). */
async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
}

function setup() {
  const store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const gc = startGarbageCollector(store);
  const owner = store.create("deployments.apps", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: {} });
  const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
  const dep = (name: string): KubeObject => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name, ownerReferences: [ref] }, spec: {} });
  store.create("replicasets.apps", dep("web-1"));
  store.create("replicasets.apps", dep("web-2"));
  return { store, gc };
}

describe("garbage collector", () => {
  it("deletes dependents after their owner (Background)", async () => {
    const { store, gc } = setup();
    store.delete("deployments.apps", "default", "web", { propagationPolicy: "Background" });
    await settle();
    expect(store.list("replicasets.apps").items).toHaveLength(0);
    gc.stop();
  });
  it("orphans dependents and then releases the owner (Orphan)", async () => {
    const { store, gc } = setup();
    store.delete("deployments.apps", "default", "web", { propagationPolicy: "Orphan" });
    await settle();
    expect(store.get("deployments.apps", "default", "web")).toBeUndefined();
    const rs = store.list("replicasets.apps").items;
    expect(rs).toHaveLength(2);
    expect(rs.every((r) => !r.metadata.ownerReferences)).toBe(true);
    gc.stop();
  });
  it("keeps the owner until its blocking dependents are gone (Foreground)", async () => {
    const { store, gc } = setup();
    store.delete("deployments.apps", "default", "web", { propagationPolicy: "Foreground" });
    await settle();
    expect(store.list("replicasets.apps").items).toHaveLength(0);
    expect(store.get("deployments.apps", "default", "web")).toBeUndefined();
    gc.stop();
  });
});
