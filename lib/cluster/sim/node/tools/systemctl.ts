import { unitJournal } from "./journal";
import { UNIT_INFO, type UnitName } from "./node-services";
import type { NodeTool } from "./node-tool-host";
import { systemdAgo, systemdDate } from "./text-format";

/**
 * systemctl for the node's kubelet and containerd units. Exit codes follow systemd: status of an
 * inactive unit is 3, is-active 3, is-enabled 1, an unknown unit 4 (5 for start/stop).
 */
function unitOf(arg: string | undefined): UnitName | null {
  const n = (arg ?? "").replace(/\.service$/, "");
  return n === "kubelet" || n === "containerd" ? n : null;
}

export const systemctl: NodeTool = (host, req, io) => {
  const args = req.argv.filter((a) => !a.startsWith("-"));
  // enable/disable --now also start/stop the unit, as systemd does.
  const now = req.argv.includes("--now");
  const verb = args[0];
  const units = args.slice(1);
  if (!verb) {
    io.err("systemctl: listing units is not emulated on this node; name a unit: systemctl status kubelet\n");
    return 1;
  }
  if (["status", "start", "stop", "restart", "is-active", "is-enabled", "enable", "disable", "daemon-reload", "reload"].indexOf(verb) < 0) {
    io.err(`Unknown command verb '${verb}'.\n`);
    return 1;
  }
  if (verb === "daemon-reload") return 0;
  if (!units.length) {
    io.err(`Too few arguments.\n`);
    return 1;
  }
  let code = 0;
  for (const arg of units) {
    const unit = unitOf(arg);
    const full = arg.endsWith(".service") ? arg : `${arg}.service`;
    if (!unit) {
      if (verb === "status") {
        io.err(`Unit ${full} could not be found.\n`);
        code = 4;
      } else if (verb === "is-active") {
        io.out("inactive\n");
        code = 3;
      } else if (verb === "is-enabled") {
        io.err(`Failed to get unit file state for ${full}: No such file or directory\n`);
        code = 1;
      } else {
        io.err(`Failed to ${verb} ${full}: Unit ${full} not found.\n`);
        code = 5;
      }
      continue;
    }
    const u = host.services.units[unit];
    switch (verb) {
      case "start":
        host.services.start(unit);
        break;
      case "stop":
        host.services.stop(unit);
        break;
      case "restart":
      case "reload":
        host.services.restart(unit);
        break;
      case "enable":
        if (!u.enabled) io.err(`Created symlink /etc/systemd/system/multi-user.target.wants/${unit}.service → ${UNIT_INFO[unit].path}.\n`);
        host.services.setEnabled(unit, true);
        if (now) host.services.start(unit);
        break;
      case "disable":
        if (u.enabled) io.err(`Removed "/etc/systemd/system/multi-user.target.wants/${unit}.service".\n`);
        host.services.setEnabled(unit, false);
        if (now) host.services.stop(unit);
        break;
      case "is-active": {
        const state = host.services.activeState(unit);
        io.out(`${state}\n`);
        if (state !== "active") code = 3;
        break;
      }
      case "is-enabled":
        io.out(u.enabled ? "enabled\n" : "disabled\n");
        if (!u.enabled) code = 1;
        break;
      case "status": {
        const info = UNIT_INFO[unit];
        const now = host.clock.now();
        const ago = systemdAgo(now.getTime() - u.since.getTime());
        const lines = [
          `${u.active || u.autoRestart ? "●" : "○"} ${unit}.service - ${info.description}`,
          `     Loaded: loaded (${info.path}; ${u.enabled ? "enabled" : "disabled"}; preset: enabled)`,
        ];
        if (info.dropIns.length) lines.push(`    Drop-In: /etc/systemd/system/${unit}.service.d`, `             └─${info.dropIns.join(", ")}`);
        const result = u.result === "exit-code" ? " (Result: exit-code)" : "";
        lines.push(
          u.active
            ? `     Active: active (running) since ${systemdDate(u.since)}; ${ago}`
            : u.autoRestart
              ? `     Active: activating (auto-restart)${result} since ${systemdDate(u.since)}; ${ago}`
              : `     Active: inactive (dead)${result} since ${systemdDate(u.since)}; ${ago}`,
        );
        lines.push(`       Docs: ${info.docs}`);
        if (u.active) {
          const exec = unit === "kubelet" ? `${info.exec}${host.node.ip} --node-labels= --pod-infra-container-image=registry.k8s.io/pause:3.10 --provider-id=kind://docker/kind/${host.node.name} --runtime-cgroups=/system.slice/containerd.service` : info.exec;
          lines.push(
            `   Main PID: ${u.pid} (${unit})`,
            `      Tasks: ${unit === "kubelet" ? 16 : 24}`,
            `     Memory: ${unit === "kubelet" ? "43.2M" : "61.8M"}`,
            `        CPU: ${unit === "kubelet" ? "1min 2.331s" : "28.112s"}`,
            `     CGroup: /system.slice/${unit}.service`,
            `             └─${u.pid} ${exec}`,
          );
        } else if (u.result === "exit-code") {
          lines.push(`    Process: ${u.pid} ExecStart=${info.execLine} (code=exited, status=1/FAILURE)`, `   Main PID: ${u.pid} (code=exited, status=1/FAILURE)`);
        } else {
          lines.push(`    Process: ${u.pid} ExecStart=${info.exec.split(" ")[0]} (code=killed, signal=TERM)`, `   Main PID: ${u.pid} (code=killed, signal=TERM)`);
        }
        const journal = unitJournal(host, unit).slice(-10);
        io.out(`${lines.join("\n")}\n\n${journal.map((j) => j.line).join("\n")}\n`);
        if (!u.active) code = 3;
        break;
      }
    }
  }
  return code;
};
