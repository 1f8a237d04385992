import { runScenarioTestCli } from "@/lib/packs/run-scenario-test-cli";

// npm run scenario:test -- <slug|all> [--driver sim|kind|ssh] [--variant v] [--cluster name] [--keep]
runScenarioTestCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
