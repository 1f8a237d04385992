import { createHash } from "node:crypto";
import { tabwrite } from "./text-format";
import type { NodeTool, NodeToolHost, ToolIo } from "./node-tool-host";

/**
 * containerd's ctr, the subcommands a node needs to put an image into an in-cluster registry:
 * `ctr [-n|--namespace NS] images|image|i ls|list [-q]`, `tag [--force] SRC DST` and
 * `push [--plain-http] [-u|--user USER:PASSWORD] [--platform P] REF [LOCAL]`. The CRI's images
 * live in namespace k8s.io; ctr's default namespace ("default") has none. Names are taken as
 * written (ctr does not add docker.io/library/). Errors are `ctr: <error>` on stderr, exit 1.
 */

const SOCKET = "/run/containerd/containerd.sock";

function fail(io: ToolIo, msg: string): number {
  io.err(`ctr: ${msg}\n`);
  return 1;
}

/** containerd's progress.Bytes: binary units, one decimal. */
export function ctrBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

interface Parsed {
  flags: Map<string, string>;
  positional: string[];
}

function parse(argv: string[], valueFlags: Set<string>): Parsed | { error: string } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([A-Za-z][A-Za-z-]*)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    const key = m[1]!;
    if (m[2] !== undefined) flags.set(key, m[2]);
    else if (valueFlags.has(key)) {
      if (i + 1 >= argv.length) return { error: `flag needs an argument: -${key}` };
      flags.set(key, argv[++i]!);
    } else flags.set(key, "true");
  }
  return { flags, positional };
}

const USAGE = `NAME:
   ctr - 
        __
  _____/ /______
 / ___/ __/ ___/
/ /__/ /_/ /
\\___/\\__/_/

containerd CLI


USAGE:
   ctr [global options] command [command options] [arguments...]

COMMANDS:
   images, image, i  Manage images

GLOBAL OPTIONS:
   --address value, -a value    Address for containerd's GRPC server (default: "${SOCKET}") [$CONTAINERD_ADDRESS]
   --namespace value, -n value  Namespace to use with commands (default: "default") [$CONTAINERD_NAMESPACE]
   --help, -h                   show help
`;

function list(host: NodeToolHost, ns: string, p: Parsed, io: ToolIo): number {
  const imgs = ns === "k8s.io" ? host.kubelet.images() : [];
  if (p.flags.has("q") || p.flags.has("quiet")) {
    io.out(imgs.map((i) => `${i.ref}\n`).join(""));
    return 0;
  }
  const rows = [["REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS", "LABELS", ""]];
  for (const i of imgs) rows.push([i.ref, "application/vnd.oci.image.manifest.v1+json", i.digest ?? i.id, ctrBytes(i.size), "linux/amd64", "io.cri-containerd.image=managed", ""]);
  io.out(tabwrite(rows, 1, 1));
  return 0;
}

function tag(host: NodeToolHost, ns: string, p: Parsed, io: ToolIo): number {
  const [src, ...targets] = p.positional;
  if (!src || !targets.length) return fail(io, "please provide an image reference to tag from and at least one to tag to");
  if (ns !== "k8s.io" || !host.kubelet.tagImage) return fail(io, `image "${src}": not found`);
  for (const t of targets) {
    const r = host.kubelet.tagImage(src, t, p.flags.has("force"));
    if (!r.ok) return fail(io, r.error);
    io.out(`${t}\n`);
  }
  return 0;
}

function push(host: NodeToolHost, ns: string, p: Parsed, io: ToolIo): number {
  const [ref, local] = p.positional;
  if (!ref) return fail(io, "please provide a remote image reference to push");
  if (ns !== "k8s.io" || !host.kubelet.pushImage) return fail(io, `unable to resolve image to manifest: image "${local ?? ref}": not found`);
  const user = p.flags.get("user") ?? p.flags.get("u");
  let creds: { username: string; password: string } | undefined;
  if (user !== undefined) {
    const i = user.indexOf(":");
    // Without ":PASSWORD" ctr prompts on the terminal; a node tool has none to read from.
    if (i < 0) return fail(io, "failed to read password: inappropriate ioctl for device");
    creds = { username: user.slice(0, i), password: user.slice(i + 1) };
  }
  const started = host.clock.now().getTime();
  const r = host.kubelet.pushImage({ ref, local, plainHttp: p.flags.has("plain-http"), creds });
  if (!r.ok) return fail(io, r.error);
  const bar = `|${"+".repeat(38)}|`;
  const layer = createHash("sha256").update(`layer:${r.configDigest}`).digest("hex");
  const rows = [
    [`manifest-sha256:${r.manifestDigest}:`, "done", bar],
    [`config-sha256:${r.configDigest}:`, "done", bar],
    [`layer-sha256:${layer}:`, "done", bar],
  ];
  const elapsed = Math.max(0.1, (host.clock.now().getTime() - started) / 1000 + 0.3);
  const total = r.manifestSize + 1_473;
  io.out(`${tabwrite(rows, 1, 1)}elapsed: ${elapsed.toFixed(1)} s${" ".repeat(62)}total:  ${ctrBytes(total)} (${ctrBytes(Math.round(total / elapsed))}/s)\n`);
  return 0;
}

export const ctr: NodeTool = (host, req, io) => {
  const global = new Set(["n", "namespace", "a", "address"]);
  let ns = req.env.CONTAINERD_NAMESPACE || "default";
  const argv = [...req.argv];
  while (argv[0]?.startsWith("-")) {
    const a = argv.shift()!;
    const m = /^--?([A-Za-z-]+)(?:=(.*))?$/.exec(a);
    const key = m?.[1] ?? "";
    if (key === "h" || key === "help") {
      io.out(USAGE);
      return 0;
    }
    if (!global.has(key)) return fail(io, `flag provided but not defined: ${a}`);
    const value = m?.[2] ?? argv.shift();
    if (value === undefined) return fail(io, `flag needs an argument: ${a}`);
    if (key === "n" || key === "namespace") ns = value;
  }
  if (!host.services.units.containerd.active) {
    return fail(io, `failed to dial "${SOCKET}": context deadline exceeded: connection error: desc = "transport: error while dialing: dial unix ${SOCKET}: connect: no such file or directory"`);
  }
  const [cmd, sub, ...rest] = argv;
  if (!cmd) {
    io.out(USAGE);
    return 0;
  }
  if (!["images", "image", "i"].includes(cmd)) return fail(io, `No help topic for '${cmd}'`);
  const p = parse(rest, new Set(["u", "user", "platform", "hosts-dir", "manifest", "manifest-type"]));
  if ("error" in p) return fail(io, p.error);
  switch (sub) {
    case "ls":
    case "list":
      return list(host, ns, p, io);
    case "tag":
      return tag(host, ns, p, io);
    case "push":
      return push(host, ns, p, io);
    default:
      return fail(io, `No help topic for '${sub ?? ""}'`);
  }
};
