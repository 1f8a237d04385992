/**
 * The program behind every node tool inside a node shell: it forwards argv, the ETCDCTL_*
 * variables and the working directory to the node agent over the cluster's unix socket and plays
 * back stdout, stderr and the exit code. Plain CommonJS with no dependencies, so the host's node
 * binary runs it inside the sandbox as is.
 */
export const NODE_TOOL_CLIENT_JS = `"use strict";
const net = require("net");
const os = require("os");
const [tool, ...argv] = process.argv.slice(2);
const env = {};
for (const k of Object.keys(process.env)) if (k.startsWith("ETCDCTL_")) env[k] = process.env[k];
const sock = net.connect(process.env.BREAKFIX_AGENT_SOCKET || "/run/breakfix/agent.sock");
let buf = "";
let code = 1;
sock.setEncoding("utf8");
sock.on("connect", () => {
  sock.write(JSON.stringify({ tool, argv, env, cwd: process.cwd(), node: os.hostname() }) + "\\n");
});
sock.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    if (typeof m.o === "string") process.stdout.write(m.o);
    if (typeof m.e === "string") process.stderr.write(m.e);
    if (typeof m.x === "number") code = m.x;
  }
});
sock.on("close", () => { process.exitCode = code; });
sock.on("error", (e) => {
  process.stderr.write(tool + ": cannot reach the node agent (" + (e.code || e.message) + "); is the sim cluster running?\\n");
  process.exitCode = 1;
});
// Like a Go tool killed by SIGPIPE when its reader (head, grep -q) goes away: quiet, status 141.
for (const s of [process.stdout, process.stderr]) s.on("error", () => { sock.destroy(); process.exit(141); });
process.on("SIGINT", () => { sock.destroy(); process.exit(130); });
process.on("SIGTERM", () => { sock.destroy(); process.exit(143); });
`;

/** The wrapper each tool name is on PATH, calling the client with the node binary bound into the sandbox. */
export function toolWrapper(tool: string): string {
  return `#!/bin/sh\nexec /run/breakfix/node /run/breakfix/node-tool.cjs ${tool} "$@"\n`;
}
