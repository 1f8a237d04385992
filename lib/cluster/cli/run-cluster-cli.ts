import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { BreakfixError } from "@/lib/errors";
import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver } from "@/lib/cluster/select-driver";
import type { Cluster, ClusterDriver } from "@/lib/cluster/types";
import { parseClusterArgs } from "./parse-args";

const DEFAULT_NAME = "demo";

/** Where the CLI writes a cluster's kubeconfig for `KUBECONFIG=… kubectl`. */
export function kubeconfigPath(dataDir: string, driver: string, name: string): string {
  return path.join(dataDir, "kubeconfigs", `${driver}-${name}.yaml`);
}

async function mustAttach(driver: ClusterDriver, name: string): Promise<Cluster> {
  const cluster = await driver.attach(name);
  if (!cluster) {
    throw new BreakfixError("NOT_FOUND", `No ${driver.name} cluster named "${name}".`, {
      hint: `List them with: npm run cluster -- list --driver ${driver.name}`,
    });
  }
  return cluster;
}

/** npm run cluster -- up|down|list|status|exec|shell. Returns the exit code. */
export async function runClusterCli(argv: string[]): Promise<number> {
  const config = getConfig();
  let args;
  try {
    args = parseClusterArgs(argv);
  } catch (err) {
    if (err instanceof BreakfixError) {
      console.error(err.message + (err.hint ? `\n${err.hint}` : ""));
      return 2;
    }
    throw err;
  }
  try {
    const { driver, reason } = await selectDriver(args.driver ?? config.driver, driverFactories, { config });
    const name = args.name ?? DEFAULT_NAME;
    switch (args.command) {
      case "up": {
        console.error(`Creating ${driver.name} cluster "${name}" (${reason})…`);
        const cluster = await driver.create({ name, workers: args.workers ?? 1 });
        const file = kubeconfigPath(config.dataDir, driver.name, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, await cluster.kubeconfig(), { mode: 0o600 });
        const nodes = await cluster.nodes();
        console.log(`cluster: ${cluster.name} (${driver.name})`);
        console.log(`kubeconfig: ${file}`);
        console.log(`nodes: ${nodes.map((n) => `${n.name} (${n.role})`).join(", ")}`);
        console.log(`\nexport KUBECONFIG=${file}`);
        return 0;
      }
      case "down": {
        const cluster = await driver.attach(name);
        if (!cluster) {
          console.log(`No ${driver.name} cluster named "${name}"; nothing to do.`);
          return 0;
        }
        await cluster.destroy();
        fs.rmSync(kubeconfigPath(config.dataDir, driver.name, name), { force: true });
        // The ssh driver never deletes machines: destroy() only gives the cluster back.
        console.log(
          driver.name === "ssh"
            ? `Released ssh cluster "${name}" (its machines are left as they are).`
            : `Deleted ${driver.name} cluster "${name}".`,
        );
        return 0;
      }
      case "list": {
        for (const n of await driver.list()) console.log(n);
        return 0;
      }
      case "status": {
        const avail = await driver.available();
        console.log(`driver: ${driver.name} (${reason})`);
        console.log(`available: ${avail.ok ? "yes" : `no (missing: ${avail.missing.join(", ")})`}`);
        for (const d of avail.details ?? []) console.log(`  ${d}`);
        // An unavailable driver cannot list its clusters; status still reports, and exits 0.
        if (avail.ok) {
          const names = await driver.list();
          console.log(`clusters: ${names.length ? names.join(", ") : "(none)"}`);
        } else console.log("clusters: (cannot list while the driver is unavailable)");
        for (const line of (await driver.status?.()) ?? []) console.log(line);
        return 0;
      }
      case "exec": {
        if (!args.node) throw new BreakfixError("INPUT", "exec needs --node NODE.");
        if (!args.argv.length) throw new BreakfixError("INPUT", "exec needs a command after --.");
        const cluster = await mustAttach(driver, name);
        const r = await cluster.exec(args.node, args.argv);
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        return r.code;
      }
      case "shell": {
        if (!args.node) throw new BreakfixError("INPUT", "shell needs --node NODE.");
        const cluster = await mustAttach(driver, name);
        const spec = cluster.shell(args.node);
        return await new Promise<number>((resolve) => {
          // Next's types make NODE_ENV mandatory in ProcessEnv; a node shell gets exactly the driver's env.
          const env = spec.env as NodeJS.ProcessEnv;
          const child = spawn(spec.file, spec.args, { stdio: "inherit", env, cwd: spec.cwd });
          child.on("exit", (code) => resolve(code ?? 1));
        });
      }
    }
  } catch (err) {
    if (err instanceof BreakfixError) {
      console.error(err.message + (err.hint ? `\n${err.hint}` : ""));
      return 1;
    }
    throw err;
  }
}
