import type { SimClock } from "@/lib/cluster/sim/clock";

/**
 * The two systemd units a kind node's learner touches: kubelet and containerd. State, enablement,
 * main PID, and the lines systemd itself writes to their journals (Started/Stopping/Stopped).
 * Starting and stopping call back into the models (kubelet.setRunning, …).
 *
 * A daemon that exits as it starts (the kubelet with a config file it cannot load) is restarted
 * by systemd as kind's kubelet.service says (Restart=always, RestartSec=1s): between two tries
 * the unit is "activating (auto-restart)", and every try writes systemd's own lines and the
 * daemon's last words to the journal.
 */
export type UnitName = "kubelet" | "containerd";

export interface UnitState {
  active: boolean;
  enabled: boolean;
  since: Date;
  pid: number;
  /** The main process exited with an error and systemd will start it again (Restart=always). */
  autoRestart: boolean;
  /** systemd's Result: "exit-code" after the main process failed, until a start succeeds. */
  result: "success" | "exit-code";
  /** "restart counter is at N". */
  restarts: number;
  /** journald lines written by systemd about this unit, with their times. */
  journal: Array<{ time: Date; ident: string; pid: number; text: string }>;
}

/** kind's kubelet.service: RestartSec=1s (upstream's deb package says 10s). */
export const RESTART_SEC_MS = 1_000;
/** journald keeps a bounded log; a crash loop writes five lines a second. */
const MAX_UNIT_JOURNAL = 3_000;

export interface NodeServiceHooks {
  onKubelet(action: "start" | "stop" | "restart"): void;
  onContainerd(action: "start" | "stop" | "restart"): void;
  /**
   * Asked at each start of the unit's main process: the line the daemon writes before it exits
   * with status 1 (e.g. the kubelet's "command failed"), or null when it starts and keeps running.
   */
  exitsOnStart?(unit: UnitName, pid: number): string | null;
}

/** `exec`: the command line as the CGroup shows it; `execLine`: the ExecStart= line as the unit files write it. */
export const UNIT_INFO: Record<UnitName, { description: string; path: string; dropIns: string[]; docs: string; exec: string; execLine: string }> = {
  kubelet: {
    description: "kubelet: The Kubernetes Node Agent",
    path: "/etc/systemd/system/kubelet.service",
    dropIns: ["10-kubeadm.conf", "11-kind.conf"],
    docs: "http://kubernetes.io/docs/",
    exec:
      "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=",
    // 10-kubeadm.conf's ExecStart=, as `systemctl status` shows it for a process that exited.
    execLine: "/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS",
  },
  containerd: {
    description: "containerd container runtime",
    path: "/etc/systemd/system/containerd.service",
    dropIns: [],
    docs: "https://containerd.io",
    exec: "/usr/local/bin/containerd",
    execLine: "/usr/local/bin/containerd",
  },
};

export class NodeServices {
  readonly units: Record<UnitName, UnitState>;
  private nextPid = 180;

  private readonly pendingRestart: Partial<Record<UnitName, () => void>> = {};

  constructor(
    private readonly clock: SimClock,
    private readonly hooks: NodeServiceHooks,
  ) {
    const now = clock.now();
    const unit = (): UnitState => ({ active: true, enabled: true, since: now, pid: this.nextPid++, autoRestart: false, result: "success", restarts: 0, journal: [] });
    this.units = { containerd: unit(), kubelet: unit() };
    this.note("containerd", "Started containerd.service - containerd container runtime.");
    this.note("kubelet", "Started kubelet.service - kubelet: The Kubernetes Node Agent.");
  }

  private note(unit: UnitName, text: string, ident = "systemd", pid = 1): void {
    const j = this.units[unit].journal;
    j.push({ time: this.clock.now(), ident, pid, text });
    if (j.length > MAX_UNIT_JOURNAL) j.splice(0, j.length - MAX_UNIT_JOURNAL);
  }

  private notify(unit: UnitName, action: "start" | "stop" | "restart"): void {
    if (unit === "kubelet") this.hooks.onKubelet(action);
    else this.hooks.onContainerd(action);
  }

  private cancelRestart(unit: UnitName): void {
    this.pendingRestart[unit]?.();
    delete this.pendingRestart[unit];
  }

  /**
   * Starts the main process (a new PID). It either keeps running (`action` goes to the model) or
   * exits at once, and then systemd schedules the next try RestartSec later.
   */
  private launch(unit: UnitName, action: "start" | "restart"): void {
    const u = this.units[unit];
    const wasRunning = u.active;
    u.pid = this.nextPid += 37;
    u.since = this.clock.now();
    this.note(unit, `Started ${unit}.service - ${UNIT_INFO[unit].description}.`);
    const fatal = this.hooks.exitsOnStart?.(unit, u.pid) ?? null;
    if (fatal === null) {
      u.active = true;
      u.autoRestart = false;
      u.result = "success";
      this.notify(unit, action);
      return;
    }
    this.note(unit, fatal, unit, u.pid);
    this.note(unit, `${unit}.service: Main process exited, code=exited, status=1/FAILURE`);
    this.note(unit, `${unit}.service: Failed with result 'exit-code'.`);
    u.active = false;
    u.autoRestart = true;
    u.result = "exit-code";
    u.since = this.clock.now();
    if (wasRunning) this.notify(unit, "stop");
    this.cancelRestart(unit);
    this.pendingRestart[unit] = this.clock.after(RESTART_SEC_MS, () => {
      delete this.pendingRestart[unit];
      if (!u.autoRestart) return;
      u.restarts++;
      this.note(unit, `${unit}.service: Scheduled restart job, restart counter is at ${u.restarts}.`);
      this.launch(unit, "start");
    });
  }

  /** systemd's ActiveState as `systemctl is-active` prints it. */
  activeState(unit: UnitName): "active" | "activating" | "inactive" | "failed" {
    const u = this.units[unit];
    return u.active ? "active" : u.autoRestart ? "activating" : "inactive";
  }

  /** Ends a pending auto-restart (the cluster is torn down). */
  dispose(): void {
    for (const unit of Object.keys(this.pendingRestart) as UnitName[]) this.cancelRestart(unit);
  }

  start(unit: UnitName): void {
    const u = this.units[unit];
    if (u.active) return;
    // A start while an auto-restart is pending starts it now (systemd runs the queued job).
    this.cancelRestart(unit);
    u.autoRestart = false;
    this.launch(unit, "start");
  }

  stop(unit: UnitName): void {
    const u = this.units[unit];
    if (u.autoRestart) {
      // Stopping a unit between two tries cancels the restart; the failed result stays.
      this.cancelRestart(unit);
      u.autoRestart = false;
      u.since = this.clock.now();
      this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
      return;
    }
    if (!u.active) return;
    this.note(unit, `Stopping ${unit}.service - ${UNIT_INFO[unit].description}...`);
    u.active = false;
    u.since = this.clock.now();
    this.note(unit, `${unit}.service: Deactivated successfully.`);
    this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
    this.notify(unit, "stop");
  }

  restart(unit: UnitName): void {
    const u = this.units[unit];
    if (u.active) {
      this.note(unit, `Stopping ${unit}.service - ${UNIT_INFO[unit].description}...`);
      this.note(unit, `${unit}.service: Deactivated successfully.`);
      this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
    } else if (u.autoRestart) {
      this.cancelRestart(unit);
      u.autoRestart = false;
      this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
    }
    this.launch(unit, "restart");
  }

  setEnabled(unit: UnitName, enabled: boolean): void {
    this.units[unit].enabled = enabled;
  }
}
