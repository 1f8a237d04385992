import { describe, expect, it } from "vitest";
import { unknownFields } from "./unknown-fields";

describe("unknownFields", () => {
  it("names typos in specs, containers and metadata by their path", () => {
    const d = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", lables: { a: "b" } },
      spec: {
        replica: 2,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", imagee: "nginx", ports: [{ containerport: 80 }] }] } },
      },
    };
    expect(unknownFields("Deployment", d)).toEqual([
      "metadata.lables",
      "spec.replica",
      "spec.template.spec.containers[0].imagee",
      "spec.template.spec.containers[0].ports[0].containerport",
    ]);
  });
  it("accepts complete valid objects, including rarely used fields, and does not look into unchecked parts", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", finalizers: [] },
      spec: {
        hostUsers: false,
        os: { name: "linux" },
        affinity: { nodeAffinity: { whatever: true } },
        containers: [{ name: "c", image: "x", resizePolicy: [], startupProbe: { exec: { command: ["true"] } }, volumeMounts: [{ name: "v", mountPath: "/v", recursiveReadOnly: "Disabled" }] }],
      },
      status: { anything: 1 },
    };
    expect(unknownFields("Pod", pod)).toEqual([]);
    expect(unknownFields("ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: {}, data: {}, dat: {} })).toEqual(["dat"]);
    expect(unknownFields("Lease", { spec: { anything: 1 }, extra: 1 })).toEqual([]);
  });
});
