import { describe, expect, it } from "vitest";
import { ObjectStore } from "./object-store";
import { RESOURCE_TYPES } from "./resource-types";
import { StatusError } from "./status-error";
import type { KubeObject, StoreEvent } from "./types";

function store(): ObjectStore {
  const s = new ObjectStore(RESOURCE_TYPES, () => new Date("2026-01-01T00:00:00Z"));
  s.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return s;
}

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, reason: e.status.reason, message: e.status.message };
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("ObjectStore", () => {
  it("assigns uid, creationTimestamp and one cluster-wide resourceVersion; generation only for workloads", () => {
    const s = store();
    const a = s.create("configmaps", cm("a"));
    const d = s.create("deployments.apps", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 1 } });
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toBe("2026-01-01T00:00:00Z");
    expect(Number(d.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    expect(a.metadata.generation).toBeUndefined();
    expect(d.metadata.generation).toBe(1);
    const d2 = s.update("deployments.apps", { ...d, spec: { replicas: 2 } });
    expect(d2.metadata.generation).toBe(2);
    const d3 = s.update("deployments.apps", { ...d2, metadata: { ...d2.metadata, labels: { a: "b" } } });
    expect(d3.metadata.generation).toBe(2);
  });

  it("answers AlreadyExists, NotFound and a 409 Conflict for a stale resourceVersion", () => {
    const s = store();
    const a = s.create("configmaps", cm("a"));
    expect(statusOf(() => s.create("configmaps", cm("a")))).toMatchObject({ code: 409, reason: "AlreadyExists", message: 'configmaps "a" already exists' });
    expect(statusOf(() => s.mustGet("configmaps", "default", "b"))).toMatchObject({ code: 404, message: 'configmaps "b" not found' });
    s.update("configmaps", { ...a, data: { x: "1" } });
    expect(statusOf(() => s.update("configmaps", { ...a, data: { x: "2" } }))).toMatchObject({ code: 409, reason: "Conflict" });
  });

  it("keeps objects with finalizers until they are removed, and no-op updates keep the resourceVersion", () => {
    const s = store();
    const a = s.create("configmaps", { ...cm("a"), metadata: { name: "a", finalizers: ["x/y"] } });
    const same = s.update("configmaps", a);
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    const r = s.delete("configmaps", "default", "a");
    expect(r.gone).toBe(false);
    expect(s.get("configmaps", "default", "a")?.metadata.deletionTimestamp).toBe("2026-01-01T00:00:00Z");
    const cur = s.mustGet("configmaps", "default", "a");
    s.update("configmaps", { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    expect(s.get("configmaps", "default", "a")).toBeUndefined();
  });

  it("holds a scheduled pod for its grace period and deletes it at once with grace 0", () => {
    const s = store();
    const pod = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { nodeName: "n1", containers: [{ name: "c", image: "x" }] } });
    s.create("pods", pod("p1"));
    s.create("pods", pod("p2"));
    expect(s.delete("pods", "default", "p1").gone).toBe(false);
    expect(s.get("pods", "default", "p1")?.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(s.delete("pods", "default", "p2", { gracePeriodSeconds: 0 }).gone).toBe(true);
  });

  it("refuses new content in a terminating namespace and keeps the namespace until spec.finalizers is empty", () => {
    const s = store();
    s.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "t" }, spec: { finalizers: ["kubernetes"] } });
    expect(s.delete("namespaces", undefined, "t").gone).toBe(false);
    expect(statusOf(() => s.create("configmaps", { ...cm("a"), metadata: { name: "a", namespace: "t" } }))).toMatchObject({
      code: 403,
      message: 'configmaps "a" is forbidden: unable to create new content in namespace t because it is being terminated',
    });
    const ns = s.mustGet("namespaces", undefined, "t");
    s.update("namespaces", { ...ns, spec: { finalizers: [] } }, { force: true });
    expect(s.get("namespaces", undefined, "t")).toBeUndefined();
  });

  it("replays watch history after a resourceVersion and answers 410 past it", () => {
    const s = store();
    const start = s.resourceVersion;
    s.create("configmaps", cm("a"));
    s.create("configmaps", cm("b"));
    const seen: StoreEvent[] = [];
    const stop = s.watch("configmaps", { sinceRv: start }, (e) => seen.push(e));
    s.delete("configmaps", "default", "a");
    stop();
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED a", "ADDED b", "DELETED a"]);
    expect(statusOf(() => s.watch("configmaps", { sinceRv: -5 }, () => undefined))).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("lists with label and field selectors", () => {
    const s = store();
    s.create("configmaps", { ...cm("a"), metadata: { name: "a", labels: { app: "web", tier: "fe" } } });
    s.create("configmaps", { ...cm("b"), metadata: { name: "b", labels: { app: "db" } } });
    const names = (o: Parameters<ObjectStore["list"]>[1]) => s.list("configmaps", o).items.map((i) => i.metadata.name);
    expect(names({ labelSelector: [{ key: "app", op: "in", values: ["web", "x"] }] })).toEqual(["a"]);
    expect(names({ labelSelector: [{ key: "tier", op: "!", values: [] }] })).toEqual(["b"]);
    expect(names({ fieldSelector: [{ field: "metadata.name", op: "!=", value: "a" }] })).toEqual(["b"]);
  });

  it("switchBackend serves another data dir's objects and brings the original back intact", () => {
    const s = store();
    s.create("configmaps", cm("sentinel", { keep: "me" }));
    const before = s.resourceVersion;
    let resets = 0;
    s.onReset(() => resets++);
    s.switchBackend("container:1", {
      reset: true,
      seed: () => s.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } }),
    });
    expect(s.backend).toBe("container:1");
    expect(s.get("configmaps", "default", "sentinel")).toBeUndefined();
    expect(s.list("namespaces").items.map((n) => n.metadata.name)).toEqual(["kube-system"]);
    expect(resets).toBe(1);
    // Clients resuming an old resourceVersion must re-list.
    expect(statusOf(() => s.watch("configmaps", { sinceRv: before - 1 }, () => {})).code).toBe(410);
    s.switchBackend("host:/var/lib/etcd");
    expect(s.get("configmaps", "default", "sentinel")?.data).toEqual({ keep: "me" });
    expect(s.get("namespaces", undefined, "kube-system")).toBeUndefined();
    expect(s.resourceVersion).toBeGreaterThan(before);
    expect(resets).toBe(2);
  });

  it("switchBackend with reset empties a data dir that held objects", () => {
    const s = store();
    s.switchBackend("host:/tmp/etcd");
    s.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } });
    s.switchBackend("host:/var/lib/etcd");
    s.switchBackend("host:/tmp/etcd");
    expect(s.get("namespaces", undefined, "x")).toBeDefined();
    s.switchBackend("host:/var/lib/etcd");
    s.switchBackend("host:/tmp/etcd", { reset: true });
    expect(s.get("namespaces", undefined, "x")).toBeUndefined();
  });
});
