import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Node } from "../controllers/api-types";
import { createNode, fakeKubeletContext } from "./fake-kubelet-context";
import { renewNodeLease } from "./node-lease";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const leaseOf = (ctx: ReturnType<typeof fakeKubeletContext>) => ctx.store.get("leases.coordination.k8s.io", "kube-node-lease", ctx.nodeName);

describe("node lease", () => {
  it("creates the node's lease owned by the Node", () => {
    const ctx = fakeKubeletContext();
    const node = createNode(ctx);
    renewNodeLease(ctx, node);
    const lease = leaseOf(ctx);
    expect(lease?.spec).toMatchObject({ holderIdentity: "kind-worker", leaseDurationSeconds: 40 });
    expect(lease?.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Node", name: "kind-worker", uid: node.metadata.uid }]);
  });

  it("moves renewTime on with the clock, in microseconds", () => {
    const ctx = fakeKubeletContext();
    const node = createNode(ctx);
    renewNodeLease(ctx, node);
    const first = (leaseOf(ctx)?.spec as { renewTime: string }).renewTime;
    vi.advanceTimersByTime(10_000);
    renewNodeLease(ctx, node);
    const second = (leaseOf(ctx)?.spec as { renewTime: string }).renewTime;
    expect(second).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(second) - Date.parse(first)).toBeGreaterThanOrEqual(9_999);
  });

  it("logs both failures when the Node and kube-node-lease are gone", () => {
    const ctx = fakeKubeletContext({ namespaces: ["default"] });
    renewNodeLease(ctx, undefined as Node | undefined);
    expect(leaseOf(ctx)).toBeUndefined();
    const lines = ctx.journal.lines();
    expect(lines[0]).toContain(`"Failed to get node when trying to set owner ref to the node lease" err="nodes \\"kind-worker\\" not found" node="kind-worker"`);
    expect(lines[1]).toContain(`"Failed to ensure lease exists, will retry" err="namespaces \\"kube-node-lease\\" not found" interval="7s"`);
  });

  it("does not renew while the kubelet is stopped", () => {
    const ctx = fakeKubeletContext();
    ctx.process.running = false;
    renewNodeLease(ctx, createNode(ctx));
    expect(leaseOf(ctx)).toBeUndefined();
  });
});
