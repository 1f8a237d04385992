import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCert } from "@/lib/cluster/sim/pki/x509";
import { NodeLayout } from "../node-layout";
import { kindNodeSpecs } from "../node-spec";
import { provisionNodes } from "../provision-node";
import { parseStaticPodFile } from "../static-pod-file";
import type { ApiserverState, ComponentContext, EtcdEndpointState, NodeFs } from "./component-context";
import { etcdModel } from "./etcd-model";
import { ETCD_WAIT_MS, kubeApiserverModel } from "./kube-apiserver-model";
import { kubeControllerModel } from "./kube-controller-model";

const [node] = kindNodeSpecs("lab", 0);
let dir: string;
let layout: NodeLayout;
const now = new Date("2026-11-21T08:00:00Z");

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-models-"));
  await provisionNodes({ clusterName: "lab", roots: { [node!.name]: dir }, nodes: [node!], server: "https://127.0.0.1:40001", now: new Date(now.getTime() - 3600_000), algorithm: "ecdsa-p256" });
  layout = new NodeLayout(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function nodeFs(overrides: Record<string, string | null> = {}): NodeFs {
  return {
    read: (p) => (p in overrides ? overrides[p]! : fs.existsSync(layout.host(p)) && fs.statSync(layout.host(p)).isFile() ? fs.readFileSync(layout.host(p), "utf8") : null),
    isDir: (p) => fs.existsSync(layout.host(p)) && fs.statSync(layout.host(p)).isDirectory(),
  };
}

/** The manifest on disk, with `edit` applied to its command. */
function ctxFor(component: string, edit: (cmd: string[]) => string[] = (c) => c, extra: Partial<ComponentContext> = {}): ComponentContext {
  const file = `/etc/kubernetes/manifests/${component}.yaml`;
  const parsed = parseStaticPodFile(file, fs.readFileSync(layout.host(file), "utf8"), node!.name);
  if (!parsed.ok) throw new Error(parsed.error);
  const c = parsed.value.containers[0]!;
  return {
    node: node!,
    fs: nodeFs(),
    now,
    container: { ...c, command: edit(c.command) },
    volumes: parsed.value.volumes,
    etcd: { clientUrls: [], trustedCaPem: null, serverCertPem: null },
    apiserver: { serving: false, port: 6443, clientCaPem: null, servingCertPem: null },
    ...extra,
  };
}

const setFlag = (name: string, value: string | null) => (cmd: string[]) => {
  const out = cmd.filter((a) => !a.startsWith(`--${name}=`));
  return value === null ? out : [...out, `--${name}=${value}`];
};

function servingEtcd(): EtcdEndpointState {
  const e = etcdModel(ctxFor("etcd"));
  return { clientUrls: e.clientUrls, trustedCaPem: e.trustedCaPem, serverCertPem: e.serverCertPem };
}
function servingApi(): ApiserverState {
  const read = nodeFs().read;
  return { serving: true, port: 6443, clientCaPem: read("/etc/kubernetes/pki/ca.crt"), servingCertPem: read("/etc/kubernetes/pki/apiserver.crt") };
}

describe("etcd flag model", () => {
  it("serves on the listen URLs with kubeadm's manifest, on the cluster's data", () => {
    const o = etcdModel(ctxFor("etcd"));
    expect(o.run).toEqual({ kind: "runs" });
    expect(o.clientUrls).toEqual(["https://127.0.0.1:2379", "https://172.18.0.2:2379"]);
    expect(o.dataDirNodePath).toBe("/var/lib/etcd");
    expect(o.freshStore).toBe(false);
    expect(o.listen).toContainEqual({ host: "127.0.0.1", port: 2379 });
  });

  it("serves only on the node IP when 127.0.0.1 is dropped from --listen-client-urls", () => {
    const o = etcdModel(ctxFor("etcd", setFlag("listen-client-urls", "https://172.18.0.2:2379")));
    expect(o.run.kind).toBe("runs");
    expect(o.clientUrls).toEqual(["https://172.18.0.2:2379"]);
  });

  it("starts a fresh, empty store without any error when --data-dir leaves the hostPath mount", () => {
    const o = etcdModel(ctxFor("etcd", setFlag("data-dir", "/var/lib/etcd-new")));
    expect(o.run.kind).toBe("runs");
    expect(o.dataDirNodePath).toBeNull();
    expect(o.freshStore).toBe(true);
    expect(o.logs.join("\n")).not.toContain('"level":"fatal"');
  });

  it("dies with etcd's error when a TLS file is missing or does not match", () => {
    const missing = etcdModel(ctxFor("etcd", setFlag("cert-file", "/etc/kubernetes/pki/etcd/nope.crt")));
    expect(missing.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(missing.logs.join("\n")).toContain("open /etc/kubernetes/pki/etcd/nope.crt: no such file or directory");
    const mismatch = etcdModel(ctxFor("etcd", setFlag("key-file", "/etc/kubernetes/pki/etcd/peer.key")));
    expect(mismatch.logs.join("\n")).toContain("tls: private key does not match public key");
    const outside = etcdModel(ctxFor("etcd", setFlag("trusted-ca-file", "/etc/kubernetes/pki/ca.crt")));
    expect(outside.logs.join("\n")).toContain("open /etc/kubernetes/pki/ca.crt: no such file or directory");
  });

  it("fails a bad client TLS file only when the client listeners start serving: \"listener failed\"", () => {
    const o = etcdModel(ctxFor("etcd", setFlag("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.cert")));
    expect(o.run).toMatchObject({ kind: "exits", exitCode: 1 });
    const last = JSON.parse(o.logs.at(-1)!) as { level: string; caller: string; msg: string; error: string };
    expect(last).toMatchObject({ level: "fatal", caller: "etcdmain/etcd.go:219", msg: "listener failed", error: "open /etc/kubernetes/pki/etcd/ca.cert: no such file or directory" });
    expect(o.logs.some((l) => l.includes('"ready to serve client requests"'))).toBe(true);
    expect(o.listen).toEqual([]);
  });

  it("fails a bad peer TLS file at once, before serving: \"discovery failed\"", () => {
    const o = etcdModel(ctxFor("etcd", setFlag("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.cert")));
    expect(o.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(o.logs).toHaveLength(1);
    expect(JSON.parse(o.logs[0]!)).toMatchObject({ level: "fatal", msg: "discovery failed", error: "open /etc/kubernetes/pki/etcd/ca.cert: no such file or directory" });
    const mismatch = etcdModel(ctxFor("etcd", setFlag("peer-key-file", "/etc/kubernetes/pki/etcd/server.key")));
    expect(JSON.parse(mismatch.logs[0]!)).toMatchObject({ msg: "discovery failed", error: "tls: private key does not match public key" });
  });

  it("rejects a host name in a listen URL, an address the node does not have, and unknown flags", () => {
    expect(etcdModel(ctxFor("etcd", setFlag("listen-client-urls", "https://localhost:2379"))).logs.join("\n")).toContain("expected IP in URL for binding (https://localhost:2379)");
    expect(etcdModel(ctxFor("etcd", setFlag("listen-client-urls", "https://10.9.9.9:2379"))).logs.join("\n")).toContain("listen tcp 10.9.9.9:2379: bind: cannot assign requested address");
    const unknown = etcdModel(ctxFor("etcd", (c) => [...c, "--listen-client-url=https://127.0.0.1:2379"]));
    expect(unknown.run).toMatchObject({ kind: "exits", exitCode: 2 });
    expect(unknown.logs[0]).toBe("flag provided but not defined: -listen-client-url");
  });
});

describe("kube-apiserver flag model", () => {
  it("serves on --secure-port when etcd answers on --etcd-servers", () => {
    const o = kubeApiserverModel(ctxFor("kube-apiserver", undefined, { etcd: servingEtcd() }));
    expect(o.run).toEqual({ kind: "runs" });
    expect(o.port).toBe(6443);
    expect(o.tlsCertFile).toBe("/etc/kubernetes/pki/apiserver.crt");
    expect(o.logs.join("\n")).toContain("Serving securely on [::]:6443");
  });

  it("waits on etcd with gRPC reconnects, then exits with context deadline exceeded", () => {
    const etcd = etcdModel(ctxFor("etcd", setFlag("listen-client-urls", "https://172.18.0.2:2379")));
    const o = kubeApiserverModel(ctxFor("kube-apiserver", undefined, { etcd: { clientUrls: etcd.clientUrls, trustedCaPem: etcd.trustedCaPem, serverCertPem: etcd.serverCertPem } }));
    expect(o.etcdUnreachable).toBe(true);
    expect(o.run).toMatchObject({ kind: "exits", afterMs: ETCD_WAIT_MS, exitCode: 1 });
    const text = o.logs.join("\n");
    expect(text).toContain('grpc: addrConn.createTransport failed to connect to {Addr: "127.0.0.1:2379"');
    expect(text).toContain("dial tcp 127.0.0.1:2379: connect: connection refused");
    expect(text).toContain("Reconnecting...");
    expect(o.logs.at(-1)).toContain('"command failed" err="context deadline exceeded"');
  });

  it("fails on a missing serving certificate and on a bad --advertise-address", () => {
    const o = kubeApiserverModel(ctxFor("kube-apiserver", setFlag("tls-cert-file", "/etc/kubernetes/pki/apiserver-x.crt"), { etcd: servingEtcd() }));
    expect(o.logs.at(-1)).toContain('"command failed" err="open /etc/kubernetes/pki/apiserver-x.crt: no such file or directory"');
    const adv = kubeApiserverModel(ctxFor("kube-apiserver", setFlag("advertise-address", "172.18.0.300"), { etcd: servingEtcd() }));
    expect(adv.logs).toEqual(['Error: invalid argument "172.18.0.300" for "--advertise-address" flag: failed to parse IP: "172.18.0.300"']);
  });

  it("keeps serving with an expired certificate (that is the client's problem)", async () => {
    const read = nodeFs().read;
    const expired = await issueCert({
      ca: { certPem: read("/etc/kubernetes/pki/ca.crt")!, keyPem: read("/etc/kubernetes/pki/ca.key")! },
      commonName: "kube-apiserver",
      extKeyUsage: ["serverAuth"],
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2025-01-01T00:00:00Z"),
      existingKeyPem: read("/etc/kubernetes/pki/apiserver.key")!,
    });
    const ctx = ctxFor("kube-apiserver", undefined, { etcd: servingEtcd(), fs: nodeFs({ "/etc/kubernetes/pki/apiserver.crt": expired.certPem }) });
    expect(kubeApiserverModel(ctx).run).toEqual({ kind: "runs" });
  });

  it("cannot authenticate to etcd with a client certificate from another CA", () => {
    const read = nodeFs().read;
    const ctx = ctxFor("kube-apiserver", setFlag("etcd-certfile", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"), { etcd: servingEtcd() });
    void read;
    const o = kubeApiserverModel(ctx);
    expect(o.etcdUnreachable).toBe(true);
    expect(o.logs.join("\n")).toContain("tls: bad certificate");
  });
});

describe("kube-scheduler and kube-controller-manager flag models", () => {
  it("lead when their kubeconfig authenticates to a serving apiserver", () => {
    const s = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", undefined, { apiserver: servingApi() }));
    expect(s.canLead).toBe(true);
    expect(s.listen).toEqual([{ host: "127.0.0.1", port: 10259 }]);
    expect(s.logs.join("\n")).toContain("successfully acquired lease kube-system/kube-scheduler");
    const cm = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", undefined, { apiserver: servingApi() }));
    expect(cm.canLead).toBe(true);
    expect(cm.listen).toEqual([{ host: "127.0.0.1", port: 10257 }]);
  });

  it("exit when --kubeconfig names a file that is not there, or an empty one", () => {
    const s = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", setFlag("kubeconfig", "/etc/kubernetes/scheduler.com"), { apiserver: servingApi() }));
    expect(s.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(s.logs.at(-1)).toContain('"command failed" err="stat /etc/kubernetes/scheduler.com: no such file or directory"');
    const empty = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", undefined, { apiserver: servingApi(), fs: nodeFs({ "/etc/kubernetes/scheduler.conf": "" }) }));
    expect(empty.logs.at(-1)).toContain("invalid configuration: no configuration has been provided");
  });

  it("run but never lead when their credentials are not trusted", async () => {
    const api = servingApi();
    const other = await import("@/lib/cluster/sim/pki/x509").then((m) => m.createCa({ commonName: "other", algorithm: "ecdsa-p256" }));
    const s = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", undefined, { apiserver: { ...api, clientCaPem: other.certPem } }));
    expect(s.run).toEqual({ kind: "runs" });
    expect(s.canLead).toBe(false);
    expect(s.leaderError).toBe("error retrieving resource lock kube-system/kube-scheduler: Unauthorized");
    // The delegated-authentication lookup through --authentication-kubeconfig is refused too, and tolerated.
    const text = s.logs.join("\n");
    expect(text).toContain("authentication.go:397] Error looking up in-cluster authentication configuration: Unauthorized");
    expect(text).toContain("authentication.go:398] Continuing without authentication configuration. This may treat all requests as anonymous.");
    expect(s.logs.at(-1)).toMatch(/^E\d{4} [\d:.]+ +1 leaderelection.go:436\] error retrieving resource lock kube-system\/kube-scheduler: Unauthorized$/);
    const times = s.logs.map((l) => /^[IWEF]\d{4} ([\d:.]+)/.exec(l)?.[1] ?? "");
    expect(times).toEqual([...times].sort());
    const trusted = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", undefined, { apiserver: api }));
    expect(trusted.logs.join("\n")).not.toContain("in-cluster authentication configuration");
  });

  it("honour --secure-port", () => {
    const s = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", setFlag("secure-port", "10300"), { apiserver: servingApi() }));
    expect(s.listen).toEqual([{ host: "127.0.0.1", port: 10300 }]);
  });
});

describe("kube-scheduler and kube-controller-manager: flags and key files", () => {
  const replaceFlag = (name: string, value: string) => (cmd: string[]) => cmd.map((a) => (a.startsWith(`--${name}=`) ? `--${name}=${value}` : a));

  it("know every flag of the manifests kubeadm writes", () => {
    for (const c of ["kube-scheduler", "kube-controller-manager"] as const) {
      const o = kubeControllerModel(c, ctxFor(c, undefined, { apiserver: servingApi() }));
      expect(o.run, c).toEqual({ kind: "runs" });
    }
  });

  it("exit with cobra's usage and pflag's error on a flag they do not define", () => {
    const s = kubeControllerModel("kube-scheduler", ctxFor("kube-scheduler", (cmd) => cmd.map((a) => a.replace("--bind-address=", "--bind-addr=")), { apiserver: servingApi() }));
    expect(s.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(s.logs[0]).toBe("Usage:");
    expect(s.logs[1]).toBe("  kube-scheduler [flags]");
    expect(s.logs.at(-1)).toBe("Error: unknown flag: --bind-addr");
    expect(s.canLead).toBe(false);
    const cm = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", (cmd) => [...cmd, "-x"], { apiserver: servingApi() }));
    expect(cm.logs.at(-1)).toBe("Error: unknown shorthand flag: 'x' in -x");
    // Families matched by prefix are known.
    const ok = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", (cmd) => [...cmd, "--concurrent-deployment-syncs=10", "--v=2"], { apiserver: servingApi() }));
    expect(ok.run).toEqual({ kind: "runs" });
  });

  it("lead and then exit when the service-account key cannot be read, with the real error, and start no controllers", () => {
    const cm = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", replaceFlag("service-account-private-key-file", "/etc/kubernetes/pki/sa.kye"), { apiserver: servingApi() }));
    expect(cm.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(cm.canLead).toBe(true);
    expect(cm.startsControllers).toBe(false);
    const text = cm.logs.join("\n");
    expect(text.indexOf("successfully acquired lease kube-system/kube-controller-manager")).toBeLessThan(text.indexOf("Error starting controller"));
    expect(cm.logs.at(-1)).toContain('"Error starting controllers" err="error reading key for service account token controller: open /etc/kubernetes/pki/sa.kye: no such file or directory"');
    expect(cm.logs.at(-2)).toContain('controller="serviceaccount-token-controller"');
  });

  it("exit when the cluster-signing key is missing or does not match its certificate", () => {
    const missing = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", replaceFlag("cluster-signing-key-file", "/etc/kubernetes/pki/ca.kye"), { apiserver: servingApi() }));
    expect(missing.run).toMatchObject({ kind: "exits", exitCode: 1 });
    expect(missing.logs.at(-1)).toContain(
      'err="failed to start kubernetes.io/kubelet-serving certificate controller: error reading CA cert file \\"/etc/kubernetes/pki/ca.crt\\": open /etc/kubernetes/pki/ca.kye: no such file or directory"',
    );
    const mismatch = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", replaceFlag("cluster-signing-key-file", "/etc/kubernetes/pki/apiserver.key"), { apiserver: servingApi() }));
    expect(mismatch.logs.at(-1)).toContain("tls: private key does not match public key");
    // An empty flag only skips the controller: nothing fails.
    const skipped = kubeControllerModel("kube-controller-manager", ctxFor("kube-controller-manager", replaceFlag("service-account-private-key-file", ""), { apiserver: servingApi() }));
    expect(skipped.run).toEqual({ kind: "runs" });
  });
});
