import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { describeUnreachable, eventRow, latestEvents, nodeRow, podRow, podStatus, sortPods } from "./cluster-view";

const pod = (p: Partial<V1Pod>): V1Pod => ({ metadata: { name: "web", namespace: "lab" }, spec: { containers: [{ name: "c" }] }, ...p });

describe("node rows", () => {
  it("a node whose Ready condition is Unknown (kubelet silent) is not ready", () => {
    const n: V1Node = {
      metadata: { name: "w1", labels: { "node-role.kubernetes.io/control-plane": "" } },
      status: { conditions: [{ type: "Ready", status: "Unknown" }] },
    };
    expect(nodeRow(n)).toEqual({ name: "w1", status: "Unknown", ready: false, roles: "control-plane" });
  });
  it("a cordoned ready node reads Ready,SchedulingDisabled like kubectl, without role labels <none>", () => {
    const n: V1Node = { metadata: { name: "w2" }, spec: { unschedulable: true }, status: { conditions: [{ type: "Ready", status: "True" }] } };
    expect(nodeRow(n)).toMatchObject({ status: "Ready,SchedulingDisabled", ready: true, roles: "<none>" });
  });
});

describe("pod status", () => {
  it("a waiting reason such as ImagePullBackOff wins over the Pending phase", () => {
    const p = pod({ status: { phase: "Pending", containerStatuses: [{ name: "c", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff" } } }] } });
    expect(podRow(p)).toMatchObject({ status: "ImagePullBackOff", ready: "0/1", healthy: false });
  });
  it("CrashLoopBackOff counts restarts", () => {
    const p = pod({ status: { phase: "Running", containerStatuses: [{ name: "c", image: "x", imageID: "", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }] } });
    expect(podRow(p)).toMatchObject({ status: "CrashLoopBackOff", restarts: 4, healthy: false });
  });
  it("running and ready is healthy; a deleting pod is Terminating", () => {
    const p = pod({ status: { phase: "Running", containerStatuses: [{ name: "c", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] } });
    expect(podRow(p)).toMatchObject({ status: "Running", ready: "1/1", healthy: true });
    expect(podStatus({ ...p, metadata: { ...p.metadata, deletionTimestamp: new Date() } })).toBe("Terminating");
  });
  it("an init container that has not finished shows Init:n/m", () => {
    const p = pod({
      spec: { containers: [{ name: "c" }], initContainers: [{ name: "i" }] },
      status: { phase: "Pending", initContainerStatuses: [{ name: "i", image: "x", imageID: "", ready: false, restartCount: 0, state: { running: {} } }] },
    });
    expect(podStatus(p)).toBe("Init:0/1");
  });
  it("kube-system pods sort first", () => {
    const rows = sortPods([podRow(pod({})), podRow(pod({ metadata: { name: "etcd-cp", namespace: "kube-system" } }))]);
    expect(rows.map((r) => r.namespace)).toEqual(["kube-system", "lab"]);
  });
});

describe("events", () => {
  it("keeps the newest first, using lastTimestamp, then eventTime", () => {
    const a: CoreV1Event = { metadata: { uid: "a" }, involvedObject: { kind: "Pod", name: "web" }, reason: "Failed", lastTimestamp: new Date("2026-01-01T00:00:02Z") };
    const b: CoreV1Event = { metadata: { uid: "b" }, involvedObject: { kind: "Pod", name: "web" }, reason: "BackOff", eventTime: new Date("2026-01-01T00:00:05Z") };
    const rows = latestEvents([eventRow(a), eventRow(b)], 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: "b", reason: "BackOff", object: "pod/web" });
  });
});

describe("why the API server is unreachable", () => {
  it("names a refused connection, a TLS failure and a timeout differently", () => {
    const refused = Object.assign(new Error("request to https://127.0.0.1:6443 failed"), { code: "ECONNREFUSED" });
    expect(describeUnreachable(refused)).toMatch(/refused the connection/);
    const tls = new Error("fetch failed", { cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }) });
    expect(describeUnreachable(tls)).toMatch(/TLS handshake failed \(CERT_HAS_EXPIRED\)/);
    expect(describeUnreachable(new Error("timed out after 5000 ms waiting for the API server"))).toMatch(/did not answer in time/);
  });
});
