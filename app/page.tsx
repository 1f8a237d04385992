import { ScenarioCard } from "@/components/catalogue/scenario-card";
import { catalogue, getScenarios } from "@/lib/scenarios/registry";

// The catalogue reads the registry at request time (packs are files, not build output).
export const dynamic = "force-dynamic";

export default function HomePage() {
  const entries = catalogue();
  const { problems } = getScenarios();
  return (
    <div className="flex flex-col gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Scenarios</h1>
        <p className="text-slate-400 mt-1">
          Each lab hands you a broken cluster. Diagnose it with the real tools, fix it, and press Check.
        </p>
      </section>
      {entries.length === 0 ? (
        <p className="text-slate-400">No scenario packs are loaded.</p>
      ) : (
        <section aria-label="Scenario catalogue" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {entries.map((e) => (
            <ScenarioCard key={e.slug} entry={e} />
          ))}
        </section>
      )}
      {problems.length > 0 && (
        <p role="status" className="text-sm text-amber-400">
          {problems.length} scenario pack problem{problems.length === 1 ? "" : "s"} — run{" "}
          <code>npm run scenario:validate</code> for details.
        </p>
      )}
    </div>
  );
}
