import fs from "node:fs";
import path from "node:path";
import type { KeyAlgorithm } from "@/lib/cluster/sim/pki/x509";
import { CA_FILES, createControlPlanePki, createWorkerPki, type NodeFiles } from "./kubeadm-pki";
import { kubeletConfigYaml } from "./kubelet-config";
import { NodeLayout } from "./node-layout";
import { SIM_VERSIONS, type SimClusterVersions, type SimNodeSpec } from "./node-spec";
import { controlPlaneManifests } from "./static-pod-manifests";

/** Files every kind node has outside Kubernetes' own dirs, so a shell feels like a Debian node. */
function baseFiles(node: SimNodeSpec): NodeFiles {
  return {
    "/etc/hostname": `${node.name}\n`,
    "/etc/hosts": `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${node.ip}\t${node.name}\n`,
    "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    "/etc/group": "root:x:0:\nnogroup:x:65534:\n",
    "/etc/os-release":
      'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\nVERSION="13 (trixie)"\nVERSION_CODENAME=trixie\nID=debian\n',
    "/etc/crictl.yaml": "runtime-endpoint: unix:///run/containerd/containerd.sock\n",
    "/root/.bashrc": `PS1='root@${node.name}:\\w# '\n`,
    "/var/lib/kubelet/config.yaml": kubeletConfigYaml(node),
  };
}

export function writeNodeFiles(layout: NodeLayout, files: NodeFiles): void {
  for (const [p, content] of Object.entries(files)) {
    const host = layout.host(p);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    const mode = /\.key$|\.conf$/.test(p) ? 0o600 : 0o644;
    // Written via a temp file and rename, as kubeadm does, so a watcher never sees half a file.
    const tmp = `${host}.breakfix-tmp`;
    fs.writeFileSync(tmp, content, { mode });
    fs.renameSync(tmp, host);
  }
}

export interface ProvisionOptions {
  clusterName: string;
  /** Node roots by node name. */
  roots: Record<string, string>;
  nodes: SimNodeSpec[];
  /** The sim API server's address as seen from a node shell, e.g. https://127.0.0.1:41234 */
  server: string;
  versions?: SimClusterVersions;
  now?: Date;
  algorithm?: KeyAlgorithm;
}

/**
 * Lays out every node's tree as `kubeadm init`/`join` on kind leave it: PKI and kubeconfigs,
 * static-pod manifests and etcd's data dir on the control plane, kubelet config everywhere,
 * empty /etc/cni/net.d (kindnet writes the conflist when its pod runs), /var/log/{pods,containers}.
 */
export async function provisionNodes(opts: ProvisionOptions): Promise<void> {
  const cp = opts.nodes.find((n) => n.role === "control-plane");
  if (!cp) throw new Error("a sim cluster needs a control-plane node");
  const cpFiles = await createControlPlanePki({ clusterName: opts.clusterName, node: cp, server: opts.server, now: opts.now, algorithm: opts.algorithm });
  const ca = { certPem: cpFiles[CA_FILES.ca.cert]!, keyPem: cpFiles[CA_FILES.ca.key]! };
  for (const node of opts.nodes) {
    const root = opts.roots[node.name];
    if (!root) throw new Error(`no root directory for node ${node.name}`);
    const layout = new NodeLayout(root);
    for (const d of ["/etc/kubernetes/manifests", "/etc/cni/net.d", "/var/log/pods", "/var/log/containers", "/var/lib/kubelet/pki", "/root"]) {
      fs.mkdirSync(layout.host(d), { recursive: true });
    }
    const files: NodeFiles = { ...baseFiles(node) };
    if (node.role === "control-plane") {
      Object.assign(files, cpFiles, controlPlaneManifests(node, opts.clusterName, opts.versions ?? SIM_VERSIONS));
      // etcd's data dir as a member leaves it; its presence is what "etcd has its data" means.
      fs.mkdirSync(layout.host("/var/lib/etcd/member/snap"), { recursive: true });
      fs.mkdirSync(layout.host("/var/lib/etcd/member/wal"), { recursive: true, mode: 0o700 });
    } else {
      Object.assign(files, await createWorkerPki({ clusterName: opts.clusterName, node, server: opts.server, ca, now: opts.now, algorithm: opts.algorithm }));
    }
    writeNodeFiles(layout, files);
  }
}
