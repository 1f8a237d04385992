import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SelfTestRow } from "@/lib/scenarios/self-test/format-self-test-table";

/**
 * Stores each variant that ran as one SelfTestRecord (`scenario:test --record`), with the first
 * failing step as its error. A variant that does not apply to this cluster did not run, so it
 * proves nothing either way and is not stored. Returns how many were stored.
 *
 * @example
 * const n = await recordSelfTests(db(), rows, { driver: "sim", gitCommit: await gitCommitOf(process.cwd()) });
 */
export async function recordSelfTests(
  prisma: PrismaClient,
  rows: readonly SelfTestRow[],
  run: { driver: string; gitCommit: string | null },
): Promise<number> {
  const data = rows.flatMap((row) => {
    if (row.kind !== "ran") return [];
    const r = row.result;
    const failed = r.steps.find((s) => !s.ok);
    return [
      {
        scenarioId: r.slug,
        driver: run.driver,
        variantId: r.variant,
        ok: r.ok,
        durationMs: Math.round(r.ms),
        steps: JSON.stringify(r.steps),
        error: r.ok ? null : failed ? `${failed.step}${failed.label ? ` (${failed.label})` : ""}: ${failed.detail ?? "failed"}` : "failed",
        gitCommit: run.gitCommit,
      },
    ];
  });
  if (data.length) await prisma.selfTestRecord.createMany({ data });
  return data.length;
}
