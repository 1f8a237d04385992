import https from "node:https";
import type net from "node:net";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCa, issueCert } from "@/lib/cluster/sim/pki/x509";
import { askApi, readyzStatus } from "./ask-api";

/**
 * askApi against a fake API server whose resource reads hang (as kube-apiserver's do while etcd is
 * unreachable) and whose /readyz answers at once with the status the test sets.
 */

let server: https.Server;
let kc: KubeConfig;
let readyz = 200;
const asked: string[] = [];

beforeAll(async () => {
  const ca = await createCa({ commonName: "kubernetes", algorithm: "ecdsa-p256" });
  const cert = await issueCert({ ca, commonName: "kube-apiserver", ipAddresses: ["127.0.0.1"], extKeyUsage: ["serverAuth"], algorithm: "ecdsa-p256" });
  server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    asked.push(req.url ?? "");
    if (req.url?.startsWith("/readyz")) {
      res.writeHead(readyz, { "Content-Type": "text/plain" });
      return res.end(readyz === 200 ? "ok" : "[-]etcd failed: reason withheld\nreadyz check failed\n");
    }
    if (req.url?.startsWith("/api/v1/namespaces")) {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ kind: "NamespaceList", apiVersion: "v1", metadata: {}, items: [] }));
    }
    // Anything else hangs, like a read that needs etcd.
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "lab", server: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`, caData: Buffer.from(ca.certPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: "admin", token: "x" }],
    contexts: [{ name: "lab", cluster: "lab", user: "admin" }],
    currentContext: "lab",
  });
});
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

describe("askApi", () => {
  it("returns a fast read without asking /readyz", async () => {
    asked.length = 0;
    const r = await askApi({ kubeConfig: kc }, kc.makeApiClient(CoreV1Api).listNamespace(), "listing namespaces");
    expect(r.items).toEqual([]);
    expect(asked.filter((u) => u.startsWith("/readyz"))).toEqual([]);
  });

  it("gives up on a hanging read as soon as /readyz reports the API server not ready", async () => {
    readyz = 500;
    try {
      await expect(askApi({ kubeConfig: kc }, kc.makeApiClient(CoreV1Api).listNode(), "listing nodes")).rejects.toThrow(
        "the API server is not ready (/readyz answered 500)",
      );
    } finally {
      readyz = 200;
    }
  });

  it("waits for a hanging read up to the deadline while /readyz says ok", async () => {
    await expect(askApi({ kubeConfig: kc }, kc.makeApiClient(CoreV1Api).listNode(), "listing nodes")).rejects.toThrow("listing nodes timed out after 2500 ms");
    expect(asked.filter((u) => u.startsWith("/readyz")).length).toBeGreaterThan(0);
  });
});

describe("readyzStatus", () => {
  it("is the status of a failing /readyz, and undefined for ok or a refusal to say", async () => {
    expect(await readyzStatus(kc)).toBeUndefined();
    try {
      readyz = 503;
      expect(await readyzStatus(kc)).toBe(503);
      readyz = 403;
      expect(await readyzStatus(kc)).toBeUndefined();
    } finally {
      readyz = 200;
    }
  });
});
