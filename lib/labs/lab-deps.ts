import type { Cluster, ClusterDriver } from "@/lib/cluster/types";
import type { LabGrade } from "@/lib/grading/grade-lab-session";
import type { CheckOutcome } from "@/lib/grading/run-checks";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScenarioContext } from "@/lib/scenarios/context";
import type { ScenarioPack, Variant } from "@/lib/scenarios/define-scenario";
import type { LoadedScenario } from "@/lib/scenarios/load-scenarios";

/** A scenario context that owns a temp kubeconfig; dispose() when done. */
export interface LabContext extends ScenarioContext {
  kubeconfig: string;
  dispose(): void;
}

/** One check's outcome as graded (lib/grading); the message never names the fault. */
export type { CheckOutcome };

/** A graded Check as lib/grading returns it (labs keep its name). */
export type GradeOutcome = LabGrade;

export interface GradeInput {
  labSessionId: string;
  pack: ScenarioPack;
  variant: Variant;
  ctx: ScenarioContext;
  hintPenalty: number;
  signal: AbortSignal;
}

/**
 * Everything lib/labs needs from the rest of the house, as one object, so tests pass fakes
 * (a fake driver, a fake grader) and the composition root passes the real ones (create-lab-deps.ts, lib/server/services.ts).
 */
export interface LabDeps {
  db: PrismaClient;
  /** The driver new labs use (BREAKFIX_DRIVER, chosen once per process). */
  driver(): Promise<ClusterDriver>;
  /**
   * The driver a persisted session was created with (re-attaching after a restart, its label);
   * null for a name this server has no driver for.
   */
  driverNamed(name: string): ClusterDriver | null;
  findScenario(slug: string): LoadedScenario | undefined;
  /**
   * The scenario context over a cluster. `kubeconfig` is the admin kubeconfig captured at
   * provisioning, so a learner's edits to the cluster's own admin.conf never change what checks trust.
   */
  createContext(cluster: Cluster, opts: { signal: AbortSignal; log: (message: string) => void; kubeconfig?: string }): Promise<LabContext>;
  /** Runs every check, persists a CheckRun and returns the outcome. */
  grade(input: GradeInput): Promise<GradeOutcome>;
  /** Closes the lab's terminals (reset, give up, finish, expiry). */
  closeTerminals(labSessionId: string): Promise<void>;
  now(): Date;
  pickVariant(variants: Variant[]): Variant;
  /** A lab untouched for this long is expired and its cluster destroyed. */
  idleLimitMs: number;
  /** Practice labs (not exam tasks) one user may have live at once; unset means 3. */
  maxLiveLabsPerUser?: number;
  /** Upper bound for cluster → setup → inject. */
  provisionTimeoutMs: number;
}
