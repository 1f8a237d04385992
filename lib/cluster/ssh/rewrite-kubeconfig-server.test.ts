import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { InputError } from "@/lib/errors";
import { kubeconfigServers, rewriteKubeconfigServer } from "./rewrite-kubeconfig-server";

const adminConf = fs.readFileSync(path.join(import.meta.dirname, "fixtures/admin.conf"), "utf8");

describe("rewriteKubeconfigServer", () => {
  it("points admin.conf at the host ssh reaches, keeping the port and every credential", () => {
    const out = rewriteKubeconfigServer(adminConf, { reachHost: "192.168.56.10", source: "cp1:/etc/kubernetes/admin.conf" });
    expect(kubeconfigServers(out)).toEqual(["https://192.168.56.10:6443"]);
    const before = parseYaml(adminConf) as Record<string, unknown>;
    const after = parseYaml(out) as Record<string, unknown>;
    expect(after.users).toEqual(before.users);
    expect(after.contexts).toEqual(before.contexts);
    expect(after["current-context"]).toBe("kubernetes-admin@kubernetes");
  });

  it("uses a configured server as is, and brackets an IPv6 host", () => {
    expect(kubeconfigServers(rewriteKubeconfigServer(adminConf, { server: "https://lab.example:16443", reachHost: "x", source: "s" }))).toEqual(["https://lab.example:16443"]);
    expect(kubeconfigServers(rewriteKubeconfigServer(adminConf, { reachHost: "fd00::10", source: "s" }))).toEqual(["https://[fd00::10]:6443"]);
  });

  it("sets tls-server-name when the certificate names the API server differently", () => {
    const out = parseYaml(rewriteKubeconfigServer(adminConf, { server: "https://127.0.0.1:16443", tlsServerName: "10.0.0.10", reachHost: "x", source: "s" })) as {
      clusters: { cluster: Record<string, string> }[];
    };
    expect(out.clusters[0]!.cluster).toMatchObject({ server: "https://127.0.0.1:16443", "tls-server-name": "10.0.0.10" });
  });

  it("says which file is not a kubeconfig", () => {
    expect(() => rewriteKubeconfigServer("just: text", { reachHost: "h", source: "cp1:/etc/kubernetes/admin.conf" })).toThrow(InputError);
    expect(() => rewriteKubeconfigServer("clusters: []", { reachHost: "h", source: "cp1:/etc/kubernetes/admin.conf" })).toThrow(/cp1:\/etc\/kubernetes\/admin.conf is not a kubeconfig: clusters: has no clusters/);
  });
});
