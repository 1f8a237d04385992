import { registryProcessOf } from "../catalogue/distribution-registry";
import type { CatalogueImage } from "../catalogue/images";
import type { PlanInput, RunPlan } from "./run-plan";

/**
 * The image's own process as the catalogue describes it (startup logs, ports, HTTP answers, exit,
 * required env, memory), and the runc error for a binary the image does not have.
 */

/** runc's StartError for a binary that is not in the image. */
export function startErrorFor(bin: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${bin}": executable file not found in $PATH: unknown`;
}

/** A plan that does nothing yet: the image's memory and stop behaviour, and its files (those a volume mount hides left out) plus the mounted ones. */
export function basePlan(input: PlanInput): RunPlan {
  const b = input.image.behaviour;
  const hidden = (path: string) => (input.mountPaths ?? []).some((m) => path === m || path.startsWith(`${m.replace(/\/$/, "")}/`));
  const imageFiles = Object.fromEntries(Object.entries(b.files ?? {}).filter(([path]) => !hidden(path)));
  return {
    steps: [],
    listens: [],
    memoryBytes: b.memoryMi * 2 ** 20,
    onStop: { exitCode: b.onStop.exitCode, logs: b.onStop.logs ?? [] },
    files: { ...imageFiles, ...input.files },
  };
}

/** The image's own process, as the catalogue describes it. */
export function defaultProcess(input: PlanInput, plan: RunPlan): RunPlan {
  const b = input.image.behaviour;
  if (b.requiresEnv && !b.requiresEnv.anyOf.some((k) => input.env[k])) {
    plan.steps = b.requiresEnv.failLogs.map((log) => ({ at: 50, log }));
    plan.exit = { at: 100, code: 1 };
    return plan;
  }
  plan.steps = b.startupLogs.map((log, i) => ({ at: 20 + i * 2, log }));
  plan.listens = [...b.ports];
  plan.http = b.http;
  plan.httpBody = b.httpBody;
  plan.docRoot = b.docRoot;
  plan.accessLog = b.accessLog;
  if (b.exitsAfterMs !== undefined) plan.exit = { at: b.exitsAfterMs, code: b.exitCode ?? 0 };
  if (b.registry) plan.registry = registryProcessOf(b.registry.storage, input.env);
  return withMemoryLimit(plan, input);
}

/** A process that needs more than the container's memory limit is OOMKilled soon after it starts. */
export function withMemoryLimit(plan: RunPlan, input: PlanInput): RunPlan {
  if (input.memoryLimitBytes && plan.memoryBytes > input.memoryLimitBytes && !plan.exit) {
    plan.exit = { at: 300, code: 137, reason: "OOMKilled" };
  }
  return plan;
}

/** Whether `bin` names the image's own process (its entrypoint or the first word of its cmd). */
export function isDefaultBinary(bin: string, image: CatalogueImage): boolean {
  const b = image.behaviour;
  const names = [...b.entrypoint, ...b.cmd.slice(0, 1)].map((x) => x.split("/").pop());
  return names.includes(bin.split("/").pop());
}

/** polinux/stress: allocates --vm-bytes (256M by default) and holds it. */
export function stressPlan(cmd: string[], input: PlanInput, plan: RunPlan): RunPlan {
  const i = cmd.indexOf("--vm-bytes");
  const v = i >= 0 ? cmd[i + 1] ?? "256M" : "256M";
  const m = /^(\d+)([KMG]?)$/i.exec(v);
  const mult = { "": 1, K: 1024, M: 2 ** 20, G: 2 ** 30 }[(m?.[2] ?? "").toUpperCase()] ?? 1;
  plan.memoryBytes = Number(m?.[1] ?? 256) * mult;
  plan.steps = [{ at: 20, log: "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd" }];
  return withMemoryLimit(plan, input);
}
