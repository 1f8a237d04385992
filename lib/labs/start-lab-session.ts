import { assertAttemptAllowed } from "@/lib/classes/assert-attempt-allowed";
import { InputError, LimitError, NotFoundError, UnavailableError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { LabDeps } from "./lab-deps";
import { initialProgress, publishProgress } from "./lab-progress";
import { LIVE_STATES } from "./lab-states";
import { provisionLab } from "./provision-lab";
import { warmVariantFor } from "./active-lab-pool";

/** Live practice labs per user when the deps do not say (BREAKFIX_MAX_LIVE_LABS_PER_USER's default). */
export const DEFAULT_MAX_LIVE_LABS = 3;

export interface StartLabInput {
  userId: string;
  scenario: string;
  /** A specific variant (instructors, tests); a random one when absent. */
  variant?: string;
}

/**
 * Starts a lab, or resumes the learner's live lab of the same scenario. Answers as soon as
 * the session exists; the cluster is prepared in the background and its progress streamed.
 */
export async function startLabSession(deps: LabDeps, input: StartLabInput): Promise<{ id: string; resumed: boolean }> {
  const scenario = deps.findScenario(input.scenario);
  if (!scenario) throw new NotFoundError(`There is no scenario "${input.scenario}".`, { hint: "Pick one from the catalogue." });
  const { pack } = scenario;
  let variant = undefined;
  if (input.variant !== undefined) {
    variant = pack.variants.find((v) => v.id === input.variant);
    if (!variant) throw new InputError(`Scenario "${pack.id}" has no variant "${input.variant}".`);
  }
  const live = await deps.db.labSession.findFirst({
    // An exam's task is not a practice lab to resume: it has its own rules (no hints in exam mode).
    where: { userId: input.userId, scenarioId: pack.id, state: { in: [...LIVE_STATES] }, examAttemptId: null },
    orderBy: { startedAt: "desc" },
  });
  if (live && (variant === undefined || live.variantId === variant.id)) return { id: live.id, resumed: true };
  await assertAttemptAllowed(deps.db, input.userId, "pack", pack.id, deps.now());

  // Each live lab holds a cluster: one learner cannot take the machine from the others.
  const cap = deps.maxLiveLabsPerUser ?? DEFAULT_MAX_LIVE_LABS;
  const others = await deps.db.labSession.findMany({
    where: { userId: input.userId, state: { in: [...LIVE_STATES] }, examAttemptId: null },
    select: { scenarioId: true },
    orderBy: { startedAt: "asc" },
  });
  if (others.length >= cap) {
    throw new LimitError(`You already have ${others.length} labs running, the most allowed at once (${others.map((o) => o.scenarioId).join(", ")}).`, {
      hint: "Finish or give up one of them first; its cluster is then freed.",
    });
  }

  const driver = await deps.driver();
  const avail = await driver.available();
  if (!avail.ok) {
    const label = driver.label;
    throw new UnavailableError(
      `The ${label} cannot be used on this machine${avail.missing.length ? ` (missing: ${avail.missing.join(", ")})` : ""}.`,
      {
        hint: [
          ...(avail.details ?? []),
          driver.name === "kind"
            ? "Or run breakfix with BREAKFIX_DRIVER=sim to practise on the simulated cluster, which needs no Docker."
            : "Check the server log, or choose another driver with BREAKFIX_DRIVER.",
        ].join("\n"),
      },
    );
  }
  // Leaving the variant to chance may as well land on one the pool has ready: it is as random.
  const warmId = variant ? undefined : warmVariantFor(driver.name, pack.id);
  variant ??= pack.variants.find((v) => v.id === warmId) ?? deps.pickVariant(pack.variants);
  const now = deps.now();
  const session = await deps.db.labSession.create({
    data: {
      userId: input.userId,
      scenarioId: pack.id,
      variantId: variant.id,
      driver: driver.name,
      state: "provisioning",
      provisionStep: "cluster",
      startedAt: now,
      lastActivityAt: now,
    },
  });
  publishProgress(initialProgress(session.id, driver.label));
  provisionLab(deps, { labSessionId: session.id, driver, pack, variant }).catch((err: unknown) =>
    logger.error({ err, labSessionId: session.id }, "provisioning crashed"),
  );
  return { id: session.id, resumed: false };
}
