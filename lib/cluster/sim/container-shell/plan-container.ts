/**
 * Turns a container (image + command + args + env + mounted files) into a run plan: what it logs
 * and when, which ports it listens on, whether and how it exits. The kubelet model plays the plan.
 *
 * Commands are interpreted honestly where that is simple, and the rest is documented:
 * - The image's own process (no command, or its binary named) behaves as the catalogue says.
 * - `sh -c` scripts on images with a shell: `;`, `&&`, `||`, `echo`, `printf`, `sleep N|infinity`,
 *   `exit N`, `true`, `false`, `:`, `touch`, `rm`, `mkdir`, `cat FILE` (mounted ConfigMap/Secret
 *   files and files the script touched), `date`, `hostname`, `env`, `printenv`, assignments,
 *   `exec CMD`, and `while true|:; do …; done` loops. `x=$x$x` in a loop is a memory bomb (OOMKilled).
 *   Unknown commands print `sh: NAME: not found` and set status 127. `if`, `for`, pipes and
 *   redirections are not interpreted: such a line is skipped (status 0) — see docs/sim-fidelity.md.
 * - Network clients ask the cluster's network model (`net`) when the container starts: busybox
 *   `wget`, `nc -z` and `nslookup`, and `curl` where the image has it, print what the real tools
 *   print for a reachable server, a 404, a refused or timed-out connection or an unknown name.
 *   Images without the tool say `sh: wget: not found` (nginx has curl but no wget). `ping` succeeds.
 * - A binary that the image does not have fails to start with runc's real StartError text.
 */
import { basePlan, defaultProcess, isDefaultBinary, startErrorFor, stressPlan } from "./image-process";
import { interpretScript } from "./interpret-script";
import { BUSYBOX_APPLETS, NETWORK_TOOLS, SHELLS } from "./known-commands";
import type { PlanInput, RunPlan } from "./run-plan";

/** Builds the plan for a container. */
export function planContainer(input: PlanInput): RunPlan {
  const b = input.image.behaviour;
  const plan = basePlan(input);
  const argv = [...(input.command ?? b.entrypoint), ...(input.args ?? (input.command ? [] : b.cmd))];
  // The entrypoint script of server images execs its arguments; look past it.
  let cmd = argv;
  if (b.entrypoint.length && input.command === undefined && argv.length > b.entrypoint.length) cmd = argv.slice(b.entrypoint.length);
  const bin = cmd[0];
  if (!bin) {
    plan.listens = [];
    return plan; // nothing to run: behaves like pause
  }
  const name = bin.split("/").pop() ?? bin;
  const hasShell = b.shell && (name !== "bash" || (b.tools ?? []).includes("bash"));
  const isTool = NETWORK_TOOLS.has(name) && (b.tools ?? []).includes(name);
  if (isDefaultBinary(bin, input.image) && !(hasShell && SHELLS.has(name)) && !isTool) {
    if (name === "stress") return stressPlan(cmd, input, plan);
    return defaultProcess(input, plan);
  }
  if (!b.shell) {
    // Distroless images (kube components, app images) run their one binary whatever the flags.
    if (b.entrypoint.length === 0 && b.cmd.length === 0) return defaultProcess(input, plan);
    return { ...plan, startError: startErrorFor(bin) };
  }
  if (SHELLS.has(name) && hasShell) {
    const i = cmd.indexOf("-c");
    if (i < 0 || cmd[i + 1] === undefined) {
      // With stdin open the shell waits on it (kubectl attach / run -it starts it for real).
      if (input.stdin) return { ...plan, listens: [] };
      plan.exit = { at: 30, code: 0 }; // no stdin, no script: the shell ends at once
      return plan;
    }
    return interpretScript(cmd[i + 1]!, input, plan);
  }
  if (name === "stress") return stressPlan(cmd, input, plan);
  if (!BUSYBOX_APPLETS.has(name) && !isTool) return { ...plan, startError: startErrorFor(bin) };
  return interpretScript(cmd.map(quote).join(" "), input, plan);
}

function quote(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
