import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A pack's self-test state on one driver: the latest record of each of its variants. */
export interface DriverSelfTest {
  driver: string;
  /** Every current variant has a record and its latest passed. */
  ok: boolean;
  /** The newest of those records. */
  at: Date;
  passed: number;
  variants: number;
  /** Variants whose latest record failed, with its error. */
  failing: { variant: string; error: string | null }[];
  /** Current variants with no record on this driver yet. */
  untested: string[];
  gitCommit: string | null;
}

/**
 * The latest self-test record per pack, driver and variant, folded per driver. Records of
 * variants a pack no longer has are ignored (they prove nothing about the pack as it is).
 */
export async function lastSelfTests(prisma: PrismaClient, packs: readonly { slug: string; variants: readonly string[] }[]): Promise<Map<string, DriverSelfTest[]>> {
  const latest = await prisma.selfTestRecord.findMany({
    where: { scenarioId: { in: packs.map((p) => p.slug) } },
    orderBy: { createdAt: "desc" },
    distinct: ["scenarioId", "driver", "variantId"],
  });
  const out = new Map<string, DriverSelfTest[]>();
  for (const pack of packs) {
    const mine = latest.filter((r) => r.scenarioId === pack.slug && r.variantId !== null && pack.variants.includes(r.variantId));
    const drivers = [...new Set(mine.map((r) => r.driver))].sort();
    out.set(
      pack.slug,
      drivers.map((driver) => {
        const recs = mine.filter((r) => r.driver === driver);
        const newest = recs.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
        const tested = new Set(recs.map((r) => r.variantId));
        const failing = recs.filter((r) => !r.ok).map((r) => ({ variant: r.variantId!, error: r.error }));
        const untested = pack.variants.filter((v) => !tested.has(v));
        return {
          driver,
          ok: failing.length === 0 && untested.length === 0,
          at: newest.createdAt,
          passed: recs.length - failing.length,
          variants: pack.variants.length,
          failing,
          untested,
          gitCommit: newest.gitCommit,
        };
      }),
    );
  }
  return out;
}
