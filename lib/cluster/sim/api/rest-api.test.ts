import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimClock } from "../clock";
import { ObjectStore } from "../store/object-store";
import { RESOURCE_TYPES } from "../store/resource-types";
import { RestApi } from "./rest-api";

/** The router over plain HTTP (authentication is api-server.ts's job): which handler a request reaches. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  const store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  store.create("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
  const rest = new RestApi({ store, clock: new SimClock(), serverAddress: () => "127.0.0.1:0", gitVersion: "v1.32.2", backendFailure: () => null });
  server = http.createServer((req, res) => void rest.handle(req, res, { name: "admin", groups: ["system:masters"] }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function request(path: string, method = "GET"): Promise<{ code: number; body: { kind?: string; reason?: string; metadata?: { name?: string } } }> {
  const res = await fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(5_000) });
  return { code: res.status, body: (await res.json()) as { kind?: string; reason?: string } };
}

describe("REST router", () => {
  it("sends a verb on a resource to its handler", async () => {
    const got = await request("/api/v1/namespaces/default/pods/web");
    expect(got).toMatchObject({ code: 200, body: { kind: "Pod", metadata: { name: "web" } } });
    expect((await request("/api/v1/namespaces/default/pods")).body.kind).toBe("PodList");
  });

  it("sends a subresource to its handler", async () => {
    expect(await request("/api/v1/namespaces/default/pods/web/status")).toMatchObject({ code: 200, body: { kind: "Pod" } });
  });

  it("answers 404 for a subresource it does not serve, also one named like an object member", async () => {
    for (const sub of ["nope", "constructor", "toString", "__proto__"]) {
      expect((await request(`/api/v1/namespaces/default/pods/web/${sub}`)).code, sub).toBe(404);
    }
  });

  it("answers 405 for a verb the resource does not allow", async () => {
    expect(await request("/api/v1/bindings", "GET")).toMatchObject({ code: 405, body: { reason: "MethodNotAllowed" } });
  });
});
