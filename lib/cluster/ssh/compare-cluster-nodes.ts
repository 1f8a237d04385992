import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { SshNodeConfig } from "./ssh-clusters-file";

const nodeListSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).default({}) }),
    }),
  ),
});

export interface NodeComparison {
  ok: boolean;
  /** One line per configured node, then one per node the API has that the file does not. */
  lines: string[];
}

/**
 * Whether the cluster file names the nodes as Kubernetes does. Packs find nodes by these names
 * (`ctx.node("cp1")` over ssh, `kubectl get node cp1` through the API), so a mismatch breaks
 * checks in confusing ways. A control plane is a node with the kubeadm label
 * node-role.kubernetes.io/control-plane. Nodes the file leaves out are reported, not failed.
 */
export function compareClusterNodes(configured: SshNodeConfig[], kubectlNodesJson: string): NodeComparison {
  const parsed = nodeListSchema.safeParse(JSON.parse(kubectlNodesJson) as unknown);
  if (!parsed.success) return { ok: false, lines: ["api: `kubectl get nodes -o json` did not return a node list"] };
  const api = new Map(parsed.data.items.map((n) => [n.metadata.name, "node-role.kubernetes.io/control-plane" in n.metadata.labels]));
  const lines: string[] = [];
  let ok = true;
  for (const n of configured) {
    const isControlPlane = api.get(n.name);
    if (isControlPlane === undefined) {
      ok = false;
      lines.push(`${n.name}: FAILED: the API has no node of this name (it has ${[...api.keys()].join(", ") || "none"}); use the names of kubectl get nodes`);
    } else if (isControlPlane !== (n.role === "control-plane")) {
      ok = false;
      lines.push(`${n.name}: FAILED: configured as ${n.role}, but the API ${isControlPlane ? "labels it control-plane" : "does not label it control-plane"}`);
    } else {
      lines.push(`${n.name}: registered as ${n.role}`);
    }
  }
  for (const name of api.keys()) {
    if (!configured.some((n) => n.name === name)) lines.push(`${name}: in the cluster but not in the file (labs will not use it)`);
  }
  return { ok, lines };
}

/** `kubectl get nodes -o json` with this kubeconfig; the temp file holding it is always removed. */
export async function kubectlGetNodes(kubeconfig: string, timeoutMs = 20_000): Promise<{ ok: true; json: string } | { ok: false; error: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-ssh-kc-"));
  const file = path.join(dir, "kubeconfig");
  fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
  try {
    return await new Promise((resolve) => {
      const child = spawn("kubectl", ["--kubeconfig", file, "--request-timeout", `${Math.ceil(timeoutMs / 1000)}s`, "get", "nodes", "-o", "json"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 5000);
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", (e) => (clearTimeout(timer), resolve({ ok: false, error: `kubectl cannot run: ${e.message}` })));
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve(code === 0 ? { ok: true, json: out } : { ok: false, error: err.trim().split("\n").slice(-1)[0] || `kubectl exited ${code}` });
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
