import { getConfig } from "@/lib/config";
import { runSshClusterCli } from "@/lib/cluster/ssh/ssh-cluster-cli";

runSshClusterCli(process.argv.slice(2), getConfig()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
