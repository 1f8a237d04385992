/**
 * `kubectl logs` for the pods of one node, with the kubelet's own answers for containers that
 * have no logs yet (validateContainerLogStatus): "is waiting to start: ContainerCreating",
 * "trying and failing to pull image", "previous terminated container … not found", and the
 * "unable to retrieve container logs for containerd://…" text when the previous container was
 * already garbage-collected (the kubelet keeps one dead container per name).
 */
import type { LogRequest, LogSource } from "../contracts";
import { badRequest } from "../store/status-error";
import type { ContainerRecord, LogLine } from "./kubelet-seams";
import type { ContainerRuntimeState, PodRuntimeState } from "./pod-runtime-state";

export interface NodeLogDeps {
  findPod(namespace: string, name: string): PodRuntimeState | undefined;
  subscribe(containerId: string, fn: (l: LogLine) => void): () => void;
}

function nanoTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}000000Z`);
}

/** Picks the container a request means, with the apiserver's messages for ambiguous names. */
export function pickContainer(rt: PodRuntimeState, req: LogRequest): ContainerRuntimeState {
  const spec = rt.pod.spec;
  const names = spec.containers.map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  let name = req.container;
  if (!name) {
    const dflt = rt.pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    if (dflt && names.includes(dflt)) name = dflt;
    else if (names.length === 1) name = names[0];
    else {
      throw badRequest(
        `a container name must be specified for pod ${rt.pod.metadata.name}, choose one of: [${names.join(" ")}]${inits.length ? ` or one of the init containers: [${inits.join(" ")}]` : ""}`,
      );
    }
  }
  const st = rt.containers.get(name!) ?? rt.containers.get(`init:${name}`);
  const known = names.includes(name!) || inits.includes(name!);
  if (!known) throw badRequest(`container ${name} is not valid for pod ${rt.pod.metadata.name}`);
  if (!st) throw badRequest(`container "${name}" in pod "${rt.pod.metadata.name}" is waiting to start: ContainerCreating`);
  return st;
}

/** The record whose logs a request reads, or a string the kubelet returns instead. */
export function recordFor(rt: PodRuntimeState, st: ContainerRuntimeState, previous: boolean): ContainerRecord | string {
  const pod = rt.pod.metadata.name;
  const name = st.spec.name;
  const cur = st.current;
  if (previous) {
    if (cur && cur.state === "Exited" && st.waiting) return cur;
    const prev = st.previous;
    if (!prev) throw badRequest(`previous terminated container "${name}" in pod "${pod}" not found`);
    // The current container is dead too: the older one was garbage-collected.
    if (cur && cur.state === "Exited") return `unable to retrieve container logs for containerd://${prev.id}`;
    return prev;
  }
  if (cur) return cur;
  const reason = st.waiting?.reason ?? (rt.pod.spec.initContainers?.length && !st.init ? "PodInitializing" : "ContainerCreating");
  if (reason === "ErrImagePull") throw badRequest(`container "${name}" in pod "${pod}" is waiting to start: image can't be pulled`);
  if (reason === "ImagePullBackOff") throw badRequest(`container "${name}" in pod "${pod}" is waiting to start: trying and failing to pull image`);
  throw badRequest(`container "${name}" in pod "${pod}" is waiting to start: ${reason}`);
}

export function formatLines(lines: LogLine[], req: LogRequest, now: Date): string {
  let sel = lines;
  if (req.sinceSeconds !== undefined) {
    const cutoff = now.getTime() - req.sinceSeconds * 1000;
    sel = sel.filter((l) => l.time.getTime() >= cutoff);
  }
  if (req.tailLines !== undefined && req.tailLines >= 0) sel = req.tailLines === 0 ? [] : sel.slice(-req.tailLines);
  let out = sel.map((l) => (req.timestamps ? `${nanoTime(l.time)} ${l.text}\n` : `${l.text}\n`)).join("");
  if (req.limitBytes !== undefined && req.limitBytes >= 0) out = Buffer.from(out).subarray(0, req.limitBytes).toString("utf8");
  return out;
}

export function createNodeLogSource(deps: NodeLogDeps, now: () => Date = () => new Date()): LogSource {
  function resolve(req: LogRequest): ContainerRecord | string {
    const rt = deps.findPod(req.namespace, req.pod);
    if (!rt) throw badRequest(`container "${req.container ?? req.pod}" in pod "${req.pod}" is waiting to start: ContainerCreating`);
    return recordFor(rt, pickContainer(rt, req), Boolean(req.previous));
  }
  return {
    read(req) {
      const r = resolve(req);
      return typeof r === "string" ? r : formatLines(r.logs, req, now());
    },
    follow(req, onChunk, signal) {
      const r = resolve(req);
      if (typeof r === "string") {
        onChunk(r);
        return;
      }
      const first = formatLines(r.logs, req, now());
      if (first) onChunk(first);
      if (r.state !== "Running" || signal.aborted) return;
      const off = deps.subscribe(r.id, (l) => onChunk(formatLines([l], { ...req, tailLines: undefined, sinceSeconds: undefined, limitBytes: undefined }, now())));
      signal.addEventListener("abort", off, { once: true });
    },
  };
}
