import fs from "node:fs";
import type { NodeState } from "./fleet-state";

/** A container's log file on its node and how many of its lines are in it. */
export interface PodLogFile {
  node: string;
  file: string;
  link: string;
  lines: number;
}

/**
 * The kubelet's log files: /var/log/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log in the CRI
 * format, and the /var/log/containers/<pod>_<ns>_<container>-<id>.log symlinks, so `tail` works
 * on a node whose API is down. Files of containers the runtime forgot are removed, as its GC does.
 * `written` (by container id, for every node) is what earlier calls wrote.
 */
export function reconcilePodLogFiles(n: Pick<NodeState, "spec" | "layout" | "kubelet">, written: Map<string, PodLogFile>): void {
  const k = n.kubelet;
  if (!k) return;
  const seen = new Set<string>();
  for (const c of k.containers()) {
    seen.add(c.id);
    let w = written.get(c.id);
    if (!w) {
      const dir = `/var/log/pods/${c.namespace}_${c.podName}_${c.podUid}/${c.name}`;
      w = { node: n.spec.name, file: `${dir}/${c.attempt}.log`, link: `/var/log/containers/${c.podName}_${c.namespace}_${c.name}-${c.id}.log`, lines: 0 };
      try {
        fs.mkdirSync(n.layout.host(dir), { recursive: true });
        fs.writeFileSync(n.layout.host(w.file), "", { flag: "a" });
        fs.mkdirSync(n.layout.host("/var/log/containers"), { recursive: true });
        fs.rmSync(n.layout.host(w.link), { force: true });
        fs.symlinkSync(w.file, n.layout.host(w.link));
      } catch {
        // A learner may have removed /var/log; the kubelet model keeps the logs regardless.
      }
      written.set(c.id, w);
    }
    const lines = k.containerLogs(c.id);
    if (lines.length > w.lines) {
      const text = lines
        .slice(w.lines)
        .map((l) => `${l.time.toISOString().replace("Z", "000000Z")} ${l.stream} F ${l.text}\n`)
        .join("");
      try {
        fs.appendFileSync(n.layout.host(w.file), text);
      } catch {
        // as above
      }
      w.lines = lines.length;
    }
  }
  for (const [id, w] of written) {
    if (w.node !== n.spec.name || seen.has(id)) continue;
    fs.rmSync(n.layout.host(w.file), { force: true });
    fs.rmSync(n.layout.host(w.link), { force: true });
    written.delete(id);
  }
}
