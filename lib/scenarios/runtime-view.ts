import { z } from "zod";
import type { ScenarioContext } from "./context";

/**
 * A static pod as the node's container runtime shows it (`crictl` on the node, through
 * `ctx.node(...).exec`, so over ssh, docker exec and the sim's node tools alike). This is the
 * evidence when the API has no mirror pod: a kubelet that cannot get its Node (etcd serving an
 * emptied data dir) runs the static pods without publishing them.
 */

/** One row of `crictl ps -a`, by its column titles. */
export interface CrictlPsRow {
  container: string;
  image: string;
  created: string;
  state: string;
  name: string;
  attempt: number;
  podId: string;
  pod: string;
}

/**
 * Parses crictl's `ps` table. Its tabwriter starts every cell where its column title starts, and
 * a cell may hold spaces ("4 minutes ago"), so cells are cut at the titles' offsets. Columns a
 * newer crictl adds (NAMESPACE) are ignored; a table without the known titles gives no rows.
 */
export function parseCrictlPs(stdout: string): CrictlPsRow[] {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  const header = lines.shift();
  if (!header) return [];
  const starts: { title: string; at: number }[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) starts.push({ title: m[0], at: m.index });
  const col = (title: string) => starts.findIndex((s) => s.title === title);
  const want = ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"].map(col);
  if (want.some((i) => i < 0)) return [];
  const cell = (line: string, i: number) => line.slice(starts[i]!.at, i + 1 < starts.length ? starts[i + 1]!.at : undefined).trim();
  return lines.map((line) => {
    const [container, image, created, state, name, attempt, podId, pod] = want.map((i) => cell(line, i));
    return { container: container!, image: image!, created: created!, state: state!, name: name!, attempt: Number(attempt), podId: podId!, pod: pod! };
  });
}

const inspectSchema = z.object({
  status: z.object({
    id: z.string(),
    state: z.string(),
    startedAt: z.string().optional(),
    metadata: z.object({ name: z.string(), attempt: z.number().optional() }).partial().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
});

/** What `crictl inspect <id>` says of a container that matters to a check. */
export interface InspectedContainer {
  id: string;
  /** CONTAINER_RUNNING, CONTAINER_EXITED, … */
  state: string;
  /** ms since the epoch; NaN when the runtime gives no start (containerd's zero time). */
  startedAt: number;
  attempt: number;
  podName?: string;
  podNamespace?: string;
}

/** Parses `crictl inspect` JSON; throws with zod's message when it is not that shape. */
export function parseCrictlInspect(stdout: string): InspectedContainer {
  const s = inspectSchema.parse(JSON.parse(stdout)).status;
  const started = s.startedAt && !s.startedAt.startsWith("0001-") ? Date.parse(s.startedAt) : NaN;
  return {
    id: s.id,
    state: s.state,
    startedAt: started,
    attempt: s.metadata?.attempt ?? 0,
    podName: s.labels?.["io.kubernetes.pod.name"],
    podNamespace: s.labels?.["io.kubernetes.pod.namespace"],
  };
}

export type StaticContainerView =
  | { kind: "unavailable"; why: string }
  | { kind: "none" }
  | { kind: "container"; row: CrictlPsRow; inspected?: InspectedContainer };

function firstLine(s: string): string {
  return s.trim().split("\n")[0] ?? "";
}

/**
 * The newest container of static pod `<component>-<node>` (namespace kube-system) on `node`:
 * `crictl ps -a --name ^<component>$` (newest first), then `crictl inspect` on a running one for
 * its start time and its pod's labels.
 */
export async function staticContainerOnNode(ctx: ScenarioContext, node: string, component: string): Promise<StaticContainerView> {
  const pod = `${component}-${node}`;
  const escaped = component.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let ps;
  try {
    ps = await ctx.node(node).exec(["crictl", "ps", "-a", "--name", `^${escaped}$`], { timeoutMs: 20_000 });
  } catch (err) {
    return { kind: "unavailable", why: err instanceof Error ? err.message : String(err) };
  }
  if (ps.code !== 0) return { kind: "unavailable", why: firstLine(ps.stderr || ps.stdout) || `crictl exited ${ps.code}` };
  const row = parseCrictlPs(ps.stdout).find((r) => r.name === component && r.pod === pod);
  if (!row) return { kind: "none" };
  if (row.state !== "Running") return { kind: "container", row };
  try {
    const r = await ctx.node(node).exec(["crictl", "inspect", row.container], { timeoutMs: 20_000 });
    if (r.code !== 0) return { kind: "container", row };
    const inspected = parseCrictlInspect(r.stdout);
    if (inspected.podName !== undefined && inspected.podName !== pod) return { kind: "none" };
    if (inspected.podNamespace !== undefined && inspected.podNamespace !== "kube-system") return { kind: "none" };
    return { kind: "container", row, inspected };
  } catch {
    return { kind: "container", row };
  }
}
