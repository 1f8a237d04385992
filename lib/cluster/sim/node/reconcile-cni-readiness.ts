import fs from "node:fs";
import path from "node:path";
import type { NodeState } from "./fleet-state";

/** Whether containerd would find a usable network config in /etc/cni/net.d (the first file that parses and has plugins or a type). */
export function cniConfigured(n: Pick<NodeState, "layout">): boolean {
  const dir = n.layout.host("/etc/cni/net.d");
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => /\.(conflist|conf|json)$/.test(f)).sort();
  } catch {
    return false;
  }
  for (const f of names) {
    try {
      const j = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { plugins?: unknown[]; type?: string };
      if ((Array.isArray(j.plugins) && j.plugins.length > 0) || typeof j.type === "string") return true;
    } catch {
      // containerd skips a file it cannot parse and tries the next.
    }
  }
  return false;
}

/**
 * The node's network readiness follows its CNI config, as containerd's CNI watcher does: a change
 * goes to the kubelet (NetworkReady), and a config that goes away is logged in containerd's journal.
 */
export function reconcileCniReadiness(n: Pick<NodeState, "layout" | "cniReady" | "journal" | "kubelet">, now: Date): void {
  const ready = cniConfigured(n);
  if (ready === n.cniReady) return;
  if (n.cniReady === true && !ready) {
    n.journal.containerd.push(
      `time="${now.toISOString()}" level=error msg="failed to reload cni configuration after receiving fs change event(REMOVE \\"/etc/cni/net.d/10-kindnet.conflist\\")" error="cni config load failed: no network config found in /etc/cni/net.d: cni plugin not initialized: failed to load cni config"`,
    );
  }
  n.cniReady = ready;
  n.kubelet?.setNetworkReady(ready);
}
