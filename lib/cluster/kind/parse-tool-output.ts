import { z } from "zod";
import type { NodeRef } from "@/lib/cluster/types";

/**
 * Parsers for what docker, kind and kubectl print. Structured output (JSON) goes through zod;
 * line output is split the way the tools document it. Each returns null or throws a plain Error
 * naming the tool when the text is not what that tool prints.
 */

const dockerVersionSchema = z.object({
  Client: z.object({ Version: z.string() }).nullable(),
  Server: z.object({ Version: z.string() }).nullable(),
});

/** `docker version --format '{{json .}}'` prints JSON even when the daemon is down (Server: null). */
export function parseDockerVersion(stdout: string): { client: string | null; server: string | null } | null {
  const line = stdout.trim().split("\n")[0];
  if (!line) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = dockerVersionSchema.safeParse(raw);
  if (!parsed.success) return null;
  return { client: parsed.data.Client?.Version ?? null, server: parsed.data.Server?.Version ?? null };
}

/** `kind version` prints e.g. "kind v0.32.0 go1.25.3 linux/amd64" (or "kind v0.33.0-alpha+abc …"). */
export function parseKindVersion(stdout: string): string | null {
  const m = /^kind v(\d+\.\d+\.\d+)/m.exec(stdout.trim());
  return m ? m[1]! : null;
}

const kubectlVersionSchema = z.object({ clientVersion: z.object({ gitVersion: z.string() }) });

/** `kubectl version --client -o json`. */
export function parseKubectlClientVersion(stdout: string): string | null {
  try {
    const parsed = kubectlVersionSchema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data.clientVersion.gitVersion : null;
  } catch {
    return null;
  }
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * `kind get clusters` and `kind get nodes` print one name per line on stdout; "No kind clusters
 * found." goes to stderr, so an empty stdout is an empty list.
 */
export function parseNameLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9][a-z0-9.-]*$/.test(l));
}

const inspectSchema = z.array(
  z.object({
    Name: z.string(),
    State: z.object({ Running: z.boolean(), Status: z.string() }),
    Config: z.object({ Labels: z.record(z.string(), z.string()).nullable() }),
  }),
);

export interface InspectedNode extends NodeRef {
  running: boolean;
  status: string;
}

/**
 * `docker inspect <node>…`: roles come from the label kind puts on every node
 * (io.x-k8s.kind.role); an HA load balancer ("external-load-balancer") is not a node.
 * Control planes come first, then workers, each sorted by name.
 */
export function parseNodeInspect(stdout: string): InspectedNode[] {
  const parsed = inspectSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`docker inspect printed JSON of an unexpected shape (${i.path.join(".")}: ${i.message})`);
  }
  const nodes: InspectedNode[] = [];
  for (const c of parsed.data) {
    const role = c.Config.Labels?.["io.x-k8s.kind.role"];
    if (role !== "control-plane" && role !== "worker") continue;
    nodes.push({ name: c.Name.replace(/^\//, ""), role, running: c.State.Running, status: c.State.Status });
  }
  return nodes.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === "control-plane" ? -1 : 1));
}

const nodeListSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string() }),
      status: z
        .object({ conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional() })
        .optional(),
    }),
  ),
});

/** `kubectl get nodes -o json`: Ready counts only when the Ready condition is "True" (False and Unknown are not). */
export function parseNodeReadiness(stdout: string): { name: string; ready: boolean }[] {
  const parsed = nodeListSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new Error("kubectl get nodes -o json printed JSON of an unexpected shape");
  return parsed.data.items.map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
  }));
}

const crictlPsSchema = z.object({
  containers: z.array(
    z.object({
      id: z.string(),
      metadata: z.object({ name: z.string() }),
      state: z.string(),
      createdAt: z.string(),
    }),
  ),
});

/** `crictl ps -a -o json`: createdAt is nanoseconds since the epoch, as a string. */
export function parseCrictlContainers(stdout: string): { id: string; name: string; state: string; createdAtNs: bigint }[] {
  const parsed = crictlPsSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new Error("crictl ps -o json printed JSON of an unexpected shape");
  return parsed.data.containers.map((c) => ({ id: c.id, name: c.metadata.name, state: c.state, createdAtNs: BigInt(c.createdAt) }));
}

/** The last "ERROR: …" line kind printed, which is the one that says what failed. */
export function kindErrorLine(stderr: string): string | null {
  const lines = stderr.split("\n").filter((l) => l.startsWith("ERROR:"));
  return lines.at(-1)?.trim() ?? null;
}
