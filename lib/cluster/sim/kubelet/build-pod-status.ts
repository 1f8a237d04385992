/**
 * The PodStatus the kubelet computes from a pod's runtime state (generateAPIPodStatus): the
 * container statuses with their waiting/running/terminated states, the phase, the conditions
 * (keeping transition times that did not change) and the pod and host IPs.
 */
import { parseImageRef } from "../catalogue/images";
import type { ContainerState, ContainerStatus, Pod, PodCondition } from "../controllers/api-types";
import { isoTime } from "../controllers/object-helpers";
import { imageOf } from "./image-manager";
import type { ContainerRecord } from "./kubelet-seams";
import { mergeConditions, podPhase, qosClass } from "./pod-status";
import { containerStateOf, type ContainerRuntimeState, type PodRuntimeState } from "./pod-runtime-state";

function stateOfRecord(rec: ContainerRecord | undefined): ContainerState {
  if (!rec) return {};
  if (rec.state === "Running") return { running: { startedAt: isoTime(rec.startedAt ?? rec.createdAt) } };
  if (rec.state === "Exited") {
    return {
      terminated: {
        exitCode: rec.exitCode ?? 0,
        reason: rec.reason,
        ...(rec.message ? { message: rec.message } : {}),
        startedAt: rec.startedAt ? isoTime(rec.startedAt) : undefined,
        finishedAt: isoTime(rec.finishedAt ?? rec.createdAt),
        containerID: `containerd://${rec.id}`,
      },
    };
  }
  return { waiting: { reason: "ContainerCreating" } };
}

function containerStatusOf(rt: PodRuntimeState, st: ContainerRuntimeState): ContainerStatus {
  const c = st.spec;
  const ref = parseImageRef(imageOf(c));
  const img = st.image;
  const imageID = img ? (img.preloaded ? `sha256:${img.id}` : `${ref.repository}@sha256:${img.digest}`) : "";
  const s: ContainerStatus = {
    name: c.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: st.restartCount,
    image: ref.full,
    imageID,
    started: false,
  };
  const cur = st.current;
  if (st.waiting && (!cur || cur.state === "Exited")) {
    s.state = { waiting: st.waiting };
    if (cur) s.lastState = stateOfRecord(cur);
  } else if (cur) {
    s.state = stateOfRecord(cur);
    if (st.previous) s.lastState = stateOfRecord(st.previous);
    s.started = cur.state === "Running" && st.startupPassed;
    s.ready = cur.state === "Running" && st.ready && !rt.terminating;
  } else {
    s.state = { waiting: { reason: rt.pod.spec.initContainers?.length && !st.init ? "PodInitializing" : "ContainerCreating" } };
  }
  if (cur) s.containerID = `containerd://${cur.id}`;
  // The image id is the running (or last) container's; before a container exists it is empty.
  if (!img || !cur) s.imageID = "";
  return s;
}

/** Init containers are done when each exited 0; a failed one fails the pod only with restartPolicy Never. */
function initProgress(rt: PodRuntimeState): { done: boolean; failed: boolean } {
  for (const c of rt.pod.spec.initContainers ?? []) {
    const st = rt.containers.get(`init:${c.name}`);
    const cur = st?.current;
    if (!cur || cur.state !== "Exited") return { done: false, failed: false };
    if (cur.exitCode !== 0) return { done: false, failed: (rt.pod.spec.restartPolicy ?? "Always") === "Never" };
  }
  return { done: true, failed: false };
}

/** The status to write over `prev` (the API object's current status), at `now` on a node with `hostIP`. */
export function buildPodStatus(rt: PodRuntimeState, prev: Pod["status"], now: Date, hostIP: string): NonNullable<Pod["status"]> {
  const ts = isoTime(now);
  const spec = rt.pod.spec;
  const initStatuses = (spec.initContainers ?? []).map((c) => containerStatusOf(rt, containerStateOf(rt, c, true)));
  const statuses = spec.containers.map((c) => containerStatusOf(rt, containerStateOf(rt, c, false)));
  const init = initProgress(rt);
  let phase = podPhase(spec, statuses, init.done, init.failed);
  if (rt.terminating && rt.gone) phase = statuses.every((s) => s.state.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const containersReady = notReady.length === 0;
  const conds: PodCondition[] = [];
  conds.push({ type: "PodReadyToStartContainers", status: rt.sandbox && rt.sandbox.state === "Ready" ? "True" : "False" });
  conds.push(
    init.done
      ? { type: "Initialized", status: "True" }
      : {
          type: "Initialized",
          status: "False",
          reason: "ContainersNotInitialized",
          message: `containers with incomplete status: [${(spec.initContainers ?? []).filter((c) => rt.containers.get(`init:${c.name}`)?.current?.exitCode !== 0).map((c) => c.name).join(" ")}]`,
        },
  );
  const unready = (phase === "Succeeded" || phase === "Failed") ? { reason: "PodCompleted" } : { reason: "ContainersNotReady", message: `containers with unready status: [${notReady.join(" ")}]` };
  conds.push(containersReady && phase === "Running" ? { type: "Ready", status: "True" } : { type: "Ready", status: "False", ...unready });
  conds.push(containersReady && phase === "Running" ? { type: "ContainersReady", status: "True" } : { type: "ContainersReady", status: "False", ...unready });
  const scheduled = prev?.conditions?.find((c) => c.type === "PodScheduled") ?? { type: "PodScheduled", status: "True" as const };
  const merged = mergeConditions(prev?.conditions, conds, ts);
  merged.push({ ...scheduled, lastProbeTime: null, lastTransitionTime: scheduled.lastTransitionTime ?? ts });
  const out: NonNullable<Pod["status"]> = {
    phase,
    conditions: merged,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: rt.startTime,
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: prev?.qosClass ?? qosClass(spec),
  };
  if (rt.sandbox) {
    out.podIP = rt.sandbox.ip;
    out.podIPs = [{ ip: rt.sandbox.ip }];
  }
  return out;
}
