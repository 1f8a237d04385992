import { NotFoundError } from "@/lib/errors";
import type { InstructorDeps } from "./instructor-deps";
import { lastSelfTests, type DriverSelfTest } from "./last-self-tests";
import { learnerFilter, type Viewer } from "./learner-scope";
import { loadAttempts, type AttemptRow } from "./load-attempts";
import { packAnalytics, type PackAnalytics } from "./pack-analytics";

export interface PackReport {
  slug: string;
  title: string;
  valid: boolean;
  variants: string[];
  analytics: PackAnalytics;
  selfTests: DriverSelfTest[];
  /** Newest first. */
  attempts: AttemptRow[];
}

/**
 * One pack's analytics from its learners' attempts, with the attempts themselves. A pack that no
 * longer validates still has its history; one the server does not know at all is not found.
 */
export async function packReport(deps: InstructorDeps, slug: string, viewer: Viewer): Promise<PackReport> {
  const loaded = deps.scenarios();
  const s = loaded.scenarios.find((x) => x.slug === slug);
  if (!s && !loaded.problems.some((p) => p.slug === slug)) throw new NotFoundError(`There is no pack "${slug}".`);
  const variants = s?.pack.variants.map((v) => v.id) ?? [];
  const [attempts, selfTests] = await Promise.all([loadAttempts(deps.db, { scenarioId: slug, ...(await learnerFilter(deps.db, viewer)) }), lastSelfTests(deps.db, [{ slug, variants }])]);
  return {
    slug,
    title: s?.pack.title ?? slug,
    valid: Boolean(s),
    variants,
    analytics: packAnalytics(attempts, s?.pack.checks ?? []),
    selfTests: selfTests.get(slug) ?? [],
    attempts,
  };
}
