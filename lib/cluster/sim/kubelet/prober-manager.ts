/**
 * The kubelet's prober manager (pkg/kubelet/prober): the startup, readiness and liveness probes
 * of a running container on their SimClock periods, the Unhealthy events with the probe's
 * output, readiness from the success and failure thresholds, and a restart (Killing) when the
 * startup or liveness probe fails too often. HTTP probes leave the app's access-log line.
 */
import type { Container } from "../controllers/api-types";
import type { KubeletContext, PodActions } from "./kubelet-context";
import type { ContainerRecord } from "./kubelet-seams";
import { terminationGraceMs, type ContainerRuntimeState, type PodRuntimeState } from "./pod-runtime-state";
import { runProbe } from "./probes";

export interface ProberDeps extends Pick<PodActions, "podEvent" | "writeStatus"> {
  /** SIGTERM, then SIGKILL after the grace period; the container runtime's kill. */
  killContainer(rt: PodRuntimeState, st: ContainerRuntimeState, graceMs: number): void;
  appendLog(rec: ContainerRecord, text: string): void;
  /** The log line template rendered for this pod (time, IPs, names). */
  render(rt: PodRuntimeState, line: string): string;
}

export interface ProberManager {
  /** Starts the probes of `st`'s current (just started) container; its timers stop with the container's. */
  start(rt: PodRuntimeState, st: ContainerRuntimeState): void;
}

export function createProberManager(ctx: KubeletContext, deps: ProberDeps): ProberManager {
  const { clock } = ctx;
  const { podEvent, writeStatus, killContainer, appendLog, render } = deps;

  function start(rt: PodRuntimeState, st: ContainerRuntimeState): void {
    const c = st.spec;
    const rec = st.current!;
    const target = () => ({ podIP: rt.sandbox?.ip ?? "", container: c, plan: st.plan!, files: st.files, env: st.env });
    const accessLog = (path: string, status: number) => {
      if (st.plan?.accessLog) {
        appendLog(rec, render(rt, st.plan.accessLog.replace("{{path}}", path).replace("{{status}}", String(status)).replace("{{bytes}}", status === 200 ? "615" : "153")));
      }
    };
    st.startupPassed = !c.startupProbe;
    st.ready = !c.readinessProbe && st.startupPassed;
    const every = (probe: NonNullable<Container["readinessProbe"]>, fn: () => void) => {
      const period = (probe.periodSeconds ?? 10) * 1000;
      const first = clock.after((probe.initialDelaySeconds ?? 0) * 1000 + 50, () => {
        fn();
        st.timers.push(clock.every(period, fn));
      });
      st.timers.push(first);
    };
    if (c.startupProbe) {
      const p = c.startupProbe;
      every(p, () => {
        if (rec.state !== "Running" || st.startupPassed || st.killing || !ctx.process.running) return;
        const r = runProbe(p, target());
        if (r.http) accessLog(r.http.path, r.http.status);
        if (r.ok) {
          st.startupPassed = true;
          if (!c.readinessProbe) st.ready = true;
          writeStatus(rt);
          return;
        }
        st.probe.startFail++;
        podEvent(rt, c, "Warning", "Unhealthy", `Startup probe failed: ${r.message}`);
        if (st.probe.startFail >= (p.failureThreshold ?? 3)) {
          podEvent(rt, c, "Normal", "Killing", `Container ${c.name} failed startup probe, will be restarted`);
          killContainer(rt, st, terminationGraceMs(rt));
        }
      });
    }
    if (c.readinessProbe) {
      const p = c.readinessProbe;
      every(p, () => {
        if (rec.state !== "Running" || !st.startupPassed || st.killing || !ctx.process.running) return;
        const r = runProbe(p, target());
        if (r.http) accessLog(r.http.path, r.http.status);
        if (r.ok) {
          st.probe.readyFail = 0;
          st.probe.readyOk++;
          if (!st.ready && st.probe.readyOk >= (p.successThreshold ?? 1)) {
            st.ready = true;
            writeStatus(rt);
          }
        } else {
          st.probe.readyOk = 0;
          st.probe.readyFail++;
          podEvent(rt, c, "Warning", "Unhealthy", `Readiness probe failed: ${r.message}`);
          if (st.ready && st.probe.readyFail >= (p.failureThreshold ?? 3)) {
            st.ready = false;
            writeStatus(rt);
          }
        }
      });
    }
    if (c.livenessProbe) {
      const p = c.livenessProbe;
      every(p, () => {
        if (rec.state !== "Running" || !st.startupPassed || st.killing || !ctx.process.running) return;
        const r = runProbe(p, target());
        if (r.http) accessLog(r.http.path, r.http.status);
        if (r.ok) {
          st.probe.liveFail = 0;
          return;
        }
        st.probe.liveFail++;
        podEvent(rt, c, "Warning", "Unhealthy", `Liveness probe failed: ${r.message}`);
        if (st.probe.liveFail >= (p.failureThreshold ?? 3)) {
          podEvent(rt, c, "Normal", "Killing", `Container ${c.name} failed liveness probe, will be restarted`);
          killContainer(rt, st, terminationGraceMs(rt));
        }
      });
    }
  }

  return { start };
}
