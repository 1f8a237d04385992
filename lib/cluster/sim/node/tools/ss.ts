import type { NodeTool } from "./node-tool-host";

/**
 * `ss -lntp` (and -tlnp, -ltn, …): the listening TCP sockets of the node's processes, in iproute2's
 * columns. Only listening TCP sockets are emulated; other options say so.
 */
export const ss: NodeTool = (host, req, io) => {
  const letters = req.argv.filter((a) => /^-[a-zA-Z]+$/.test(a)).join("").replace(/-/g, "");
  if (!letters.includes("l") || !letters.includes("t")) {
    io.err("ss: only listening TCP sockets are emulated on this simulated node; try: ss -lntp\n");
    return 1;
  }
  const showProc = letters.includes("p");
  const numeric = letters.includes("n");
  const names: Record<number, string> = { 2379: "2379", 2380: "2380", 2381: "2381", 6443: "6443", 10248: "10248", 10249: "10249", 10250: "10250", 10256: "10256", 10257: "10257", 10259: "10259" };
  const rows = [...host.listeners()].sort((a, b) => a.port - b.port || a.host.localeCompare(b.host));
  const fmtAddr = (h: string, p: number) => {
    const host6 = h === "0.0.0.0" ? "0.0.0.0" : h === "::" ? "*" : h.includes(":") ? `[${h}]` : h;
    return `${host6}:${numeric ? p : (names[p] ?? p)}`;
  };
  const lines = [["State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Process"]];
  for (const r of rows) {
    lines.push(["LISTEN", "0", "4096", fmtAddr(r.host, r.port), r.host === "::" ? "*:*" : "0.0.0.0:*", showProc ? `users:(("${r.process}",pid=${r.pid},fd=${3 + (r.port % 7)}))` : ""]);
  }
  // iproute2 right-aligns the local address and left-aligns the rest.
  const w = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  io.out(
    lines
      .map((l) =>
        [l[0]!.padEnd(w[0]!), l[1]!.padEnd(w[1]!), l[2]!.padEnd(w[2]!), l[3]!.padStart(w[3]!), l[4]!.padEnd(w[4]!), l[5]!]
          .join(" ")
          .trimEnd(),
      )
      .join("\n") + "\n",
  );
  return 0;
};
