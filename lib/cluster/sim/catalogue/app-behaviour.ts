/**
 * Turns a container (image + command + args + env + mounted files) into a run plan: what it logs
 * and when, which ports it listens on, whether and how it exits. The kubelet model plays the plan.
 *
 * Commands are interpreted honestly where that is simple, and the rest is documented:
 * - The image's own process (no command, or its binary named) behaves as the catalogue says.
 * - `sh -c` scripts on images with a shell: `;`, `&&`, `||`, `echo`, `printf`, `sleep N|infinity`,
 *   `exit N`, `true`, `false`, `:`, `touch`, `rm`, `mkdir`, `cat FILE` (mounted ConfigMap/Secret
 *   files and files the script touched), `date`, `hostname`, `env`, `printenv`, assignments,
 *   `exec CMD`, and `while true|:; do …; done` loops. `x=$x$x` in a loop is a memory bomb (OOMKilled).
 *   Unknown commands print `sh: NAME: not found` and set status 127. `if`, `for`, pipes and
 *   redirections are not interpreted: such a line is skipped (status 0) — see docs/sim-fidelity.md.
 * - Network clients ask the cluster's network model (`net`) when the container starts: busybox
 *   `wget`, `nc -z` and `nslookup`, and `curl` where the image has it, print what the real tools
 *   print for a reachable server, a 404, a refused or timed-out connection or an unknown name.
 *   Images without the tool say `sh: wget: not found` (nginx has curl but no wget). `ping` succeeds.
 * - A binary that the image does not have fails to start with runc's real StartError text.
 */
import type { CatalogueImage } from "./images";

export interface PlanStep {
  /** ms after start (or after the loop iteration start) */
  at: number;
  log?: string;
  touch?: string;
  rm?: string;
}

/** The cluster network as a container sees it (kubelet/pod-network.ts provides it). */
export interface NetView {
  dnsServer: string;
  resolve(host: string): { ok: true; ip: string; fqdn: string } | { ok: false; error: "nxdomain" | "no-dns"; fqdn: string };
  http(ip: string, port: number, path: string): { ok: true; status: number; body: string } | { ok: false; error: "refused" | "timeout" | "reset"; ip: string };
  tcp(ip: string, port: number): "open" | "refused" | "timeout";
}

export interface RunPlan {
  steps: PlanStep[];
  /** Repeats forever after `steps`; `period` ms per iteration. */
  loop?: { period: number; steps: PlanStep[] };
  exit?: { at: number; code: number; reason?: "OOMKilled" };
  /** runc could not start the process: container ends with reason StartError, exit code 128. */
  startError?: string;
  listens: number[];
  http?: "any" | string[];
  httpBody?: string;
  /** Web root for httpAnswer. */
  docRoot?: string;
  accessLog?: string;
  memoryBytes: number;
  onStop: { exitCode: number; logs: string[] };
  /** Paths that exist at start (mounted files), for `cat` and exec probes. */
  files: Record<string, string>;
}

export interface PlanInput {
  image: CatalogueImage;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  /** Mounted files: path → content (ConfigMap and Secret volumes). */
  files: Record<string, string>;
  /** Mount points: a volume hides the image's own files under its path. */
  mountPaths?: string[];
  memoryLimitBytes?: number;
  podName: string;
  /** Absent: network tools cannot reach anything (name resolution fails). */
  net?: NetView;
}

const NETWORK_TOOLS = new Set(["wget", "curl", "nc", "nslookup", "ping", "dig", "host", "telnet"]);
const SHELLS = new Set(["sh", "ash", "bash"]);
const BUSYBOX_APPLETS = new Set([
  "sh", "ash", "echo", "printf", "sleep", "true", "false", "touch", "rm", "mkdir", "cat", "date", "hostname",
  "env", "printenv", "ls", "ps", "top", "wget", "nc", "nslookup", "ping", "seq", "head", "tail", "grep", "sed",
  "awk", "tee", "dd", "yes", "id", "whoami", "uname", "df", "du", "free", "mount", "kill", "test", "[",
]);

function startErrorFor(bin: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${bin}": executable file not found in $PATH: unknown`;
}

function basePlan(input: PlanInput): RunPlan {
  const b = input.image.behaviour;
  const hidden = (path: string) => (input.mountPaths ?? []).some((m) => path === m || path.startsWith(`${m.replace(/\/$/, "")}/`));
  const imageFiles = Object.fromEntries(Object.entries(b.files ?? {}).filter(([path]) => !hidden(path)));
  return {
    steps: [],
    listens: [],
    memoryBytes: b.memoryMi * 2 ** 20,
    onStop: { exitCode: b.onStop.exitCode, logs: b.onStop.logs ?? [] },
    files: { ...imageFiles, ...input.files },
  };
}

/**
 * How a plan's HTTP server answers GET `path`: from its web root when it has one (a mounted
 * index.html is served; `/` is index.html), else from the catalogue's path list.
 */
export function httpAnswer(plan: RunPlan, path: string): { status: number; body: string } | undefined {
  if (!plan.http) return undefined;
  const p = path.split("?")[0] || "/";
  if (plan.docRoot) {
    const file = `${plan.docRoot}${p.endsWith("/") ? `${p}index.html` : p}`;
    const body = plan.files[file];
    return body === undefined ? { status: 404, body: "" } : { status: 200, body };
  }
  const ok = plan.http === "any" || plan.http.includes(p);
  return ok ? { status: 200, body: plan.httpBody ?? "" } : { status: 404, body: "" };
}

/** The image's own process, as the catalogue describes it. */
function defaultProcess(input: PlanInput, plan: RunPlan): RunPlan {
  const b = input.image.behaviour;
  if (b.requiresEnv && !b.requiresEnv.anyOf.some((k) => input.env[k])) {
    plan.steps = b.requiresEnv.failLogs.map((log) => ({ at: 50, log }));
    plan.exit = { at: 100, code: 1 };
    return plan;
  }
  plan.steps = b.startupLogs.map((log, i) => ({ at: 20 + i * 2, log }));
  plan.listens = [...b.ports];
  plan.http = b.http;
  plan.httpBody = b.httpBody;
  plan.docRoot = b.docRoot;
  plan.accessLog = b.accessLog;
  if (b.exitsAfterMs !== undefined) plan.exit = { at: b.exitsAfterMs, code: b.exitCode ?? 0 };
  return withMemoryLimit(plan, input);
}

function withMemoryLimit(plan: RunPlan, input: PlanInput): RunPlan {
  if (input.memoryLimitBytes && plan.memoryBytes > input.memoryLimitBytes && !plan.exit) {
    plan.exit = { at: 300, code: 137, reason: "OOMKilled" };
  }
  return plan;
}

function isDefaultBinary(bin: string, image: CatalogueImage): boolean {
  const b = image.behaviour;
  const names = [...b.entrypoint, ...b.cmd.slice(0, 1)].map((x) => x.split("/").pop());
  return names.includes(bin.split("/").pop());
}

/** Builds the plan for a container. */
export function planContainer(input: PlanInput): RunPlan {
  const b = input.image.behaviour;
  const plan = basePlan(input);
  const argv = [...(input.command ?? b.entrypoint), ...(input.args ?? (input.command ? [] : b.cmd))];
  // The entrypoint script of server images execs its arguments; look past it.
  let cmd = argv;
  if (b.entrypoint.length && input.command === undefined && argv.length > b.entrypoint.length) cmd = argv.slice(b.entrypoint.length);
  const bin = cmd[0];
  if (!bin) {
    plan.listens = [];
    return plan; // nothing to run: behaves like pause
  }
  const name = bin.split("/").pop() ?? bin;
  const hasShell = b.shell && (name !== "bash" || (b.tools ?? []).includes("bash"));
  const isTool = NETWORK_TOOLS.has(name) && (b.tools ?? []).includes(name);
  if (isDefaultBinary(bin, input.image) && !(hasShell && SHELLS.has(name)) && !isTool) {
    if (name === "stress") return stressPlan(cmd, input, plan);
    return defaultProcess(input, plan);
  }
  if (!b.shell) {
    // Distroless images (kube components, app images) run their one binary whatever the flags.
    if (b.entrypoint.length === 0 && b.cmd.length === 0) return defaultProcess(input, plan);
    return { ...plan, startError: startErrorFor(bin) };
  }
  if (SHELLS.has(name) && hasShell) {
    const i = cmd.indexOf("-c");
    if (i < 0 || cmd[i + 1] === undefined) {
      plan.exit = { at: 30, code: 0 }; // no stdin, no script: the shell ends at once
      return plan;
    }
    return interpretScript(cmd[i + 1]!, input, plan);
  }
  if (name === "stress") return stressPlan(cmd, input, plan);
  if (!BUSYBOX_APPLETS.has(name) && !isTool) return { ...plan, startError: startErrorFor(bin) };
  return interpretScript(cmd.map(quote).join(" "), input, plan);
}

function quote(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function stressPlan(cmd: string[], input: PlanInput, plan: RunPlan): RunPlan {
  const i = cmd.indexOf("--vm-bytes");
  const v = i >= 0 ? cmd[i + 1] ?? "256M" : "256M";
  const m = /^(\d+)([KMG]?)$/i.exec(v);
  const mult = { "": 1, K: 1024, M: 2 ** 20, G: 2 ** 30 }[(m?.[2] ?? "").toUpperCase()] ?? 1;
  plan.memoryBytes = Number(m?.[1] ?? 256) * mult;
  plan.steps = [{ at: 20, log: "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd" }];
  return withMemoryLimit(plan, input);
}

/** Splits a shell line into words, honouring quotes; returns statements with their separators. */
function tokenize(script: string): { words: string[]; sep: string }[] {
  const out: { words: string[]; sep: string }[] = [];
  let words: string[] = [];
  let cur = "";
  let has = false;
  let i = 0;
  const push = () => {
    if (has) words.push(cur);
    cur = "";
    has = false;
  };
  const end = (sep: string) => {
    push();
    if (words.length) out.push({ words, sep });
    words = [];
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'") {
      const j = script.indexOf("'", i + 1);
      cur += script.slice(i + 1, j < 0 ? undefined : j);
      has = true;
      i = j < 0 ? script.length : j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < script.length && script[j] !== '"') {
        if (script[j] === "\\" && j + 1 < script.length) j++;
        cur += script[j];
        j++;
      }
      has = true;
      i = j + 1;
    } else if (c === "\\" && i + 1 < script.length) {
      cur += script[i + 1];
      has = true;
      i += 2;
    } else if (c === ";" || c === "\n") {
      end(";");
      i++;
    } else if (c === "&" && script[i + 1] === "&") {
      end("&&");
      i += 2;
    } else if (c === "|" && script[i + 1] === "|") {
      end("||");
      i += 2;
    } else if (c === " " || c === "\t") {
      push();
      i++;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  end(";");
  return out;
}

interface ExecState {
  t: number;
  status: number;
  vars: Record<string, string>;
  files: Record<string, string>;
  steps: PlanStep[];
  exit?: number;
  forever?: boolean;
  bomb?: boolean;
  execDefault?: boolean;
}

function expand(word: string, st: ExecState, input: PlanInput): string {
  return word
    .replace(/\$\(date\)/g, "{{time:date}}")
    .replace(/\$\(hostname\)/g, input.podName)
    .replace(/\$\{?(\w+)\}?/g, (_m, k: string) => (k === "HOSTNAME" ? input.podName : (st.vars[k] ?? input.env[k] ?? "")));
}

function runStatement(words: string[], st: ExecState, input: PlanInput): void {
  const raw = words[0] ?? "";
  const assign = /^(\w+)=(.*)$/.exec(raw);
  if (assign && words.length === 1) {
    const [, k, v] = assign;
    if (v && (v.match(new RegExp(`\\$\\{?${k}\\}?`, "g"))?.length ?? 0) >= 2) st.bomb = true;
    st.vars[k!] = expand(v ?? "", st, input);
    st.status = 0;
    return;
  }
  const args = words.slice(1).map((w) => expand(w, st, input));
  const name = raw.split("/").pop() ?? raw;
  const log = (line: string) => st.steps.push({ at: st.t, log: line });
  switch (name) {
    case "echo": {
      const noNl = args[0] === "-n";
      const e = args[0] === "-e";
      const text = args.slice(noNl || e ? 1 : 0).join(" ");
      for (const l of text.split(e ? /\\n/ : /\n/)) log(l);
      st.status = 0;
      return;
    }
    case "printf":
      for (const l of (args[0] ?? "").replace(/%s/g, args[1] ?? "").split(/\\n|\n/).filter((x, i, a) => x || i < a.length - 1)) log(l);
      st.status = 0;
      return;
    case "sleep": {
      const v = args[0] ?? "0";
      if (v === "infinity" || v === "inf") {
        st.forever = true;
        return;
      }
      const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(v);
      if (!m) {
        log(`sleep: invalid number '${v}'`);
        st.status = 1;
        return;
      }
      const unit = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? ""] ?? 1000;
      st.t += Number(m[1]) * unit;
      st.status = 0;
      return;
    }
    case "exit":
      st.exit = Number(args[0] ?? st.status) & 255;
      return;
    case "true":
    case ":":
    case "mkdir":
      st.status = 0;
      return;
    case "false":
      st.status = 1;
      return;
    case "touch":
      for (const f of args) {
        st.files[f] = st.files[f] ?? "";
        st.steps.push({ at: st.t, touch: f });
      }
      st.status = 0;
      return;
    case "rm":
      for (const f of args.filter((a) => !a.startsWith("-"))) {
        delete st.files[f];
        st.steps.push({ at: st.t, rm: f });
      }
      st.status = 0;
      return;
    case "cat":
      st.status = 0;
      for (const f of args) {
        if (f in st.files) {
          const text = st.files[f]!;
          if (text) for (const l of text.replace(/\n$/, "").split("\n")) log(l);
        }
        else {
          log(`cat: can't open '${f}': No such file or directory`);
          st.status = 1;
        }
      }
      return;
    case "date":
      log("{{time:date}}");
      st.status = 0;
      return;
    case "hostname":
      log(input.podName);
      st.status = 0;
      return;
    case "env":
    case "printenv":
      if (args[0]) {
        if (input.env[args[0]] !== undefined) log(input.env[args[0]]!);
        st.status = input.env[args[0]] !== undefined ? 0 : 1;
      } else for (const [k, v] of Object.entries({ HOSTNAME: input.podName, ...input.env })) log(`${k}=${v}`);
      if (!args[0]) st.status = 0;
      return;
    case "exec": {
      const target = args[0] ?? "";
      if (isDefaultBinary(target, input.image)) st.execDefault = true;
      else runStatement(args, st, input);
      st.forever ||= st.execDefault ?? false;
      return;
    }
    case "wget":
    case "curl":
    case "nc":
    case "nslookup":
    case "ping":
      if (!(input.image.behaviour.tools ?? []).includes(name)) break;
      runNetworkTool(name, args, st, input);
      return;
    default:
      // Control flow is not interpreted, and other coreutils/busybox commands just succeed.
      if (["if", "for", "case", "then", "fi", "do", "done", "else", "dig", "host", "telnet"].includes(name) || (BUSYBOX_APPLETS.has(name) && !NETWORK_TOOLS.has(name))) {
        st.status = 0;
        return;
      }
      if (isDefaultBinary(raw, input.image)) {
        st.execDefault = true;
        st.forever = true;
        return;
      }
  }
  log(`sh: ${raw}: not found`);
  st.status = 127;
}

function parseUrl(u: string): { host: string; port: number; path: string } {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(u);
  if (!m) return { host: u, port: 80, path: "/" };
  return { host: m[2]!, port: m[3] ? Number(m[3]) : m[1] === "https" ? 443 : 80, path: m[4] ?? "/" };
}

/** busybox wget / nc / nslookup and curl against the cluster's network model. */
function runNetworkTool(name: string, args: string[], st: ExecState, input: PlanInput): void {
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

function runList(stmts: { words: string[]; sep: string }[], st: ExecState, input: PlanInput): void {
  let prevSep = ";";
  for (const s of stmts) {
    if (st.exit !== undefined || st.forever) return;
    const skip = (prevSep === "&&" && st.status !== 0) || (prevSep === "||" && st.status === 0);
    if (!skip) runStatement(s.words, st, input);
    prevSep = s.sep;
  }
}

function interpretScript(script: string, input: PlanInput, plan: RunPlan): RunPlan {
  const stmts = tokenize(script);
  const st: ExecState = { t: 10, status: 0, vars: {}, files: { ...input.files }, steps: [] };
  // Find a `while true; do … done` loop: statements before it run once, its body forever.
  const wi = stmts.findIndex((s) => s.words[0] === "while");
  const before = wi >= 0 ? stmts.slice(0, wi) : stmts;
  runList(before, st, input);
  if (wi >= 0 && st.exit === undefined && !st.forever) {
    const cond = stmts[wi]!.words.slice(1);
    const doIdx = stmts.findIndex((s, i) => i > wi && s.words[0] === "do");
    const doneIdx = stmts.findIndex((s, i) => i > wi && s.words[0] === "done");
    const condTrue = cond.length === 0 ? false : ["true", ":"].includes(cond[0]!);
    if (condTrue && doIdx > wi && doneIdx > doIdx) {
      const body = [{ words: stmts[doIdx]!.words.slice(1), sep: stmts[doIdx]!.sep }, ...stmts.slice(doIdx + 1, doneIdx)].filter((s) => s.words.length);
      const loopSt: ExecState = { ...st, t: 0, steps: [], files: { ...st.files } };
      runList(body, loopSt, input);
      plan.steps = st.steps;
      if (loopSt.bomb) {
        plan.exit = { at: st.t + (input.memoryLimitBytes ? 400 : 30_000), code: 137, reason: "OOMKilled" };
        return plan;
      }
      if (loopSt.exit !== undefined) {
        plan.steps = [...st.steps, ...loopSt.steps.map((s) => ({ ...s, at: s.at + st.t }))];
        plan.exit = { at: st.t + loopSt.t, code: loopSt.exit };
        return plan;
      }
      plan.loop = { period: Math.max(loopSt.t, 1000), steps: loopSt.steps };
      plan.files = st.files;
      return plan;
    }
    // Any other loop shape is treated as running forever without output.
    st.forever = true;
  }
  if (st.execDefault) {
    const d = defaultProcess(input, basePlan(input));
    d.steps = [...st.steps, ...d.steps.map((s) => ({ ...s, at: s.at + st.t }))];
    d.files = st.files;
    return d;
  }
  plan.steps = st.steps;
  plan.files = { ...input.files };
  if (st.forever) return withMemoryLimit(plan, input);
  plan.exit = { at: st.t + 5, code: st.exit ?? st.status };
  return withMemoryLimit(plan, input);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Fills a catalogue log template at the moment it is written. */
export function renderLogLine(line: string, now: Date, vars: Record<string, string>): string {
  const Y = now.getUTCFullYear();
  const M = p2(now.getUTCMonth() + 1);
  const D = p2(now.getUTCDate());
  const hms = `${p2(now.getUTCHours())}:${p2(now.getUTCMinutes())}:${p2(now.getUTCSeconds())}`;
  const ms = String(now.getUTCMilliseconds()).padStart(3, "0");
  const us = `${ms}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;
  const mon = MONTHS[now.getUTCMonth()]!;
  const times: Record<string, string> = {
    nginx: `${Y}/${M}/${D} ${hms}`,
    redis: `${D} ${mon} ${Y} ${hms}.${ms}`,
    apache: `${DAYS[now.getUTCDay()]} ${mon} ${D} ${hms}.${us} ${Y}`,
    clf: `${D}/${mon}/${Y}:${hms} +0000`,
    iso: `${Y}-${M}-${D}T${hms}.${us}Z`,
    klog: `I${M}${D} ${hms}.${us}`,
    mysql: `${Y}-${M}-${D} ${hms}+00:00`,
    pg: `${Y}-${M}-${D} ${hms}.${ms}`,
    date: `${DAYS[now.getUTCDay()]} ${mon} ${D} ${hms} UTC ${Y}`,
  };
  return line
    .replace(/\{\{time:(\w+)\}\}/g, (_m, k: string) => times[k] ?? hms)
    .replace(/\{\{epoch\}\}/g, String(Math.floor(now.getTime() / 1000)))
    .replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}
