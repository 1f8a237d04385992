import { runClusterCli } from "@/lib/cluster/cli/run-cluster-cli";

runClusterCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
