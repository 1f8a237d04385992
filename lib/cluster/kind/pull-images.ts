import type { Logger } from "@/lib/logger";
import type { RunCommand } from "./run-command";

/**
 * Pulls images into the host's Docker image store, skipping those already there. An offline
 * classroom runs this once while online (`npm run kind:prepull`); `kind load docker-image` then
 * copies them into each cluster without a registry.
 */
export async function pullImages(
  run: RunCommand,
  images: string[],
  log: Logger,
  signal?: AbortSignal,
): Promise<{ present: string[]; pulled: string[]; failed: { image: string; error: string }[] }> {
  const out = { present: [] as string[], pulled: [] as string[], failed: [] as { image: string; error: string }[] };
  for (const image of [...new Set(images)]) {
    const local = await run("docker", ["image", "inspect", "--format", "{{.Id}}", image], { timeoutMs: 30_000, signal });
    if (local.code === 0) {
      out.present.push(image);
      continue;
    }
    log.info(`pulling ${image}…`);
    const pull = await run("docker", ["pull", image], { timeoutMs: 900_000, signal });
    if (pull.code === 0) out.pulled.push(image);
    else out.failed.push({ image, error: pull.stderr.trim().split("\n").at(-1) ?? `exit ${pull.code}` });
  }
  return out;
}
