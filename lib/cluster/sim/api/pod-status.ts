import { since } from "./human-duration";

/**
 * The READY / STATUS / RESTARTS cells of `kubectl get pods`, ported from the apiserver's pod
 * printer (pkg/printers/internalversion printPod). The STATUS rules decide what a learner
 * diagnoses from (CrashLoopBackOff vs Error, Init:…, Terminating), so they follow the Go code
 * branch by branch rather than approximating it.
 */

export interface ContainerStateLike {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string; startedAt?: string };
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateLike;
  lastState?: ContainerStateLike;
}

export interface PodLike {
  metadata: { deletionTimestamp?: string };
  spec?: {
    containers?: { name: string }[];
    initContainers?: { name: string; restartPolicy?: string }[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

export interface PodStatusCells {
  ready: string;
  status: string;
  restarts: string;
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function conditionTrue(pod: PodLike, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

export function podStatusCells(pod: PodLike, now: Date): PodStatusCells {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const restartableInit = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const totalContainers = (spec.containers?.length ?? 0) + restartableInit.size;
  let readyContainers = 0;
  let restarts = 0;
  let lastRestartDate: string | undefined;
  let reason = st.reason || st.phase || "";

  for (const c of st.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  let restartableInitRestarts = 0;
  let lastRestartableInitDate: string | undefined;
  const initCount = spec.initContainers?.length ?? 0;
  let initializing = false;
  (st.initContainerStatuses ?? []).every((c, i) => {
    restarts += c.restartCount ?? 0;
    if (c.lastState?.terminated) lastRestartDate = laterOf(lastRestartDate, c.lastState.terminated.finishedAt);
    const sidecar = restartableInit.has(c.name);
    if (sidecar) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastRestartableInitDate = laterOf(lastRestartableInitDate, c.lastState.terminated.finishedAt);
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) return true;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      return true;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
      initializing = true;
    } else if (wait?.reason && wait.reason !== "PodInitializing") {
      reason = `Init:${wait.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initCount}`;
      initializing = true;
    }
    return false;
  });

  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = restartableInitRestarts;
    lastRestartDate = lastRestartableInitDate;
    let hasRunning = false;
    const statuses = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastRestartDate = laterOf(lastRestartDate, c.lastState.terminated.finishedAt);
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }

  const terminal = st.phase === "Succeeded" || st.phase === "Failed";
  if (pod.metadata.deletionTimestamp && st.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && !terminal) reason = "Terminating";

  const restartsStr = restarts !== 0 && lastRestartDate ? `${restarts} (${since(lastRestartDate, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsStr };
}
