import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimClock } from "../../../clock";
import { ObjectStore } from "../../../store/object-store";
import { RESOURCE_TYPES } from "../../../store/resource-types";
import type { KubeObject } from "../../../store/types";
import { RestApi } from "../../rest-api";

/** The eviction subresource against PodDisruptionBudgets whose status the test sets (no controller runs). */
let server: http.Server;
let base: string;
let store: ObjectStore;
const PDB = "poddisruptionbudgets.policy";

beforeAll(async () => {
  store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns" } });
  const rest = new RestApi({ store, clock: new SimClock(), serverAddress: () => "127.0.0.1:0", gitVersion: "v1.32.2", backendFailure: () => null });
  server = http.createServer((req, res) => void rest.handle(req, res, { name: "admin", groups: ["system:masters"] }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A pod bound to a node, so a graceful delete leaves it Terminating (the kubelet confirms). */
function pod(name: string, app: string, phase = "Running", ready = true): void {
  store.create("pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns", labels: { app } },
    spec: { nodeName: "node-1", containers: [{ name: "c", image: "nginx" }] },
    status: { phase, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  });
}

function pdb(name: string, app: string, status: Record<string, unknown>): KubeObject {
  const created = store.create(PDB, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name, namespace: "ns" }, spec: { minAvailable: 2, selector: { matchLabels: { app } } } });
  return store.update(PDB, { ...created, status: { observedGeneration: 1, expectedPods: 2, ...status } }, { subresource: "status" });
}

async function evict(name: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v1/namespaces/ns/pods/${name}/eviction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: "ns" } }),
    signal: AbortSignal.timeout(5_000),
  });
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

const conditionsOf = (name: string) => ((store.get("pods", "ns", name)?.status as { conditions?: { type: string; reason?: string; message?: string }[] }).conditions ?? []);

describe("pods/eviction", () => {
  it("refuses with 429 and the budget's numbers when no disruption is allowed", async () => {
    pod("a-1", "a");
    pdb("a", "a", { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    const r = await evict("a-1");
    expect(r).toEqual({
      code: 429,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: "TooManyRequests",
        details: { causes: [{ reason: "DisruptionBudget", message: "The disruption budget a needs 2 healthy pods and has 2 currently" }] },
        code: 429,
      },
    });
    expect(store.get("pods", "ns", "a-1")?.metadata.deletionTimestamp).toBeUndefined();
  });

  it("takes an allowed disruption from the budget, marks the pod DisruptionTarget and deletes it", async () => {
    pod("b-1", "b");
    pdb("b", "b", { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
    expect(await evict("b-1")).toMatchObject({ code: 201, body: { kind: "Status", status: "Success" } });
    const status = store.get(PDB, "ns", "b")!.status as { disruptionsAllowed: number; disruptedPods: Record<string, string>; conditions: { type: string; status: string; reason: string }[] };
    expect(status.disruptionsAllowed).toBe(0);
    expect(Object.keys(status.disruptedPods)).toEqual(["b-1"]);
    expect(status.conditions).toMatchObject([{ type: "DisruptionAllowed", status: "False", reason: "InsufficientPods" }]);
    expect(store.get("pods", "ns", "b-1")?.metadata.deletionTimestamp).toBeDefined();
    expect(conditionsOf("b-1")).toContainEqual(expect.objectContaining({ type: "DisruptionTarget", reason: "EvictionByEvictionAPI", message: "Eviction API: evicting" }));
  });

  it("asks to retry while the budget's controller has not seen its latest spec", async () => {
    pod("c-1", "c");
    const cur = pdb("c", "c", { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
    store.update(PDB, { ...cur, spec: { minAvailable: 1, selector: { matchLabels: { app: "c" } } } });
    const r = await evict("c-1");
    expect(r.code).toBe(429);
    expect(r.body.details).toEqual({ causes: [{ reason: "DisruptionBudget", message: "The disruption budget c is still being processed by the server." }], retryAfterSeconds: 10 });
  });

  it("ignores budgets for pending pods and lets an unready pod go while the budget is met", async () => {
    pod("d-1", "d", "Pending");
    pod("d-2", "d", "Running", false);
    pdb("d", "d", { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    expect((await evict("d-1")).code).toBe(201);
    expect(store.get("pods", "ns", "d-1")?.metadata.deletionTimestamp).toBeDefined();
    expect((await evict("d-2")).code).toBe(201);
    expect(store.get("pods", "ns", "d-2")?.metadata.deletionTimestamp).toBeDefined();
    expect((store.get(PDB, "ns", "d")!.status as { disruptionsAllowed: number }).disruptionsAllowed).toBe(0);
  });

  it("refuses a pod covered by two budgets", async () => {
    pod("e-1", "e");
    pdb("e", "e", { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 });
    pdb("e2", "e", { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 });
    expect(await evict("e-1")).toMatchObject({ code: 500, body: { message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." } });
  });
});
