import { setMaxListeners } from "node:events";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver } from "@/lib/cluster/select-driver";
import type { Cluster, ClusterDriver } from "@/lib/cluster/types";
import { BreakfixError } from "@/lib/errors";
import { registry } from "@/scenarios/index";
import { checkRequirements, clusterFacts, type ClusterFacts } from "../cluster-facts";
import { createScenarioContext } from "../create-scenario-context";
import { formatProblem, loadScenarios, type LoadedScenario } from "../load-scenarios";
import { formatSelfTestTable, type SelfTestRow } from "./format-self-test-table";
import { parseScenarioTestArgs, USAGE } from "./parse-scenario-test-args";
import { runVariantSelfTest } from "./run-self-test";

function say(line: string) {
  console.error(line);
}

/** A short cluster name per variant, valid for kind (DNS label, short enough for node names). */
export function selfTestClusterName(slug: string, variantIndex: number): string {
  return `st-${slug}`.slice(0, 28).replace(/-+$/, "") + `-${variantIndex + 1}`;
}

async function testVariants(
  scenario: LoadedScenario,
  variantFilter: string | undefined,
  driver: ClusterDriver,
  attached: { cluster: Cluster; facts: ClusterFacts } | undefined,
  keep: boolean,
  signal: AbortSignal,
): Promise<SelfTestRow[]> {
  const { pack } = scenario;
  const rows: SelfTestRow[] = [];
  const variants = pack.variants.filter((v) => !variantFilter || v.id === variantFilter);
  if (attached) {
    const fit = checkRequirements(pack.requires, attached.facts);
    if (!fit.applicable) return variants.map((v) => ({ kind: "not-applicable", slug: pack.id, variant: v.id, reason: fit.reason }));
  }
  for (const variant of variants) {
    if (signal.aborted) break;
    const index = pack.variants.indexOf(variant);
    say(`\n▶ ${pack.id} / ${variant.id} — ${variant.title}`);
    let cluster = attached?.cluster;
    const t0 = Date.now();
    try {
      if (!cluster) {
        const name = selfTestClusterName(pack.id, index);
        say(`  creating ${driver.name} cluster ${name} (${pack.cluster.workers} worker(s))…`);
        cluster = await driver.create({ name, workers: pack.cluster.workers });
        const fit = checkRequirements(pack.requires, await clusterFacts(cluster, { waitForCniMs: pack.requires?.cni ? 120_000 : 0 }));
        if (!fit.applicable) {
          rows.push({ kind: "not-applicable", slug: pack.id, variant: variant.id, reason: fit.reason });
          continue;
        }
        if (pack.images?.length && cluster.preloadImages) {
          const report = await cluster.preloadImages(pack.images, { signal });
          for (const m of report.missing) say(`  image ${m.image} not available: ${m.reason}`);
        }
        say(`  cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      const ctx = await createScenarioContext(cluster, { signal, log: (m) => say(`    ${m}`) });
      try {
        const result = await runVariantSelfTest(pack, variant, ctx, { signal, log: say });
        rows.push({ kind: "ran", result });
      } finally {
        ctx.dispose();
      }
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      say(`  ✘ cluster: ${detail}`);
      rows.push({
        kind: "ran",
        result: { slug: pack.id, variant: variant.id, ok: false, ms: Date.now() - t0, steps: [{ step: "setup", ok: false, ms: Date.now() - t0, detail: `no cluster: ${detail}` }] },
      });
    } finally {
      if (cluster && !attached) {
        if (keep) say(`  kept cluster ${cluster.name}`);
        else await cluster.destroy().catch((e: unknown) => say(`  could not delete cluster ${cluster?.name}: ${String(e)}`));
      }
    }
  }
  return rows;
}

/**
 * `npm run scenario:test -- <slug|all> [--driver sim|kind|ssh] [--variant v] [--cluster name]`:
 * proves each pack on a cluster (one fresh cluster per variant, or an existing one with
 * --cluster), prints the table and returns the exit code (0 only when every variant that applies
 * here passed).
 */
export async function runScenarioTestCli(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseScenarioTestArgs(argv);
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(`${err.message}\n${err.hint ?? USAGE}`);
      return 2;
    }
    throw err;
  }
  const loaded = loadScenarios(registry, path.join(process.cwd(), "scenarios"));
  for (const p of loaded.problems) say(`✘ ${formatProblem(p)}`);
  const packs = loaded.scenarios.filter((s) => args.target === "all" || s.slug === args.target);
  if (!packs.length) {
    say(`No valid pack named "${args.target}". Known: ${loaded.scenarios.map((s) => s.slug).join(", ")}`);
    return 2;
  }
  if (args.variant && !packs[0]!.pack.variants.some((v) => v.id === args.variant)) {
    say(`${packs[0]!.slug} has no variant "${args.variant}". Variants: ${packs[0]!.pack.variants.map((v) => v.id).join(", ")}`);
    return 2;
  }
  const config = getConfig();
  const controller = new AbortController();
  // Checks run in parallel, each kubectl and wait listening on this one signal.
  setMaxListeners(200, controller.signal);
  const onSigint = () => {
    say("\ninterrupted: cleaning up…");
    controller.abort(new Error("interrupted"));
  };
  process.once("SIGINT", onSigint);
  try {
    const { driver, reason } = await selectDriver(args.driver ?? config.driver, driverFactories, { config });
    say(`driver: ${driver.name} (${reason})`);
    let attached: { cluster: Cluster; facts: ClusterFacts } | undefined;
    if (args.cluster) {
      const cluster = await driver.attach(args.cluster);
      if (!cluster) {
        say(`No ${driver.name} cluster named "${args.cluster}".`);
        return 1;
      }
      const facts = await clusterFacts(cluster, { waitForCniMs: 10_000 });
      say(`attached to ${args.cluster}: ${facts.workers} worker(s), CNI ${facts.cni}`);
      attached = { cluster, facts };
    }
    const rows: SelfTestRow[] = [];
    for (const s of packs) rows.push(...(await testVariants(s, args.variant, driver, attached, args.keep, controller.signal)));
    console.log(`\n${formatSelfTestTable(rows)}`);
    const failed = rows.some((r) => r.kind === "ran" && !r.result.ok);
    return failed || loaded.problems.length ? 1 : 0;
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(err.message + (err.hint ? `\n${err.hint}` : ""));
      return 1;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
