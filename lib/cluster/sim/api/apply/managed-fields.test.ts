import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../store/types";
import { conflictMessage, fieldPaths, fromFieldsV1, managedFieldsAfterUpdate, serverSideApply, toFieldsV1 } from "./managed-fields";

const deploy = (replicas: number, image = "nginx:1.27"): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", uid: "u", labels: { app: "web" } },
  spec: { replicas, template: { spec: { containers: [{ name: "web", image }] } } },
});

describe("managed fields", () => {
  it("serializes keyed list items with their marks and reads them back", () => {
    const v1 = toFieldsV1(fieldPaths(deploy(1), "Deployment").values());
    expect(v1).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": { "f:replicas": {}, "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:name": {}, "f:image": {} } } } } },
    });
    expect([...fromFieldsV1(v1).keys()].sort()).toEqual([...fieldPaths(deploy(1), "Deployment").keys()].sort());
  });

  it("gives an Update manager only what it changed", () => {
    const cur = { ...deploy(1), metadata: { ...deploy(1).metadata, managedFields: managedFieldsAfterUpdate(undefined, deploy(1), { manager: "kubectl-create", operation: "Update", apiVersion: "apps/v1" }, "t0") } };
    const next = managedFieldsAfterUpdate(cur, deploy(2), { manager: "kubectl-scale", operation: "Update", apiVersion: "apps/v1" }, "t1")!;
    expect(next.map((e) => e.manager)).toEqual(["kubectl-create", "kubectl-scale"]);
    expect(next[1]!.fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
    expect(next[0]!.fieldsV1!["f:spec"]).not.toHaveProperty("f:replicas");
  });

  it("conflicts on another manager's field with a different value, shares an equal one, and takes it when forced", () => {
    const mf = managedFieldsAfterUpdate(undefined, deploy(1), { manager: "kubectl-client-side-apply", operation: "Update", apiVersion: "apps/v1" }, "t0");
    const cur = { ...deploy(1), metadata: { ...deploy(1).metadata, managedFields: mf } };
    const m = { manager: "kubectl", operation: "Apply" as const, apiVersion: "apps/v1" };
    const r = serverSideApply(cur, deploy(3, "nginx:1.28"), m, false, "t1");
    expect(conflictMessage(r.conflicts)).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    expect(serverSideApply(cur, deploy(1), m, false, "t1").conflicts).toEqual([]);
    const forced = serverSideApply(cur, deploy(3), m, true, "t1");
    expect((forced.object.spec as { replicas: number }).replicas).toBe(3);
    expect(forced.managedFields.find((e) => e.manager === "kubectl-client-side-apply")!.fieldsV1!["f:spec"]).not.toHaveProperty("f:replicas");
  });

  it("removes a field the applier stopped setting unless someone else owns it", () => {
    const m = { manager: "kubectl", operation: "Apply" as const, apiVersion: "v1" };
    const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" }, data });
    const first = serverSideApply(undefined, cm({ a: "1", b: "2" }), m, false, "t0");
    const cur = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } };
    expect(serverSideApply(cur, cm({ a: "1" }), m, false, "t1").object.data).toEqual({ a: "1" });
  });
});
