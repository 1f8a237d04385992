import { parse } from "yaml";
import type { ApiFault } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { parseKubeconfig } from "./kubeconfig-file";

/**
 * What a kubelet does with the files it reads once, as it starts (kind's kubelet.service:
 * `--config=/var/lib/kubelet/config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf
 * --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf`): it exits with the error of
 * cmd/kubelet's "command failed", or it runs and talks to the API server its kubeconfig names,
 * which may not answer there. A running kubelet never reads them again, so an edit takes effect
 * at the next start (systemctl restart kubelet, or systemd's auto-restart of a failing one).
 */
export const KUBELET_CONFIG_FILE = "/var/lib/kubelet/config.yaml";
export const KUBELET_KUBECONFIG = "/etc/kubernetes/kubelet.conf";
export const KUBELET_BOOTSTRAP_KUBECONFIG = "/etc/kubernetes/bootstrap-kubelet.conf";

const CONFIG_API_VERSION = "kubelet.config.k8s.io/v1beta1";
const CONFIG_KIND = "KubeletConfiguration";

export type KubeletStartup =
  /** `err` of the kubelet's `run.go:72] "command failed"` line; the process exits with status 1. */
  | { kind: "exits"; err: string }
  /** The kubelet runs; `api` is set when the API server its kubeconfig names does not answer. */
  | { kind: "runs"; api: ApiFault | null };

/** cmd/kubelet/app/server.go loadConfigFile → configfiles.Load → codec.DecodeKubeletConfiguration. */
function configError(text: string | null): string | null {
  const path = KUBELET_CONFIG_FILE;
  const wrap = (why: string) => `failed to load kubelet config file, path: ${path}, error: failed to load Kubelet config file ${path}, error ${why}`;
  if (text === null) return wrap(`failed to read kubelet config file "${path}", error: open ${path}: no such file or directory`);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    // go-yaml's own wording differs from this parser's; the line number is the same.
    const line = /at line (\d+)/.exec((err as Error).message)?.[1];
    return wrap(`failed to decode: yaml: ${line ? `line ${line}: ` : ""}${(err as Error).message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  const obj = (doc ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const kind = typeof obj.kind === "string" ? obj.kind : "";
  if (apiVersion !== CONFIG_API_VERSION || kind !== CONFIG_KIND)
    // runtime.NewNotRegisteredErrForKind, as the kubelet's scheme reports a type it does not know.
    return wrap(`failed to decode: no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/kubelet/apis/config/scheme/scheme.go:33"`);
  return null;
}

function hostPort(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return null;
  }
}

/**
 * Decides a kubelet start from the node's files. `read` returns a node file's text or null;
 * `apiServer` is the URL the cluster's API server answers on, as the node reaches it.
 *
 * @example
 * kubeletStartup((p) => fs.read(p), "https://127.0.0.1:41234")
 * // → { kind: "runs", api: null } on a healthy node
 */
export function kubeletStartup(read: (nodePath: string) => string | null, apiServer: string): KubeletStartup {
  const config = configError(read(KUBELET_CONFIG_FILE));
  if (config) return { kind: "exits", err: config };
  const kubeconfig = read(KUBELET_KUBECONFIG);
  if (kubeconfig === null) {
    if (read(KUBELET_BOOTSTRAP_KUBECONFIG) === null)
      return { kind: "exits", err: `failed to run Kubelet: unable to load bootstrap kubeconfig: stat ${KUBELET_BOOTSTRAP_KUBECONFIG}: no such file or directory` };
    return { kind: "runs", api: null };
  }
  const kc = parseKubeconfig(kubeconfig);
  if (!kc.ok) return { kind: "exits", err: `failed to run Kubelet: invalid kubeconfig: ${kc.error}` };
  const want = hostPort(apiServer);
  const got = hostPort(kc.value.server);
  if (got && got === want) return { kind: "runs", api: null };
  // Nothing listens on another port of the API server's host; an address that is not a URL
  // fails before dialling, which the sim reports the same way.
  return { kind: "runs", api: { server: kc.value.server, dialError: `dial tcp ${got ?? kc.value.server}: connect: connection refused` } };
}
