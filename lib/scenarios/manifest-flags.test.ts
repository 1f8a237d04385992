import { describe, expect, it } from "vitest";
import { getManifestFlag, removeManifestFlag, setManifestFlag } from "./manifest-flags";

// The head of kubeadm's own etcd manifest, as captured from a real cluster.
const etcd = `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://192.0.2.2:2379
  creationTimestamp: null
  labels:
    component: etcd
    tier: control-plane
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
    - --advertise-client-urls=https://192.0.2.2:2379
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --client-cert-auth=true
    - --data-dir=/var/lib/etcd
    - --initial-advertise-peer-urls=https://192.0.2.2:2380
    - --initial-cluster=vm=https://192.0.2.2:2380
    - --key-file=/etc/kubernetes/pki/etcd/server.key
    - --listen-client-urls=https://127.0.0.1:2379,https://192.0.2.2:2379
    - --listen-metrics-urls=http://127.0.0.1:2381
    - --listen-peer-urls=https://192.0.2.2:2380
    - --name=vm
    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    - --peer-client-cert-auth=true
    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --snapshot-count=10000
    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    image: k8s.gcr.io/etcd:3.5.1-0
`;

describe("manifest flags", () => {
  it("reads a flag's value", () => {
    expect(getManifestFlag(etcd, "data-dir")).toBe("/var/lib/etcd");
    expect(getManifestFlag(etcd, "--listen-client-urls")).toBe("https://127.0.0.1:2379,https://192.0.2.2:2379");
    expect(getManifestFlag(etcd, "no-such-flag")).toBeUndefined();
  });

  it("changes exactly one line and keeps kubeadm's formatting", () => {
    const out = setManifestFlag(etcd, "listen-client-urls", "https://192.0.2.2:2379");
    const diff = out.split("\n").filter((l, i) => l !== etcd.split("\n")[i]);
    expect(diff).toEqual(["    - --listen-client-urls=https://192.0.2.2:2379"]);
    expect(getManifestFlag(out, "listen-metrics-urls")).toBe("http://127.0.0.1:2381");
  });

  it("does not confuse a flag with a longer one that starts the same way", () => {
    const out = setManifestFlag(etcd, "cert-file", "/x.crt");
    expect(getManifestFlag(out, "cert-file")).toBe("/x.crt");
    expect(getManifestFlag(out, "peer-cert-file")).toBe("/etc/kubernetes/pki/etcd/peer.crt");
  });

  it("adds a missing flag after the last one, and removes it again", () => {
    const out = setManifestFlag(etcd, "quota-backend-bytes", "8589934592");
    expect(out.split("\n").indexOf("    - --quota-backend-bytes=8589934592")).toBe(
      out.split("\n").indexOf("    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt") + 1,
    );
    expect(removeManifestFlag(out, "quota-backend-bytes")).toBe(etcd);
  });
});
