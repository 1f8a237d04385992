import type { PlanInput } from "./run-plan";
import type { ScriptState } from "./script-state";

function parseUrl(u: string): { host: string; port: number; path: string } {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(u);
  if (!m) return { host: u, port: 80, path: "/" };
  return { host: m[2]!, port: m[3] ? Number(m[3]) : m[1] === "https" ? 443 : 80, path: m[4] ?? "/" };
}

/** busybox wget / nc / nslookup and curl against the cluster's network model. */
export function runNetworkTool(name: string, args: string[], st: ScriptState, input: PlanInput): void {
  const out = (line: string) => st.steps.push({ at: st.t, log: line });
  const net = input.net;
  const resolve = (host: string) => net?.resolve(host) ?? { ok: false as const, error: "no-dns" as const, fqdn: host };
  if (name === "ping") {
    st.status = 0;
    return;
  }
  if (name === "nslookup") {
    const host = args.find((a) => !a.startsWith("-")) ?? "";
    const r = resolve(host);
    if (!r.ok && r.error === "no-dns") {
      st.t += 10_000;
      out(";; connection timed out; no servers could be reached");
      out("");
      st.status = 1;
      return;
    }
    out(`Server:		${net?.dnsServer ?? "10.96.0.10"}`);
    out(`Address:	${net?.dnsServer ?? "10.96.0.10"}:53`);
    out("");
    if (r.ok) {
      out(`Name:	${r.fqdn}`);
      out(`Address: ${r.ip}`);
      out("");
      st.status = 0;
    } else {
      out(`** server can't find ${r.fqdn}: NXDOMAIN`);
      out("");
      st.status = 1;
    }
    return;
  }
  if (name === "nc") {
    const verbose = args.some((a) => /^-\w*v/.test(a));
    const pos = args.filter((a, i) => !a.startsWith("-") && !(args[i - 1] === "-w"));
    const host = pos[0] ?? "";
    const port = Number(pos[1] ?? 0);
    const r = resolve(host);
    if (!r.ok) {
      out(`nc: bad address '${host}'`);
      st.status = 1;
      return;
    }
    const res = net?.tcp(r.ip, port) ?? "timeout";
    if (res === "timeout") {
      const wi = args.indexOf("-w");
      st.t += (wi >= 0 ? Number(args[wi + 1] ?? 1) : 10) * 1000;
      if (verbose) out(`nc: ${host} (${r.ip}:${port}): Connection timed out`);
      st.status = 1;
    } else if (res === "refused") {
      if (verbose) out(`nc: ${host} (${r.ip}:${port}): Connection refused`);
      st.status = 1;
    } else {
      if (verbose) out(`${host} (${r.ip}:${port}) open`);
      st.status = 0;
    }
    return;
  }
  const url = args.find((a, i) => !a.startsWith("-") && !["-O", "-T", "-m", "--connect-timeout", "-o", "-U", "-H", "-X"].includes(args[i - 1] ?? "")) ?? "";
  const { host, port, path } = parseUrl(url);
  if (name === "curl") {
    const silent = args.some((a) => /^-\w*s/.test(a) && !a.startsWith("--"));
    const showErr = args.some((a) => /^-\w*S/.test(a));
    const fail = args.some((a) => /^-\w*f/.test(a) && !a.startsWith("--") || a === "--fail");
    const err = (code: number, text: string) => {
      if (!silent || showErr) out(`curl: (${code}) ${text}`);
      st.status = code;
    };
    if (!url) {
      out("curl: try 'curl --help' or 'curl --manual' for more information");
      st.status = 2;
      return;
    }
    const r = resolve(host);
    if (!r.ok) return err(6, `Could not resolve host: ${host}`);
    const a = net?.http(r.ip, port, path) ?? { ok: false as const, error: "timeout" as const, ip: r.ip };
    if (!a.ok) {
      if (a.error === "timeout") {
        const mi = Math.max(args.indexOf("-m"), args.indexOf("--connect-timeout"));
        const secs = mi >= 0 ? Number(args[mi + 1] ?? 10) : 130;
        st.t += secs * 1000;
        return err(28, `Failed to connect to ${host} port ${port} after ${secs * 1000} ms: Timeout was reached`);
      }
      if (a.error === "reset") return err(56, "Recv failure: Connection reset by peer");
      return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    }
    if (fail && a.status >= 400) return err(22, `The requested URL returned error: ${a.status}`);
    for (const l of a.body.replace(/\n$/, "").split("\n")) if (a.body) out(l);
    st.status = 0;
    return;
  }
  // busybox wget
  const quiet = args.some((a) => /^-\w*q/.test(a));
  const toStdout = args.some((a, i) => a === "-O-" || /^-\w*O-$/.test(a) || ((a === "-O" || /^-\w*O$/.test(a)) && args[i + 1] === "-"));
  const spider = args.includes("--spider");
  const ti = args.findIndex((a) => a === "-T" || a.startsWith("--timeout"));
  const tArg = ti >= 0 ? (args[ti] ?? "") : "";
  const timeout = ti >= 0 ? Number(tArg.includes("=") ? tArg.split("=")[1] : args[ti + 1]) || 900 : 900;
  if (!url) {
    out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.");
    st.status = 1;
    return;
  }
  const r = resolve(host);
  if (!r.ok) {
    if (r.error === "no-dns") st.t += 10_000;
    out(`wget: bad address '${host}'`);
    st.status = 1;
    return;
  }
  if (!quiet) out(`Connecting to ${host}${port !== 80 ? `:${port}` : ""} (${r.ip}:${port})`);
  const a = net?.http(r.ip, port, path) ?? { ok: false as const, error: "timeout" as const, ip: r.ip };
  if (!a.ok) {
    if (a.error === "timeout") {
      st.t += timeout * 1000;
      out("wget: download timed out");
    } else if (a.error === "reset") out("wget: error getting response: Connection reset by peer");
    else out(`wget: can't connect to remote host (${r.ip}): Connection refused`);
    st.status = 1;
    return;
  }
  if (a.status >= 400) {
    out(`wget: server returned error: HTTP/1.1 ${a.status} Not Found`);
    st.status = 1;
    return;
  }
  if (spider) {
    if (!quiet) out("remote file exists");
  } else if (toStdout) {
    for (const l of a.body.replace(/\n$/, "").split("\n")) if (a.body) out(l);
    if (!quiet) out("written to stdout");
  } else {
    const file = path.split("/").pop() || "index.html";
    if (!quiet) out(`saving to '${file}'`);
    st.files[file] = a.body;
    st.steps.push({ at: st.t, touch: file });
    if (!quiet) out(`'${file}' saved`);
  }
  st.status = 0;
}
