import { describe, expect, it } from "vitest";
import type { KubeObject } from "../store/types";
import { columnsFor, formatLabelSelector, rowCells } from "./table-printers";

const now = new Date("2026-01-01T01:00:00Z");
const created = "2026-01-01T00:58:00Z";

function obj(kind: string, rest: Record<string, unknown>, name = "web"): KubeObject {
  return { apiVersion: "v1", kind, metadata: { name, namespace: "cap", creationTimestamp: created }, ...rest };
}

function visible(kind: string, o: KubeObject, wide = false): Record<string, unknown> {
  const cols = columnsFor(kind);
  const cells = rowCells(o, now);
  const out: Record<string, unknown> = {};
  cols.forEach((c, i) => {
    if (wide || c.priority === 0) out[c.name.toUpperCase()] = cells[i];
  });
  return out;
}

describe("table printers", () => {
  it("prints deployments like get-deploy.txt", () => {
    const d = obj("Deployment", {
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
      status: { readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    });
    expect(visible("Deployment", d, true)).toEqual({
      NAME: "web",
      READY: "2/2",
      "UP-TO-DATE": 2,
      AVAILABLE: 2,
      AGE: "2m",
      CONTAINERS: "nginx",
      IMAGES: "nginx:1.27",
      SELECTOR: "app=web",
    });
  });
  it("prints services, endpoints and endpoint slices like get-svc-ep.txt", () => {
    const svc = obj("Service", { spec: { type: "ClusterIP", clusterIP: "10.96.121.129", ports: [{ port: 80, protocol: "TCP" }], selector: { app: "web" } } });
    expect(Object.values(visible("Service", svc, true))).toEqual(["web", "ClusterIP", "10.96.121.129", "<none>", "80/TCP", "2m", "app=web"]);
    const ep = obj("Endpoints", { subsets: [{ addresses: [{ ip: "10.244.0.19" }, { ip: "10.244.0.20" }], ports: [{ port: 80 }] }] });
    expect(visible("Endpoints", ep).ENDPOINTS).toBe("10.244.0.19:80,10.244.0.20:80");
    const es = obj("EndpointSlice", { addressType: "IPv4", ports: [{ port: 80 }], endpoints: [{ addresses: ["10.244.0.19"] }, { addresses: ["10.244.0.20"] }] }, "web-2bztz");
    expect(Object.values(visible("EndpointSlice", es))).toEqual(["web-2bztz", "IPv4", "80", "10.244.0.19,10.244.0.20", "2m"]);
  });
  it("prints nodes with roles, SchedulingDisabled and wide columns", () => {
    const n = obj("Node", {
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        addresses: [{ type: "InternalIP", address: "172.18.0.2" }],
        nodeInfo: { kubeletVersion: "v1.32.2", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1", containerRuntimeVersion: "containerd://2.0.2" },
      },
    });
    n.metadata.labels = { "node-role.kubernetes.io/control-plane": "" };
    expect(Object.values(visible("Node", n, true))).toEqual([
      "web",
      "Ready,SchedulingDisabled",
      "control-plane",
      "2m",
      "v1.32.2",
      "172.18.0.2",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.1",
      "containerd://2.0.2",
    ]);
  });
  it("prints events with the object as kind/name", () => {
    const e = obj("Event", {
      type: "Warning",
      reason: "FailedScheduling",
      message: "0/1 nodes are available",
      involvedObject: { kind: "Pod", name: "stuck" },
      lastTimestamp: "2026-01-01T00:59:09Z",
      firstTimestamp: "2026-01-01T00:59:09Z",
      count: 1,
    });
    expect(visible("Event", e)).toEqual({ "LAST SEEN": "51s", TYPE: "Warning", REASON: "FailedScheduling", OBJECT: "pod/stuck", MESSAGE: "0/1 nodes are available" });
  });
  it("formats label selectors with expressions", () => {
    expect(formatLabelSelector({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] })).toBe("app=web,tier in (a,b)");
    expect(formatLabelSelector({})).toBe("<none>");
  });
});
