import type { ContainerRecord, LogLine } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { humanDuration, humanSize, tabwrite } from "./text-format";
import { untilAborted, type NodeTool, type NodeToolHost, type ToolIo } from "./node-tool-host";

/**
 * crictl against the node's container records, in crictl's own shapes: 13-hex ids, tabwriter
 * columns (minwidth 20, padding 3), go-units ages, and its error lines when containerd is down
 * or an id matches nothing.
 */

const SOCKET = "unix:///run/containerd/containerd.sock";
const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 13);
const table = (rows: string[][]) => tabwrite(rows, 20, 3);

function fatal(io: ToolIo, msg: string): number {
  io.err(`FATA[0000] ${msg}\n`);
  return 1;
}

function runtimeDown(io: ToolIo): number {
  return fatal(
    io,
    `validate service connection: validate CRI v1 runtime API for endpoint "${SOCKET}": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"`,
  );
}

interface Parsed {
  flags: Map<string, string>;
  positional: string[];
}

const VALUE_FLAGS = new Set(["name", "tail", "state", "pod", "namespace", "label", "output", "o", "image", "since", "id", "n", "last"]);

function parse(argv: string[]): Parsed {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([A-Za-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    const key = m[1]!;
    if (m[2] !== undefined) flags.set(key, m[2]);
    else if (VALUE_FLAGS.has(key) && i + 1 < argv.length) flags.set(key, argv[++i]!);
    else flags.set(key, "true");
  }
  return { flags, positional };
}

function findContainer(host: NodeToolHost, idPrefix: string): ContainerRecord | null {
  const matches = host.kubelet.containers().filter((c) => c.id.startsWith(idPrefix));
  return matches.length === 1 ? matches[0]! : null;
}

function stateText(s: ContainerRecord["state"]): string {
  return s;
}

function ps(host: NodeToolHost, p: Parsed, io: ToolIo): number {
  const now = host.clock.now().getTime();
  const all = p.flags.has("a") || p.flags.has("all");
  let list = host.kubelet.containers();
  if (!all) list = list.filter((c) => c.state === "Running");
  const name = p.flags.get("name");
  if (name) {
    const re = new RegExp(name);
    list = list.filter((c) => re.test(c.name));
  }
  const pod = p.flags.get("pod");
  if (pod) list = list.filter((c) => c.podSandboxId.startsWith(pod));
  const state = p.flags.get("state");
  if (state) list = list.filter((c) => c.state.toLowerCase() === state.toLowerCase());
  list = [...list].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  if (p.flags.has("q") || p.flags.has("quiet")) {
    io.out(list.map((c) => `${c.id}\n`).join(""));
    return 0;
  }
  const rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"]];
  for (const c of list) {
    rows.push([short(c.id), short(c.imageId), `${humanDuration(now - c.createdAt.getTime())} ago`, stateText(c.state), c.name, String(c.attempt), short(c.podSandboxId), c.podName]);
  }
  io.out(table(rows));
  return 0;
}

function pods(host: NodeToolHost, p: Parsed, io: ToolIo): number {
  const now = host.clock.now().getTime();
  let list = [...host.kubelet.sandboxes()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const name = p.flags.get("name");
  if (name) list = list.filter((s) => new RegExp(name).test(s.podName));
  const ns = p.flags.get("namespace");
  if (ns) list = list.filter((s) => new RegExp(ns).test(s.namespace));
  const state = p.flags.get("state");
  if (state) list = list.filter((s) => s.state.toLowerCase() === state.toLowerCase());
  if (p.flags.has("q") || p.flags.has("quiet")) {
    io.out(list.map((s) => `${s.id}\n`).join(""));
    return 0;
  }
  const rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]];
  for (const s of list) rows.push([short(s.id), `${humanDuration(now - s.createdAt.getTime())} ago`, s.state, s.podName, s.namespace, String(s.attempt), "(default)"]);
  io.out(table(rows));
  return 0;
}

function images(host: NodeToolHost, p: Parsed, io: ToolIo): number {
  const rows = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]];
  const list = host.kubelet.images();
  if (p.flags.has("q") || p.flags.has("quiet")) {
    io.out(list.map((i) => `${i.id}\n`).join(""));
    return 0;
  }
  for (const img of list) {
    const at = img.ref.lastIndexOf(":");
    const slash = img.ref.lastIndexOf("/");
    const [repo, tag] = at > slash ? [img.ref.slice(0, at), img.ref.slice(at + 1)] : [img.ref, "<none>"];
    rows.push([repo, tag, short(img.id), humanSize(img.size)]);
  }
  io.out(table(rows));
  return 0;
}

function formatLog(l: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${l.time.toISOString().replace("Z", "000000Z")} ` : ""}${l.text}\n`;
}

async function logs(host: NodeToolHost, p: Parsed, io: ToolIo): Promise<number> {
  const id = p.positional[0];
  if (!id) return fatal(io, "ID cannot be empty");
  const c = findContainer(host, id);
  if (!c) {
    return fatal(io, `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`);
  }
  const timestamps = p.flags.has("t") || p.flags.has("timestamps");
  const tail = p.flags.has("tail") ? Number(p.flags.get("tail")) : -1;
  let lines = host.kubelet.containerLogs(c.id);
  if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
  for (const l of lines) (l.stream === "stderr" ? io.err : io.out)(formatLog(l, timestamps));
  if (!(p.flags.has("f") || p.flags.has("follow"))) return 0;
  let seen = host.kubelet.containerLogs(c.id).length;
  const timer = setInterval(() => {
    const all = host.kubelet.containerLogs(c.id);
    for (const l of all.slice(seen)) (l.stream === "stderr" ? io.err : io.out)(formatLog(l, timestamps));
    seen = all.length;
    const rec = host.kubelet.containers().find((x) => x.id === c.id);
    if (!rec || rec.state === "Exited") clearInterval(timer);
  }, 300);
  await untilAborted(io.signal);
  clearInterval(timer);
  return 0;
}

function inspect(host: NodeToolHost, p: Parsed, io: ToolIo): number {
  const id = p.positional[0];
  if (!id) return fatal(io, "ID cannot be empty");
  const c = findContainer(host, id);
  if (!c) return fatal(io, `getting the status of the container "${id}": rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`);
  const iso = (d?: Date) => (d ? d.toISOString().replace("Z", "000000Z") : "0001-01-01T00:00:00Z");
  const status = {
    id: c.id,
    metadata: { attempt: c.attempt, name: c.name },
    state: `CONTAINER_${c.state.toUpperCase()}`,
    createdAt: iso(c.createdAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    exitCode: c.exitCode ?? 0,
    image: { annotations: {}, image: c.image, runtimeHandler: "", userSpecifiedImage: "" },
    imageRef: c.imageId,
    reason: c.reason ?? "",
    message: c.message ?? "",
    labels: {
      "io.kubernetes.container.name": c.name,
      "io.kubernetes.pod.name": c.podName,
      "io.kubernetes.pod.namespace": c.namespace,
      "io.kubernetes.pod.uid": c.podUid,
    },
    annotations: { "io.kubernetes.container.restartCount": String(c.attempt), "io.kubernetes.container.terminationMessagePath": "/dev/termination-log" },
    mounts: [],
    logPath: `/var/log/pods/${c.namespace}_${c.podName}_${c.podUid}/${c.name}/${c.attempt}.log`,
  };
  io.out(`${JSON.stringify({ status, info: { sandboxID: c.podSandboxId, pid: c.state === "Running" ? 1000 + (c.attempt % 100) : 0, runtimeSpec: {} } }, null, 2)}\n`);
  return 0;
}

function rm(host: NodeToolHost, p: Parsed, io: ToolIo): number {
  if (!p.positional.length) return fatal(io, "ID cannot be empty");
  let code = 0;
  for (const id of p.positional) {
    const c = findContainer(host, id);
    if (!c) {
      io.err(`ERRO[0000] removing container "${id}" failed: rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found\n`);
      code = 1;
      continue;
    }
    if (c.state === "Running" && !(p.flags.has("f") || p.flags.has("force"))) {
      io.err(`ERRO[0000] container "${id}" is running, please stop it first\n`);
      code = 1;
      continue;
    }
    if (!host.runtime) return fatal(io, "removing containers is not supported by this simulated runtime");
    host.runtime.removeContainer(c.id);
    io.out(`${id}\n`);
  }
  return code;
}

function sandboxOp(host: NodeToolHost, p: Parsed, io: ToolIo, op: "stopp" | "rmp"): number {
  if (!p.positional.length) return fatal(io, "ID cannot be empty");
  for (const id of p.positional) {
    const s = host.kubelet.sandboxes().filter((x) => x.id.startsWith(id));
    if (s.length !== 1) {
      return fatal(io, `${op === "stopp" ? "stopping" : "removing"} the pod sandbox "${id}": rpc error: code = NotFound desc = an error occurred when try to find sandbox "${id}": not found`);
    }
    if (!host.runtime) return fatal(io, "changing pod sandboxes is not supported by this simulated runtime");
    if (op === "stopp") {
      host.runtime.stopSandbox(s[0]!.id);
      io.out(`Stopped sandbox ${id}\n`);
    } else {
      if (s[0]!.state === "Ready" && !(p.flags.has("f") || p.flags.has("force"))) {
        return fatal(io, `removing the pod sandbox "${id}": rpc error: code = Unknown desc = sandbox container "${s[0]!.id}" is not fully stopped`);
      }
      host.runtime.removeSandbox(s[0]!.id);
      io.out(`Removed sandbox ${id}\n`);
    }
  }
  return 0;
}

const USAGE = `NAME:
   crictl - client for CRI

USAGE:
   crictl [global options] command [command options]

COMMANDS:
   images, image, img  List images
   inspect             Display the status of one or more containers
   logs                Fetch the logs of a container
   pods                List pods
   ps                  List containers
   rm                  Remove one or more containers
   rmp                 Remove one or more pods
   stopp               Stop one or more running pods
`;

export const crictl: NodeTool = async (host, req, io) => {
  const argv = [...req.argv];
  while (argv[0]?.startsWith("-")) argv.shift();
  const sub = argv.shift();
  if (!sub || sub === "help" || sub === "--help") {
    io.out(USAGE);
    return 0;
  }
  if (!host.services.units.containerd.active) return runtimeDown(io);
  const p = parse(argv);
  switch (sub) {
    case "ps":
      return ps(host, p, io);
    case "pods":
      return pods(host, p, io);
    case "images":
    case "image":
    case "img":
      return images(host, p, io);
    case "logs":
      return logs(host, p, io);
    case "inspect":
      return inspect(host, p, io);
    case "rm":
      return rm(host, p, io);
    case "stopp":
    case "rmp":
      return sandboxOp(host, p, io, sub);
    default:
      io.err(`No help topic for '${sub}'\n`);
      return 3;
  }
};
