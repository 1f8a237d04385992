import { crictl } from "./crictl";
import { ctr } from "./ctr";
import { etcdctl } from "./etcdctl";
import { journalctl } from "./journalctl";
import { kubeadm } from "./kubeadm";
import type { NodeTool } from "./node-tool-host";
import { ss } from "./ss";
import { systemctl } from "./systemctl";

export const NODE_TOOL_NAMES = ["crictl", "ctr", "systemctl", "journalctl", "kubeadm", "etcdctl", "ss"] as const;
export type NodeToolName = (typeof NODE_TOOL_NAMES)[number];

/** The tools a node shell has on its PATH, as an explicit record. */
export const NODE_TOOLS: Record<NodeToolName, NodeTool> = { crictl, ctr, systemctl, journalctl, kubeadm, etcdctl, ss };
