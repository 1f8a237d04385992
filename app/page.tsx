import { LessonCard } from "@/components/catalogue/lesson-card";
import { ScenarioCard } from "@/components/catalogue/scenario-card";
import { getCatalogueStatus } from "@/lib/labs/catalogue-status";
import { services } from "@/lib/server/services";
import { DOMAINS } from "@/lib/scenarios/define-scenario";
import { getLessons, lessonCatalogue } from "@/lib/lessons/registry";
import { catalogue, getScenarios } from "@/lib/packs/registry";
import { pageUser } from "./_lib/page-user";

// The catalogue reads the registry and the learner's labs at request time.
export const dynamic = "force-dynamic";

const DOMAIN_TITLES: Record<string, string> = {
  "control-plane": "Control plane",
  "data-plane": "Nodes and data plane",
  workloads: "Workloads",
  networking: "Networking",
  storage: "Storage",
};

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const entries = catalogue();
  const lessons = lessonCatalogue();
  // A broken lesson is reported beside the broken packs: scenario:validate lists both.
  const problems = [...getScenarios().problems, ...getLessons().problems];
  const user = await pageUser();
  const status = await getCatalogueStatus(services().labs, user.id);
  // ?scenario=<slug>&variant=<id> practises one specific fault (instructors, tests).
  const sp = await searchParams;
  const pinned = typeof sp.scenario === "string" && typeof sp.variant === "string" ? { scenario: sp.scenario, variant: sp.variant } : null;
  const groups = DOMAINS.map((d) => ({ domain: d, items: entries.filter((e) => e.domain === d) })).filter((g) => g.items.length > 0);
  return (
    <div className="mx-auto max-w-6xl flex flex-col gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Scenarios</h1>
        <p className="text-slate-400 mt-1">
          Each lab hands you a broken cluster. Diagnose it with the real tools, fix it, and press Check.
        </p>
      </section>
      {entries.length === 0 ? (
        <p className="text-slate-400">No scenario packs are loaded.</p>
      ) : (
        <section aria-label="Scenario catalogue" className="flex flex-col gap-8">
          {groups.map((g) => (
            <section key={g.domain} aria-labelledby={`domain-${g.domain}`}>
              <h2 id={`domain-${g.domain}`} className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-400">
                {DOMAIN_TITLES[g.domain] ?? g.domain}
              </h2>
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 items-start">
                {g.items.map((e) => (
                  <ScenarioCard
                    key={e.slug}
                    entry={e}
                    status={status.get(e.slug)}
                    variant={pinned?.scenario === e.slug ? pinned.variant : undefined}
                  />
                ))}
              </div>
            </section>
          ))}
        </section>
      )}
      {lessons.length > 0 && (
        <section aria-labelledby="lessons" className="flex flex-col gap-3">
          <div>
            <h2 id="lessons" className="text-2xl font-semibold">
              Lessons
            </h2>
            <p className="text-slate-400 mt-1">Guided steps on a healthy cluster: type each command and watch what every component does.</p>
          </div>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 items-start">
            {lessons.map((l) => (
              <LessonCard key={l.slug} entry={l} status={status.get(l.slug)} />
            ))}
          </div>
        </section>
      )}
      {problems.length > 0 && (
        <p role="status" className="text-sm text-amber-400">
          {problems.length} scenario pack or lesson problem{problems.length === 1 ? "" : "s"} — run{" "}
          <code>npm run scenario:validate</code> for details.
        </p>
      )}
    </div>
  );
}
