import { describe, expect, it, vi } from "vitest";
import { SimClock } from "../clock";
import { ObjectStore } from "../store/object-store";
import { RESOURCE_TYPES } from "../store/resource-types";
import { createEventRecorder } from "./event-recorder";

describe("event recorder", () => {
  it("aggregates repeats into count and lastTimestamp, and files node events under default", async () => {
    const clock = new SimClock(1000);
    const store = new ObjectStore(RESOURCE_TYPES, () => clock.now());
    store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "cap" } });
    const pod = store.create("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "crash", namespace: "cap" }, spec: { containers: [] } });
    const node = store.create("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: {} });
    const rec = createEventRecorder(store, clock);
    const e = { involvedObject: pod, type: "Warning" as const, reason: "BackOff", message: "Back-off restarting failed container", component: "kubelet", host: "n1", fieldPath: "spec.containers{crash}" };
    rec.record(e);
    const first = clock.now().getTime();
    await vi.waitFor(() => expect(clock.now().getTime()).toBeGreaterThan(first + 1000), { interval: 1 });
    rec.record(e);
    rec.record(e);
    rec.record({ ...e, message: "something else" });
    rec.record({ involvedObject: node, type: "Normal", reason: "Starting", message: "Starting kubelet.", component: "kubelet", host: "n1" });
    rec.stop();
    const evs = store.list("events", { namespace: "cap" }).items;
    expect(evs).toHaveLength(2);
    const backoff = evs.find((x) => x.message === e.message)!;
    expect(backoff.count).toBe(3);
    expect(Date.parse(String(backoff.lastTimestamp))).toBeGreaterThan(Date.parse(String(backoff.firstTimestamp)));
    expect(backoff.source).toEqual({ component: "kubelet", host: "n1" });
    expect(backoff.involvedObject).toMatchObject({ kind: "Pod", name: "crash", namespace: "cap", uid: pod.metadata.uid, fieldPath: "spec.containers{crash}" });
    expect(backoff.metadata.name).toMatch(/^crash\.[0-9a-f]{16,}$/);
    const nodeEv = store.list("events", { namespace: "default" }).items;
    expect(nodeEv).toHaveLength(1);
    expect(nodeEv[0]!.involvedObject).toMatchObject({ kind: "Node", name: "n1", uid: "n1" });
  });
});
