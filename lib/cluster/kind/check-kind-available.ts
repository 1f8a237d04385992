import fs from "node:fs";
import type { Availability } from "@/lib/cluster/types";
import { INOTIFY_MINIMUMS, KIND_PINS } from "./kind-pins";
import { compareVersions, parseDockerVersion, parseKindVersion, parseKubectlClientVersion } from "./parse-tool-output";
import type { RunCommand } from "./run-command";

export interface ToolVersions {
  dockerClient: string | null;
  dockerServer: string | null;
  kind: string | null;
  kubectl: string | null;
}

export interface KindAvailability extends Availability {
  versions: ToolVersions;
  /** Advice that does not stop the driver (low inotify limits). */
  warnings: string[];
}

const TIMEOUT_MS = 15_000;

/** Reads an integer /proc/sys value; null off Linux or when unreadable. */
export type ReadSysctl = (key: string) => number | null;

export const readProcSysctl: ReadSysctl = (key) => {
  try {
    const v = Number.parseInt(fs.readFileSync(`/proc/sys/${key.replaceAll(".", "/")}`, "utf8").trim(), 10);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

/**
 * kind's known issues: several clusters on one host exhaust the default inotify limits, and
 * nodes then fail with "too many open files". Returns one message with the sysctl to run, or null.
 */
export function inotifyAdvice(read: ReadSysctl): string | null {
  const low = Object.entries(INOTIFY_MINIMUMS).filter(([k, min]) => {
    const v = read(k);
    return v !== null && v < min;
  });
  if (!low.length) return null;
  const now = low.map(([k]) => `${k}=${read(k)}`).join(", ");
  const set = low.map(([k, min]) => `${k}=${min}`);
  return (
    `inotify limits are low for several kind clusters (${now}); nodes may fail with "too many open files". ` +
    `Run: sudo sysctl -w ${set.join(" ")} (and add them to /etc/sysctl.d/99-kind.conf to keep them).`
  );
}

/**
 * Checks that the Docker daemon answers and that kind and kubectl are on PATH at usable versions.
 * Every problem becomes a short name in `missing` and a line in `details` saying how to fix it.
 */
export async function checkKindAvailable(run: RunCommand, readSysctl: ReadSysctl = readProcSysctl, signal?: AbortSignal): Promise<KindAvailability> {
  const missing: string[] = [];
  const details: string[] = [];
  const versions: ToolVersions = { dockerClient: null, dockerServer: null, kind: null, kubectl: null };
  const opts = { timeoutMs: TIMEOUT_MS, signal };

  const [docker, kind, kubectl] = await Promise.all([
    run("docker", ["version", "--format", "{{json .}}"], opts),
    run("kind", ["version"], opts),
    run("kubectl", ["version", "--client", "-o", "json"], opts),
  ]);

  if (docker.notFound) {
    missing.push("docker");
    details.push("docker: not found on PATH. Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop.");
  } else {
    const v = parseDockerVersion(docker.stdout);
    versions.dockerClient = v?.client ?? null;
    versions.dockerServer = v?.server ?? null;
    if (docker.code !== 0 || !versions.dockerServer) {
      missing.push("docker-daemon");
      const why = docker.stderr.trim().split("\n").at(-1) || "no answer from the daemon";
      const fix = /permission denied/i.test(docker.stderr)
        ? "Add your user to the docker group (sudo usermod -aG docker $USER, then log in again)."
        : "Start it (sudo systemctl start docker, or open Docker Desktop) and check DOCKER_HOST.";
      details.push(`docker: the daemon is not reachable (${why}). ${fix}`);
    }
  }

  const kindInstall = `Install kind v${KIND_PINS.minKindVersion} or newer: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. go install sigs.k8s.io/kind@v${KIND_PINS.minKindVersion}).`;
  if (kind.notFound) {
    missing.push("kind");
    details.push(`kind: not found on PATH. ${kindInstall}`);
  } else {
    versions.kind = parseKindVersion(kind.stdout);
    if (!versions.kind) {
      missing.push("kind");
      details.push(`kind: \`kind version\` printed nothing recognisable (${(kind.stdout + kind.stderr).trim().slice(0, 120)}). ${kindInstall}`);
    } else if (compareVersions(versions.kind, KIND_PINS.minKindVersion) < 0) {
      missing.push("kind");
      details.push(`kind: v${versions.kind} is too old for the pinned node image (${KIND_PINS.nodeImage.split("@")[0]}). ${kindInstall}`);
    }
  }

  if (kubectl.notFound) {
    missing.push("kubectl");
    details.push("kubectl: not found on PATH. Install it: https://kubernetes.io/docs/tasks/tools/#kubectl");
  } else {
    versions.kubectl = parseKubectlClientVersion(kubectl.stdout);
    if (!versions.kubectl) {
      missing.push("kubectl");
      details.push("kubectl: `kubectl version --client -o json` failed. Reinstall it: https://kubernetes.io/docs/tasks/tools/#kubectl");
    }
  }

  const warnings: string[] = [];
  const advice = inotifyAdvice(readSysctl);
  if (advice) warnings.push(advice);
  return { ok: missing.length === 0, missing, details: [...details, ...warnings], versions, warnings };
}
