import fs from "node:fs";
import path from "node:path";
import type { Logger } from "@/lib/logger";
import { InputError, NotFoundError, UnavailableError } from "@/lib/errors";
import type { Cluster, ExecOptions, ExecResult, ImagePreloadReport, NodeRef, ShellSpec } from "@/lib/cluster/types";
import { kindErrorLine, parseNameLines, parseNodeInspect } from "./parse-tool-output";
import type { RunCommand } from "./run-command";

export interface KindClusterDeps {
  run: RunCommand;
  log: Logger;
  /** Directory of the host-side kubeconfig files written by `kind create cluster --kubeconfig`. */
  kubeconfigDir: string;
  /** Environment for docker/kind (DOCKER_HOST and friends pass through to node shells too). */
  env?: NodeJS.ProcessEnv;
  /** Called after destroy() so the driver can forget the cluster (pool, GC protection). */
  onDestroyed?(name: string): void;
}

/** Where kubectl inside a node finds credentials: kind sets KUBECONFIG only on control planes. */
export const NODE_KUBECONFIG = { "control-plane": "/etc/kubernetes/admin.conf", worker: "/root/.kube/config" } as const;

const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** Environment a `docker` client needs to find its daemon; nothing else of the server's env reaches a node shell. */
const DOCKER_ENV_KEYS = ["PATH", "HOME", "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"];

export interface KindCluster extends Cluster {
  driver: "kind";
  preloadImages(images: string[], opts?: { signal?: AbortSignal }): Promise<ImagePreloadReport>;
  /** Path of the host-side kubeconfig file (may not exist for clusters this process did not create). */
  kubeconfigFile: string;
}

/** Finds an executable on PATH the way execvp would, so node-pty gets an absolute path. */
export function resolveOnPath(file: string, envPath = process.env.PATH ?? ""): string {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, file);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here; keep looking
    }
  }
  return file;
}

/** A handle on an existing kind cluster. Every node command is `docker exec` with an argv array. */
export function kindClusterHandle(name: string, deps: KindClusterDeps): KindCluster {
  const env = deps.env ?? process.env;
  const nodePattern = new RegExp(`^${name.replace(/[.]/g, "\\.")}-(control-plane|worker)(\\d*)$`);
  const kubeconfigFile = path.join(deps.kubeconfigDir, `${name}.yaml`);

  function roleOf(node: string): NodeRef["role"] {
    const m = nodePattern.exec(node);
    if (!m) {
      throw new InputError(`"${node}" is not a node of kind cluster ${name}.`, {
        hint: `Node names look like ${name}-control-plane or ${name}-worker.`,
      });
    }
    return m[1] === "control-plane" ? "control-plane" : "worker";
  }

  async function exec(node: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    roleOf(node);
    if (!argv.length) throw new InputError("exec needs a command (an empty argv was given).");
    const args = ["exec", ...(opts.stdin !== undefined ? ["-i"] : []), node, ...argv];
    const r = await deps.run("docker", args, {
      stdin: opts.stdin,
      timeoutMs: opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      signal: opts.signal,
      env,
    });
    if (r.notFound) throw new UnavailableError("docker is not on PATH.", { hint: "Install Docker, or use BREAKFIX_DRIVER=sim." });
    if (/^Error response from daemon: (No such container|container .* is not running)/m.test(r.stderr)) {
      throw new NotFoundError(`Node ${node} of kind cluster ${name} is not running (${r.stderr.trim()}).`);
    }
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  async function nodes(): Promise<NodeRef[]> {
    const list = await deps.run("kind", ["get", "nodes", "--name", name], { timeoutMs: 30_000, env });
    if (list.code !== 0) throw new UnavailableError(`kind could not list the nodes of ${name}: ${kindErrorLine(list.stderr) ?? list.stderr.trim()}`);
    const names = parseNameLines(list.stdout);
    if (!names.length) return [];
    const inspect = await deps.run("docker", ["inspect", ...names], { timeoutMs: 30_000, env });
    if (inspect.code !== 0) throw new UnavailableError(`docker inspect failed for the nodes of ${name}: ${inspect.stderr.trim()}`);
    return parseNodeInspect(inspect.stdout).map(({ name: n, role }) => ({ name: n, role }));
  }

  async function kubeconfig(): Promise<string> {
    const r = await deps.run("kind", ["get", "kubeconfig", "--name", name], { timeoutMs: 30_000, env });
    if (r.code !== 0 || !r.stdout.includes("apiVersion")) {
      throw new NotFoundError(`kind has no kubeconfig for cluster ${name}: ${kindErrorLine(r.stderr) ?? r.stderr.trim()}`);
    }
    return r.stdout;
  }

  function shell(node: string): ShellSpec {
    const role = roleOf(node);
    const shellEnv: Record<string, string> = { TERM: "xterm-256color" };
    for (const k of DOCKER_ENV_KEYS) {
      const v = env[k];
      if (v !== undefined) shellEnv[k] = v;
    }
    return {
      file: resolveOnPath("docker", env.PATH),
      args: ["exec", "-it", "-e", "TERM=xterm-256color", "-e", `KUBECONFIG=${NODE_KUBECONFIG[role]}`, node, "bash", "-l"],
      env: shellEnv,
    };
  }

  async function destroy(): Promise<void> {
    // Without --kubeconfig: kind then only prunes a kind-<name> context from the default file, which we never wrote.
    const r = await deps.run("kind", ["delete", "cluster", "--name", name], { timeoutMs: 180_000, env });
    if (r.code !== 0) throw new UnavailableError(`kind could not delete cluster ${name}: ${kindErrorLine(r.stderr) ?? r.stderr.trim()}`);
    fs.rmSync(kubeconfigFile, { force: true });
    deps.onDestroyed?.(name);
    deps.log.info({ cluster: name }, `deleted kind cluster ${name}`);
  }

  async function preloadImages(images: string[], opts: { signal?: AbortSignal } = {}): Promise<ImagePreloadReport> {
    const report: ImagePreloadReport = { loaded: [], missing: [] };
    const present: string[] = [];
    for (const image of [...new Set(images)]) {
      if (!/^[a-z0-9][\w./:@-]*$/i.test(image)) {
        report.missing.push({ image, reason: "not an image reference" });
        continue;
      }
      if (!/[:@]/.test(image.split("/").at(-1)!) || image.endsWith(":latest")) {
        // kubelet pulls :latest (and untagged) images every time (imagePullPolicy Always), so a loaded copy does not help offline.
        deps.log.warn({ image }, `image ${image} has no fixed tag; pods using it will try to pull it even after kind load`);
      }
      const local = await deps.run("docker", ["image", "inspect", "--format", "{{.Id}}", image], { timeoutMs: 30_000, signal: opts.signal, env });
      if (local.code === 0) {
        present.push(image);
        continue;
      }
      const pull = await deps.run("docker", ["pull", image], { timeoutMs: 600_000, signal: opts.signal, env });
      if (pull.code === 0) present.push(image);
      else {
        report.missing.push({
          image,
          reason: `not in the local Docker image store and \`docker pull\` failed (${pull.stderr.trim().split("\n").at(-1)}). Pull it while online: docker pull ${image}`,
        });
      }
    }
    if (present.length) {
      const load = await deps.run("kind", ["load", "docker-image", ...present, "--name", name], { timeoutMs: 900_000, signal: opts.signal, env });
      if (load.code === 0) report.loaded.push(...present);
      else {
        const why = kindErrorLine(load.stderr) ?? load.stderr.trim();
        for (const image of present) report.missing.push({ image, reason: `kind load docker-image failed: ${why}` });
      }
    }
    if (report.missing.length) deps.log.warn({ cluster: name, missing: report.missing }, `some images could not be loaded into ${name}`);
    return report;
  }

  return { name, driver: "kind", kubeconfigFile, nodes, kubeconfig, exec, shell, destroy, preloadImages };
}
