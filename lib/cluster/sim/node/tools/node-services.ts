import type { SimClock } from "@/lib/cluster/sim/clock";

/**
 * The two systemd units a kind node's learner touches: kubelet and containerd. State, enablement,
 * main PID, and the lines systemd itself writes to their journals (Started/Stopping/Stopped).
 * Starting and stopping call back into the models (kubelet.setRunning, …).
 */
export type UnitName = "kubelet" | "containerd";

export interface UnitState {
  active: boolean;
  enabled: boolean;
  since: Date;
  pid: number;
  /** journald lines written by systemd about this unit, with their times. */
  journal: Array<{ time: Date; ident: string; pid: number; text: string }>;
}

export const UNIT_INFO: Record<UnitName, { description: string; path: string; dropIns: string[]; docs: string; exec: string }> = {
  kubelet: {
    description: "kubelet: The Kubernetes Node Agent",
    path: "/etc/systemd/system/kubelet.service",
    dropIns: ["10-kubeadm.conf", "11-kind.conf"],
    docs: "http://kubernetes.io/docs/",
    exec:
      "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=",
  },
  containerd: {
    description: "containerd container runtime",
    path: "/etc/systemd/system/containerd.service",
    dropIns: [],
    docs: "https://containerd.io",
    exec: "/usr/local/bin/containerd",
  },
};

export class NodeServices {
  readonly units: Record<UnitName, UnitState>;
  private nextPid = 180;

  constructor(
    private readonly clock: SimClock,
    private readonly hooks: { onKubelet(action: "start" | "stop" | "restart"): void; onContainerd(action: "start" | "stop" | "restart"): void },
  ) {
    const now = clock.now();
    this.units = {
      containerd: { active: true, enabled: true, since: now, pid: this.nextPid++, journal: [] },
      kubelet: { active: true, enabled: true, since: now, pid: this.nextPid++, journal: [] },
    };
    this.note("containerd", "Started containerd.service - containerd container runtime.");
    this.note("kubelet", "Started kubelet.service - kubelet: The Kubernetes Node Agent.");
  }

  private note(unit: UnitName, text: string): void {
    this.units[unit].journal.push({ time: this.clock.now(), ident: "systemd", pid: 1, text });
  }

  start(unit: UnitName): void {
    const u = this.units[unit];
    if (u.active) return;
    u.active = true;
    u.since = this.clock.now();
    u.pid = this.nextPid += 37;
    this.note(unit, `Started ${unit}.service - ${UNIT_INFO[unit].description}.`);
    if (unit === "kubelet") this.hooks.onKubelet("start");
    else this.hooks.onContainerd("start");
  }

  stop(unit: UnitName): void {
    const u = this.units[unit];
    if (!u.active) return;
    this.note(unit, `Stopping ${unit}.service - ${UNIT_INFO[unit].description}...`);
    u.active = false;
    u.since = this.clock.now();
    this.note(unit, `${unit}.service: Deactivated successfully.`);
    this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
    if (unit === "kubelet") this.hooks.onKubelet("stop");
    else this.hooks.onContainerd("stop");
  }

  restart(unit: UnitName): void {
    const u = this.units[unit];
    if (u.active) {
      this.note(unit, `Stopping ${unit}.service - ${UNIT_INFO[unit].description}...`);
      this.note(unit, `${unit}.service: Deactivated successfully.`);
      this.note(unit, `Stopped ${unit}.service - ${UNIT_INFO[unit].description}.`);
    }
    u.active = true;
    u.since = this.clock.now();
    u.pid = this.nextPid += 37;
    this.note(unit, `Started ${unit}.service - ${UNIT_INFO[unit].description}.`);
    if (unit === "kubelet") this.hooks.onKubelet("restart");
    else this.hooks.onContainerd("restart");
  }

  setEnabled(unit: UnitName, enabled: boolean): void {
    this.units[unit].enabled = enabled;
  }
}
