import { beforeAll, describe, expect, it } from "vitest";
import { createCa } from "@/lib/cluster/sim/pki/x509";
import type { ApiserverOutcome } from "./components/kube-apiserver-model";
import { runRecord } from "./fleet-test-fakes";
import { reconcileApiserverCertificates, type LoadedCertificates } from "./reconcile-apiserver-certificates";

let pair: { certPem: string; keyPem: string };
let other: { certPem: string; keyPem: string };

beforeAll(async () => {
  pair = await createCa({ commonName: "kube-apiserver", algorithm: "ecdsa-p256" });
  other = await createCa({ commonName: "kube-apiserver-2", algorithm: "ecdsa-p256" });
});

/** An apiserver run whose pki dir is mounted from the node's /etc/kubernetes/pki. */
function api(clientCaPem: string | null) {
  const run = runRecord("kube-apiserver", {
    container: { name: "kube-apiserver", image: "", command: [], args: [], volumeMounts: [{ name: "k8s-certs", mountPath: "/etc/kubernetes/pki" }] },
    volumes: [{ name: "k8s-certs", hostPath: { path: "/etc/kubernetes/pki", type: "DirectoryOrCreate" } }],
  });
  const outcome = { tlsCertFile: "/etc/kubernetes/pki/apiserver.crt", tlsKeyFile: "/etc/kubernetes/pki/apiserver.key" } as ApiserverOutcome;
  return { run, outcome, clientCaPem };
}

function recorder() {
  const calls: string[] = [];
  return { calls, effects: { setServingCert: (c: string) => calls.push(`cert:${c === pair.certPem ? "pair" : "other"}`), setClientCa: () => calls.push("ca") } };
}

describe("apiserver certificates reconciler", () => {
  it("loads the serving pair and client CA once, and again only when they change on disk", () => {
    const files: Record<string, string> = { "/etc/kubernetes/pki/apiserver.crt": pair.certPem, "/etc/kubernetes/pki/apiserver.key": pair.keyPem };
    const last: LoadedCertificates = { cert: "", ca: "" };
    const { calls, effects } = recorder();
    reconcileApiserverCertificates(api("CA1"), (p) => files[p] ?? null, last, effects);
    reconcileApiserverCertificates(api("CA1"), (p) => files[p] ?? null, last, effects);
    expect(calls).toEqual(["cert:pair", "ca"]);
    files["/etc/kubernetes/pki/apiserver.crt"] = other.certPem;
    files["/etc/kubernetes/pki/apiserver.key"] = other.keyPem;
    reconcileApiserverCertificates(api("CA2"), (p) => files[p] ?? null, last, effects);
    expect(calls).toEqual(["cert:pair", "ca", "cert:other", "ca"]);
  });

  it("keeps the last good pair when the new certificate does not parse", () => {
    const files: Record<string, string> = { "/etc/kubernetes/pki/apiserver.crt": pair.certPem, "/etc/kubernetes/pki/apiserver.key": pair.keyPem };
    const last: LoadedCertificates = { cert: "", ca: "" };
    const { calls, effects } = recorder();
    reconcileApiserverCertificates(api(null), (p) => files[p] ?? null, last, effects);
    files["/etc/kubernetes/pki/apiserver.crt"] = "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n";
    reconcileApiserverCertificates(api(null), (p) => files[p] ?? null, last, effects);
    expect(calls).toEqual(["cert:pair"]);
    expect(last.cert).toBe(pair.certPem + pair.keyPem);
  });

  it("does nothing without a running apiserver", () => {
    const { calls, effects } = recorder();
    reconcileApiserverCertificates({ run: null, outcome: null, clientCaPem: "CA" }, () => pair.certPem, { cert: "", ca: "" }, effects);
    expect(calls).toEqual([]);
  });
});
