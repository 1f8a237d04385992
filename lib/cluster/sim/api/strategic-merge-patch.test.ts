import { describe, expect, it } from "vitest";
import { patchMetaFor } from "./patch-meta";
import { applyMergePatch, applyStrategicMergePatch } from "./strategic-merge-patch";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", finalizers: ["a"] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: "nginx", image: "nginx:1.27", env: [{ name: "A", value: "1" }], ports: [{ containerPort: 80 }], volumeMounts: [{ name: "v", mountPath: "/data" }] },
          { name: "side", image: "busybox:1.36", args: ["sleep", "1"] },
        ],
        volumes: [{ name: "v", emptyDir: {} }],
        tolerations: [{ key: "a", operator: "Exists" }],
      },
    },
  },
};
const smp = (patch: unknown) => applyStrategicMergePatch(deployment, patch, patchMetaFor("Deployment"));

describe("strategic merge patch", () => {
  it("merges containers by name and env by name (kubectl set image / set env)", () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.28", env: [{ name: "B", value: "2" }] }] } } } });
    const cs = out.spec.template.spec.containers;
    expect(cs).toHaveLength(2);
    expect(cs[0]!.image).toBe("nginx:1.28");
    expect(cs[0]!.env).toEqual([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    expect(cs[1]!.image).toBe("busybox:1.36");
  });
  it("deletes list items with $patch: delete and keys with null", () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: "side", $patch: "delete" }, { name: "nginx", env: [{ name: "A", $patch: "delete" }], ports: null }] } } } });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["nginx"]);
    expect(out.spec.template.spec.containers[0]).not.toHaveProperty("ports");
    expect(out.spec.template.spec.containers[0]!.env).toEqual([]);
  });
  it("replaces atomic lists (tolerations, args) and merges ports by containerPort", () => {
    const out = smp({ spec: { template: { spec: { tolerations: [{ key: "b", operator: "Exists" }], containers: [{ name: "side", args: ["sleep", "2"] }, { name: "nginx", ports: [{ containerPort: 443 }] }] } } } });
    expect(out.spec.template.spec.tolerations).toEqual([{ key: "b", operator: "Exists" }]);
    expect(out.spec.template.spec.containers[1]!.args).toEqual(["sleep", "2"]);
    expect(out.spec.template.spec.containers[0]!.ports).toEqual([{ containerPort: 80 }, { containerPort: 443 }]);
  });
  it("honours $patch: replace on a map and $setElementOrder, $deleteFromPrimitiveList and set-like finalizers", () => {
    const out = smp({
      metadata: { finalizers: ["b", "a"] },
      spec: { template: { spec: { volumes: [{ name: "v", hostPath: { path: "/x" }, $patch: "replace" }], "$setElementOrder/containers": [{ name: "side" }, { name: "nginx" }] } } },
    });
    expect(out.metadata.finalizers).toEqual(["a", "b"]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: "v", hostPath: { path: "/x" } }]);
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["side", "nginx"]);
    const del = applyStrategicMergePatch(deployment, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }, patchMetaFor("Deployment"));
    expect(del.metadata.finalizers).toEqual([]);
  });
  it("rejects a merge-key list item without its key, like the apiserver", () => {
    expect(() => smp({ spec: { template: { spec: { containers: [{ image: "x" }] } } } })).toThrow(/does not contain declared merge key: name/);
  });
});

describe("JSON merge patch", () => {
  it("replaces lists and deletes with null", () => {
    const out = applyMergePatch(deployment, { metadata: { finalizers: null }, spec: { template: { spec: { containers: [{ name: "x", image: "y" }] } } } });
    expect(out.metadata).not.toHaveProperty("finalizers");
    expect(out.spec.template.spec.containers).toEqual([{ name: "x", image: "y" }]);
  });
});
