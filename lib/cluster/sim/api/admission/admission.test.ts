import { describe, expect, it } from "vitest";
import { replicaFailureConditions } from "../../controllers/replicaset-controller";
import { ObjectStore } from "../../store/object-store";
import { RESOURCE_TYPES } from "../../store/resource-types";
import { StatusError } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { admitCreate } from "./admission-chain";
import { hardOf, namespaceUsage } from "./quota-usage";

const NOW = new Date("2026-01-01T00:00:00Z");

function storeWith(...objs: [string, KubeObject][]): ObjectStore {
  const store = new ObjectStore(RESOURCE_TYPES, () => NOW);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns" } });
  for (const [key, o] of objs) store.create(key, o);
  return store;
}

function quota(name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ResourceQuota", metadata: { name, namespace: "ns" }, spec: { hard, ...spec }, status: { hard, used: {} } };
}

function pod(name: string, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "ns" }, spec: { containers, ...extra } };
}

const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>) => ({ name, image: "nginx", resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.message;
    throw err;
  }
  return "admitted";
}

describe("ResourceQuota admission and usage", () => {
  it("applies a BestEffort-scoped quota to best-effort pods only, and never to other kinds", () => {
    const store = storeWith(["resourcequotas", quota("be", { pods: "1" }, { scopes: ["BestEffort"] })], ["pods", pod("a", [c("app")])]);
    expect(refusal(() => admitCreate(store, "pods", pod("b", [c("app")]), NOW))).toBe('pods "b" is forbidden: exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1');
    expect(refusal(() => admitCreate(store, "pods", pod("burst", [c("app", { cpu: "100m" })]), NOW))).toBe("admitted");
    const q = store.get("resourcequotas", "ns", "be")!;
    store.create("pods", pod("burst", [c("app", { cpu: "100m" })]));
    expect(Object.fromEntries([...namespaceUsage(store, q, hardOf(q), NOW)].map(([k, v]) => [k, v.nanos]))).toEqual({ pods: 1_000_000_000n });
  });

  it("charges a pod the larger of its app containers' sum and each init container", () => {
    const store = storeWith(["resourcequotas", quota("cpu", { "requests.cpu": "1" })]);
    const initHeavy = pod("init", [c("app", { cpu: "200m" }), c("side", { cpu: "200m" })], { initContainers: [c("setup", { cpu: "1500m" })] });
    expect(refusal(() => admitCreate(store, "pods", initHeavy, NOW))).toBe(
      'pods "init" is forbidden: exceeded quota: cpu, requested: requests.cpu=1500m, used: requests.cpu=0, limited: requests.cpu=1',
    );
    expect(refusal(() => admitCreate(store, "pods", pod("ok", [c("app", { cpu: "200m" })], { initContainers: [c("setup", { cpu: "900m" })] }), NOW))).toBe("admitted");
  });

  it("lists every container that misses a constrained request or limit, init containers included", () => {
    const store = storeWith(["resourcequotas", quota("mem", { "requests.memory": "1Gi", "limits.memory": "2Gi" })]);
    const p = pod("p", [c("web", { memory: "64Mi" }), c("log")], { initContainers: [c("init", undefined, { memory: "64Mi" })] });
    expect(refusal(() => admitCreate(store, "pods", p, NOW))).toBe('pods "p" is forbidden: failed quota: mem: must specify limits.memory for: log,web; requests.memory for: log');
  });

  it("stops counting a pod toward pods once it is past its deletion grace period", () => {
    const store = storeWith(["pods", pod("old", [c("app")], { nodeName: "node-1" })]);
    store.delete("pods", "ns", "old", { gracePeriodSeconds: 30 }); // stays Terminating until its kubelet confirms
    const q = quota("q", { pods: "5", "count/pods": "5" });
    const at = (ms: number) => namespaceUsage(store, q, hardOf(q), new Date(NOW.getTime() + ms));
    expect(at(0).get("pods")?.nanos).toBe(1_000_000_000n);
    expect(at(61_000).get("pods")?.nanos).toBe(0n);
    expect(at(61_000).get("count/pods")?.nanos).toBe(1_000_000_000n);
  });
});

describe("LimitRanger admission", () => {
  const range = (limits: Record<string, unknown>[]): KubeObject => ({ apiVersion: "v1", kind: "LimitRange", metadata: { name: "lr", namespace: "ns" }, spec: { limits } });

  it("enforces a Pod-type max on the sum of the containers", () => {
    const store = storeWith(["limitranges", range([{ type: "Pod", max: { cpu: "1" } }])]);
    const p = pod("two", [c("a", undefined, { cpu: "1" }), c("b", undefined, { cpu: "500m" })]);
    expect(refusal(() => admitCreate(store, "pods", p, NOW))).toBe('pods "two" is forbidden: maximum cpu usage per Pod is 1, but limit is 1500m');
  });

  it("names a controller's generated pod in its refusal and fills defaults into the pods it admits", () => {
    const store = storeWith(["limitranges", range([{ type: "Container", default: { memory: "256Mi" }, defaultRequest: { memory: "128Mi" }, max: { memory: "512Mi" } }])]);
    const made = pod("", [c("app")]);
    made.metadata = { generateName: "web-5d4f-", namespace: "ns" };
    admitCreate(store, "pods", made, NOW);
    expect(made.metadata.name).toMatch(/^web-5d4f-[a-z0-9]{5}$/);
    expect((made.spec as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual({ limits: { memory: "256Mi" }, requests: { memory: "128Mi" } });
    const big = pod("", [c("app", undefined, { memory: "1Gi" })]);
    big.metadata = { generateName: "web-5d4f-", namespace: "ns" };
    expect(refusal(() => admitCreate(store, "pods", big, NOW))).toMatch(/^pods "web-5d4f-[a-z0-9]{5}" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi$/);
  });
});

describe("ReplicaFailure condition", () => {
  it("is set on the first failed create, kept while failures go on, and removed after a clean sync", () => {
    const set = replicaFailureConditions(undefined, 'pods "x" is forbidden: exceeded quota', "2026-01-01T00:00:00Z");
    expect(set).toEqual([{ type: "ReplicaFailure", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z", reason: "FailedCreate", message: 'pods "x" is forbidden: exceeded quota' }]);
    expect(replicaFailureConditions(set, "another error", "2026-01-01T00:01:00Z")).toEqual(set);
    expect(replicaFailureConditions(set, undefined, "2026-01-01T00:02:00Z")).toEqual([]);
  });
});
