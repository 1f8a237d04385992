import fs from "node:fs";

/**
 * Host pids under `root` (a node shell's bwrap) whose command line names the sim's API forwarder
 * (its process.title), found by walking /proc's parent links; for tests and the terminal bench.
 */
export function forwarderPids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      try {
        if (fs.readFileSync(`/proc/${c}/cmdline`, "utf8").includes("breakfix-api-forwarder")) found.push(c);
      } catch {
        // gone meanwhile
      }
      walk(c);
    }
  };
  walk(root);
  return found;
}
