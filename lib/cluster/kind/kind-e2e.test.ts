import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pty from "node-pty";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { loadScenarios } from "@/lib/scenarios/load-scenarios";
import { registry } from "@/scenarios/index";
import { createKindDriver, newKindRuntime } from "./kind-driver";
import type { KindCluster } from "./kind-cluster";

/**
 * The real end-to-end suite: real Docker, real kind, real nodes. Opt in with BREAKFIX_E2E_KIND=1
 * (`npm run test:e2e:kind`). Without the opt-in, or without a usable Docker/kind, every test here
 * is reported as skipped with the reason; it never counts as a pass.
 */
const REPO = path.resolve(import.meta.dirname, "../../..");
// Created by the driver only when the suite runs; removed afterwards.
const dataDir = path.join(os.tmpdir(), `breakfix-kind-e2e-${process.pid}-${randomBytes(3).toString("hex")}`);
const config = parseConfig({ ...process.env, BREAKFIX_DATA_DIR: dataDir, BREAKFIX_KIND_POOL_SIZE: "0" }, REPO);
const driver = createKindDriver({ config }, { runtime: newKindRuntime() });

async function skipReason(): Promise<string | null> {
  if (process.env.BREAKFIX_E2E_KIND !== "1") return "BREAKFIX_E2E_KIND is not 1 (run: npm run test:e2e:kind)";
  const a = await driver.available();
  if (!a.ok) return `kind is not usable here: missing ${a.missing.join(", ")} — ${(a.details ?? []).join(" | ")}`;
  return null;
}
const reason = await skipReason();
if (reason) console.warn(`[kind e2e] SKIPPED: ${reason}`);

/** Every pack of the registry and its variants: each variant's self-test is one test below. */
const { scenarios, problems } = loadScenarios(registry, path.join(REPO, "scenarios"));
const selfTests = scenarios.flatMap((s) => s.pack.variants.map((v) => ({ slug: s.pack.id, variant: v.id })));

/** `npm run scenario:test -- <slug> --driver kind --variant <v>`, printing as it goes; resolves to its exit code. */
function selfTest(slug: string, variant: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const p = spawn("npm", ["run", "scenario:test", "--", slug, "--driver", "kind", "--variant", variant], {
      cwd: REPO,
      stdio: "inherit",
      env: { ...process.env, BREAKFIX_DATA_DIR: dataDir, BREAKFIX_KIND_POOL_SIZE: "0" },
    });
    p.on("close", (c) => resolve(c ?? 1));
  });
}

const name = `e2e-${randomBytes(2).toString("hex")}`;
let cluster: KindCluster | undefined;

afterAll(async () => {
  try {
    if (cluster) await cluster.destroy();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 300_000);

/** Runs a node shell the way the terminal server does (node-pty), types a command, returns what it printed. */
function runInTerminal(c: KindCluster, node: string, line: string, timeoutMs = 60_000): Promise<string> {
  const spec = c.shell(node);
  return new Promise((resolve, reject) => {
    const term = pty.spawn(spec.file, spec.args, { name: "xterm-256color", cols: 250, rows: 30, env: spec.env, cwd: spec.cwd ?? os.homedir() });
    let out = "";
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`terminal on ${node}: no end marker within ${timeoutMs / 1000} s; got: ${out.slice(-500)}`));
    }, timeoutMs);
    term.onData((d) => {
      out += d;
      // The shell computes the marker, so the echo of the typed line never matches it.
      if (out.includes("__E2E_42__")) {
        clearTimeout(timer);
        term.write("exit\r");
        resolve(out);
      }
    });
    term.onExit(() => clearTimeout(timer));
    term.write(`${line}; echo __E2E_$((40+2))__\r`);
  });
}

describe.skipIf(reason !== null)(`kind driver end to end${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("creates a 1 + 1 cluster with the pinned image, every node Ready", async () => {
    cluster = await driver.create({ name, workers: 1 });
    const nodes = await cluster.nodes();
    expect(nodes).toEqual([
      { name: `breakfix-${name}-control-plane`, role: "control-plane" },
      { name: `breakfix-${name}-worker`, role: "worker" },
    ]);
    expect(await driver.list()).toContain(`breakfix-${name}`);
    const kubeconfig = path.join(dataDir, "e2e.kubeconfig");
    fs.writeFileSync(kubeconfig, await cluster.kubeconfig(), { mode: 0o600 });
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn("kubectl", ["--kubeconfig", kubeconfig, "get", "nodes", "--no-headers"], { stdio: ["ignore", "pipe", "inherit"] });
      let s = "";
      p.stdout.on("data", (d: Buffer) => (s += d.toString()));
      p.on("close", (code) => (code === 0 ? resolve(s) : reject(new Error(`kubectl exited ${code}`))));
    });
    expect(out.match(/ Ready /g)).toHaveLength(2);
  }, 900_000);

  it("has the real node internals the packs rely on, and kubectl on every node", async () => {
    const c = cluster!;
    for (const node of await c.nodes()) {
      const k = await c.exec(node.name, ["kubectl", "get", "nodes", "-o", "name"]);
      expect(k.stderr).toBe("");
      expect(k.code).toBe(0);
      expect(k.stdout).toContain(`node/breakfix-${name}-worker`);
      expect((await c.exec(node.name, ["systemctl", "is-active", "kubelet"])).stdout.trim()).toBe("active");
      expect((await c.exec(node.name, ["crictl", "ps", "-o", "json"])).code).toBe(0);
      expect((await c.exec(node.name, ["test", "-s", "/etc/cni/net.d/10-kindnet.conflist"])).code).toBe(0);
    }
    const cp = `breakfix-${name}-control-plane`;
    expect((await c.exec(cp, ["ls", "/etc/kubernetes/manifests"])).stdout.split("\n").filter(Boolean).sort()).toEqual(
      ["etcd.yaml", "kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml"],
    );
    expect((await c.exec(cp, ["test", "-f", "/etc/kubernetes/pki/ca.crt"])).code).toBe(0);
  }, 300_000);

  it("opens a terminal on each node where bash, kubectl and the editor work", async () => {
    const c = cluster!;
    for (const node of await c.nodes()) {
      const out = await runInTerminal(c, node.name, "echo TERM=$TERM; kubectl get nodes --no-headers | wc -l; command -v vi less || echo NO-EDITOR");
      expect(out).toContain("TERM=xterm-256color");
      expect(out).toMatch(/\r?\n2\r?\n/);
      if (out.includes("NO-EDITOR")) console.warn(`[kind e2e] ${node.name}: no editor (the node tools could not be installed; no network?)`);
    }
  }, 300_000);

  it("loads every pack of the registry without problems", () => {
    expect(problems).toEqual([]);
    expect(scenarios.map((s) => s.pack.id).sort()).toEqual(registry.map((e) => e.slug).sort());
  });

  for (const t of selfTests) {
    it(`proves ${t.slug} / ${t.variant} on kind (npm run scenario:test -- ${t.slug} --driver kind --variant ${t.variant})`, async () => {
      expect(await selfTest(t.slug, t.variant)).toBe(0);
    }, 3600_000);
  }

  it("destroys the cluster and kind no longer lists it", async () => {
    await cluster!.destroy();
    cluster = undefined;
    expect(await driver.list()).not.toContain(`breakfix-${name}`);
  }, 300_000);
});
