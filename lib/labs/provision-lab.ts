import { BreakfixError } from "@/lib/errors";
import { randomBytes } from "node:crypto";
import { isPersistentCluster, type Cluster, type ClusterDriver } from "@/lib/cluster/types";
import { TimeoutError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { ScenarioPack, Variant } from "@/lib/scenarios/define-scenario";
import { takeClusterBaseline } from "./cluster-baseline";
import { forgetLabCluster, registerLabCluster } from "./lab-clusters";
import type { LabDeps } from "./lab-deps";
import { initialProgress, publishProgress, withStep, type ProvisionProgress } from "./lab-progress";
import type { ProvisionStep } from "./lab-states";
import { beginProvisionTask, endProvisionTask } from "./provision-tasks";
import { recordProvisionStep, transitionLab } from "./transition-lab";
import { releaseLabCluster } from "./release-lab-cluster";
import { takeWarmLab } from "./active-lab-pool";
import { waitForFault } from "./wait-for-fault";

/** kind and the sim name nodes after the cluster; keep it short, DNS-safe and unique per attempt. */
export function clusterNameFor(labSessionId: string): string {
  return `bf-${labSessionId.slice(-10).toLowerCase()}-${randomBytes(2).toString("hex")}`;
}

export interface ProvisionInput {
  labSessionId: string;
  driver: ClusterDriver;
  pack: ScenarioPack;
  variant: Variant;
}

/** What the learner is told when provisioning fails, and what to do. */
export function describeProvisionFailure(err: unknown, step: ProvisionStep): { message: string; hint: string } {
  const what: Record<ProvisionStep, string> = {
    cluster: "The cluster could not be created",
    setup: "The scenario could not be set up on the cluster",
    inject: "The fault could not be injected",
    ready: "The lab could not be made ready",
  };
  const reason = err instanceof Error ? err.message : String(err);
  const hint =
    (err instanceof BreakfixError ? err.hint : undefined) ??
    "Press Reset to try again. If it keeps failing, check the server log and tell your instructor.";
  return { message: `${what[step]}: ${reason}`, hint };
}

/**
 * cluster → setup → inject → ready, streaming each step (lab-progress.ts) and persisting the
 * state. Runs in the background after the start request has answered; never throws.
 */
export async function provisionLab(deps: LabDeps, input: ProvisionInput): Promise<void> {
  const { labSessionId, driver, pack, variant } = input;
  const controller = beginProvisionTask(labSessionId);
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(deps.provisionTimeoutMs)]);
  const log = logger.child({ labSessionId, scenario: pack.id, variant: variant.id, driver: driver.name });
  let progress: ProvisionProgress = initialProgress(labSessionId, driver.label);
  let step: ProvisionStep = "cluster";
  let cluster: Cluster | undefined;
  const advance = async (next: ProvisionStep) => {
    if (signal.aborted) throw signal.reason;
    step = next;
    progress = withStep(progress, next, "running");
    publishProgress(progress);
    await recordProvisionStep(deps, labSessionId, next);
  };
  try {
    await advance("cluster");
    // A lab the pool prepared ahead is this lab exactly (same pack, variant, setup and fault): take it.
    const warm = await takeWarmLab(driver.name, pack.id, variant.id);
    const clusterName = warm?.cluster.name ?? clusterNameFor(labSessionId);
    // Persisted before creating, so a restart mid-create can still find and clean it up.
    await deps.db.labSession.update({ where: { id: labSessionId }, data: { clusterName } });
    if (warm) {
      cluster = warm.cluster;
      registerLabCluster(labSessionId, cluster, warm.kubeconfig);
    } else {
      const creating = driver.create({ name: clusterName, workers: pack.cluster.workers });
      // A cluster that arrives after we stopped waiting (reset, give up, timeout) would leak.
      creating.then(
        (c) => {
          if (signal.aborted) c.destroy().catch((e: unknown) => log.warn({ err: e }, "could not destroy a late cluster"));
        },
        () => undefined,
      );
      cluster = await abortable(creating, signal, "the cluster to be created");
      registerLabCluster(labSessionId, cluster);
      if (pack.images?.length && cluster.preloadImages) {
        const report = await cluster.preloadImages(pack.images, { signal });
        for (const m of report.missing) log.warn({ image: m.image }, `image not preloaded: ${m.reason}`);
      }
      const ctx = await deps.createContext(cluster, { signal, log: (m) => log.info(m) });
      registerLabCluster(labSessionId, cluster, ctx.kubeconfig);
      try {
        await advance("setup");
        // A persistent cluster outlives the lab: what its API holds now is what release goes back
        // to. A baseline left by a lab whose release did not finish is older, so it is kept.
        if (isPersistentCluster(cluster) && !cluster.baseline()) {
          cluster.saveBaseline(await abortable(takeClusterBaseline(ctx.kubectl, signal), signal, "the cluster's baseline"));
        }
        await abortable(pack.setup(ctx), signal, "the scenario's setup");
        await advance("inject");
        await abortable(pack.inject(ctx, variant), signal, "the fault to be injected");
        const fault = await abortable(waitForFault(pack, variant, ctx, { signal }), signal, "the fault to show");
        if (!fault.shown) log.warn({ detail: fault.detail }, "the fault did not show within the pack's settle time; the lab is ready anyway");
      } finally {
        ctx.dispose();
      }
    }
    await advance("ready");
    const now = deps.now();
    const ready = await transitionLab(deps, labSessionId, { from: "provisioning", to: "ready", set: { readyAt: now, lastActivityAt: now } });
    if (!ready) throw new Error("the lab was ended while it was being prepared");
    progress = withStep(progress, "ready", "done");
    publishProgress(progress);
    log.info("lab ready");
  } catch (err) {
    if (controller.signal.aborted) {
      // Reset or Give up took over; they own the session and the cluster now.
      log.info({ reason: String(controller.signal.reason) }, "provisioning stopped");
      return;
    }
    const failure =
      signal.aborted && !controller.signal.aborted
        ? describeProvisionFailure(new TimeoutError(`gave up after ${Math.round(deps.provisionTimeoutMs / 1000)} s waiting for ${step}`), step)
        : describeProvisionFailure(err, step);
    log.error({ err, step }, "lab provisioning failed");
    progress = { ...withStep(progress, step, "failed"), error: failure };
    publishProgress(progress);
    // The step stays recorded, so the progress rebuilt after a restart shows which one failed.
    await transitionLab(deps, labSessionId, { from: "provisioning", to: "failed", set: { failure, endedAt: deps.now() } })
      .catch((e: unknown) => log.error({ err: e }, "could not record the provisioning failure"));
    if (cluster) {
      forgetLabCluster(labSessionId);
      await releaseLabCluster(deps, cluster, { id: labSessionId, scenarioId: pack.id, variantId: variant.id }).catch((e: unknown) =>
        log.warn({ err: e }, "could not release the cluster of a failed lab"),
      );
    }
  } finally {
    endProvisionTask(labSessionId, controller);
  }
}

/** Rejects as soon as signal aborts, naming what was waited for. */
function abortable<T>(p: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error(`stopped waiting for ${what}`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(`stopped waiting for ${what}`));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
