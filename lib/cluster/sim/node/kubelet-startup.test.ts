import { describe, expect, it } from "vitest";
import { kubeletConfigYaml } from "./kubelet-config";
import { kubeconfigYaml } from "./kubeconfig-file";
import { KUBELET_CONFIG_FILE, KUBELET_KUBECONFIG, kubeletStartup } from "./kubelet-startup";
import type { SimNodeSpec } from "./node-spec";

const SERVER = "https://127.0.0.1:41234";
const config = kubeletConfigYaml({ name: "kind-worker" } as SimNodeSpec);
const kubeconfig = (server: string) => kubeconfigYaml({ clusterName: "kind", server, caPem: "ca", user: "system:node:kind-worker", certPem: "c", keyPem: "k" });

function files(over: Record<string, string | null>) {
  const all: Record<string, string | null> = { [KUBELET_CONFIG_FILE]: config, [KUBELET_KUBECONFIG]: kubeconfig(SERVER), ...over };
  return (p: string) => all[p] ?? null;
}

describe("kubelet startup", () => {
  it("runs and reaches the API server with kubeadm's files", () => {
    expect(kubeletStartup(files({}), SERVER)).toEqual({ kind: "runs", api: null });
  });

  it("exits with the kubelet's decode error for an apiVersion its scheme does not know", () => {
    const r = kubeletStartup(files({ [KUBELET_CONFIG_FILE]: config.replace("kubelet.config.k8s.io/v1beta1", "kubelet.config.k8s.io/v1") }), SERVER);
    expect(r).toEqual({
      kind: "exits",
      err:
        'failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to decode: no kind "KubeletConfiguration" is registered for version "kubelet.config.k8s.io/v1" in scheme "pkg/kubelet/apis/config/scheme/scheme.go:33"',
    });
  });

  it("exits when the config file is missing, with the real read error", () => {
    const r = kubeletStartup(files({ [KUBELET_CONFIG_FILE]: null }), SERVER);
    expect(r.kind === "exits" && r.err).toBe(
      'failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to read kubelet config file "/var/lib/kubelet/config.yaml", error: open /var/lib/kubelet/config.yaml: no such file or directory',
    );
  });

  it("exits when kubelet.conf and the bootstrap kubeconfig are both gone", () => {
    const r = kubeletStartup(files({ [KUBELET_KUBECONFIG]: null }), SERVER);
    expect(r.kind === "exits" && r.err).toBe("failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory");
  });

  it("runs but is refused when kubelet.conf names another port", () => {
    expect(kubeletStartup(files({ [KUBELET_KUBECONFIG]: kubeconfig("https://127.0.0.1:6444") }), SERVER)).toEqual({
      kind: "runs",
      api: { server: "https://127.0.0.1:6444", dialError: "dial tcp 127.0.0.1:6444: connect: connection refused" },
    });
  });
});
