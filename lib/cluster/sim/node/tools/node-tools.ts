import { crictl } from "./crictl";
import { etcdctl } from "./etcdctl";
import { makeJournalctl } from "./journalctl";
import { kubeadm } from "./kubeadm";
import type { UnitName } from "./node-services";
import type { NodeTool } from "./node-tool-host";
import { ss } from "./ss";
import { systemctl } from "./systemctl";

export const NODE_TOOL_NAMES = ["crictl", "systemctl", "journalctl", "kubeadm", "etcdctl", "ss"] as const;
export type NodeToolName = (typeof NODE_TOOL_NAMES)[number];

/** The tools a node shell has on its PATH, as an explicit record. */
export function nodeTools(extraJournal: (unit: UnitName) => string[] = () => []): Record<NodeToolName, NodeTool> {
  return { crictl, systemctl, journalctl: makeJournalctl(extraJournal), kubeadm, etcdctl, ss };
}
