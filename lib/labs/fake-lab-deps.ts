import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { Cluster, ClusterBaseline, ClusterDriver, ClusterSpec, ExecResult, NeedsInstructorMark, NodeRef, PersistentClusterCapability } from "@/lib/cluster/types";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario } from "@/lib/scenarios/define-scenario";
import type { LoadedScenario } from "@/lib/scenarios/load-scenarios";
import { applyMigrations } from "@/lib/server/migrate";
import type { GradeInput, GradeOutcome, LabContext, LabDeps } from "./lab-deps";

/**
 * Test doubles for lib/labs: a driver whose clusters are plain objects with a mutable "world"
 * (what the fake pack breaks and the learner fixes), a grader with the house scoring rule, and a
 * real migrated database (SQLite in a temp dir, or one the caller brings). Only tests import this file.
 */
export interface FakeWorld {
  imageOk: boolean;
  replicasOk: boolean;
}

export class FakeCluster implements Cluster {
  readonly driver = "sim" as const;
  destroyed = false;
  world: FakeWorld = { imageOk: true, replicasOk: true };
  /** What ctx.kubectl answers on this cluster; unset, the context has no kubectl. */
  kubectl?: (argv: string[]) => Promise<ExecResult>;
  constructor(readonly name: string, private readonly workers: number) {}
  async nodes(): Promise<NodeRef[]> {
    return [
      { name: `${this.name}-control-plane`, role: "control-plane" },
      ...Array.from({ length: this.workers }, (_, i) => ({ name: `${this.name}-worker${i ? i + 1 : ""}`, role: "worker" as const })),
    ];
  }
  async kubeconfig(): Promise<string> {
    return `fake kubeconfig for ${this.name}`;
  }
  async exec(): Promise<{ code: number; stdout: string; stderr: string }> {
    return { code: 0, stdout: "", stderr: "" };
  }
  shell(node: string) {
    return { file: "/bin/true", args: [node], env: {} };
  }
  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}

/** A FakeCluster that behaves like the ssh driver's: it outlives labs and can be marked. */
export class FakePersistentCluster extends FakeCluster implements PersistentClusterCapability {
  readonly persistent = true as const;
  mark: NeedsInstructorMark | null = null;
  needsInstructor() {
    return this.mark;
  }
  markNeedsInstructor(reason: string, context: Record<string, string> = {}) {
    this.mark = { cluster: this.name, reason, since: new Date().toISOString(), context };
    return this.mark;
  }
  saved: ClusterBaseline | null = null;
  baseline() {
    return this.saved;
  }
  saveBaseline(baseline: ClusterBaseline) {
    this.saved = baseline;
  }
  clearBaseline() {
    this.saved = null;
  }
}

export class FakeDriver implements ClusterDriver {
  readonly name = "sim" as const;
  readonly label = "Simulated cluster";
  readonly clusters = new Map<string, FakeCluster>();
  availability = { ok: true, missing: [] as string[] };
  /** Set to make create() wait until released. */
  gate: Promise<void> | null = null;
  async available() {
    return this.availability;
  }
  async create(spec: ClusterSpec): Promise<Cluster> {
    if (this.gate) await this.gate;
    const c = new FakeCluster(spec.name, spec.workers);
    this.clusters.set(spec.name, c);
    return c;
  }
  async attach(name: string): Promise<Cluster | null> {
    const c = this.clusters.get(name);
    return c && !c.destroyed ? c : null;
  }
  async list(): Promise<string[]> {
    return [...this.clusters.values()].filter((c) => !c.destroyed).map((c) => c.name);
  }
}

function worldOf(ctx: ScenarioContext): FakeWorld {
  return (ctx as FakeContext).world;
}

interface FakeContext extends LabContext {
  world: FakeWorld;
}

export const fakePack = defineScenario({
  id: "fake-pack",
  title: "Fake pack",
  summary: "A pack whose cluster is a plain object.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 10,
  cluster: { workers: 1 },
  variants: [
    { id: "image", title: "Bad image", failingAfterInject: ["image"] },
    { id: "both", title: "Bad image and replicas", failingAfterInject: ["image", "replicas"] },
  ],
  async setup() {},
  async inject(ctx, variant) {
    const w = worldOf(ctx);
    w.imageOk = false;
    if (variant.id === "both") w.replicasOk = false;
  },
  checks: [
    {
      id: "image",
      title: "The image pulls",
      points: 6,
      async run(ctx) {
        return worldOf(ctx).imageOk
          ? { ok: true, message: "The image pulls." }
          : { ok: false, message: "The pod cannot start.", detail: { actual: "ImagePullBackOff", expected: "Running" } };
      },
    },
    {
      id: "replicas",
      title: "Three replicas",
      points: 4,
      async run(ctx) {
        return worldOf(ctx).replicasOk ? { ok: true, message: "Three replicas." } : { ok: false, message: "Not enough replicas." };
      },
    },
  ],
  hints: [
    { text: "Look at the events.", cost: 2 },
    { text: "Check the image tag.", cost: 3 },
  ],
  async solve(ctx) {
    const w = worldOf(ctx);
    w.imageOk = true;
    w.replicasOk = true;
  },
});

export interface FakeLabDeps extends LabDeps {
  driverImpl: FakeDriver;
  closed: string[];
  clock: { now: Date };
  cleanup(): Promise<void>;
}

/**
 * `db`: a migrated database the caller owns (lib/testing/test-databases.ts, e.g. PostgreSQL);
 * without it the fakes make and remove a SQLite one of their own.
 */
export function createFakeLabDeps(opts: { failInject?: boolean; db?: PrismaClient } = {}): FakeLabDeps {
  let dir: string | undefined;
  let prisma: PrismaClient;
  if (opts.db) {
    prisma = opts.db;
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-labs-"));
    const url = `file:${path.join(dir, "labs.db")}`;
    applyMigrations(url);
    prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  }
  const driver = new FakeDriver();
  const closed: string[] = [];
  const clock = { now: new Date("2026-11-21T09:00:00Z") };
  const pack = opts.failInject
    ? { ...fakePack, inject: async () => Promise.reject(new Error("inject exploded")) }
    : fakePack;
  const scenario: LoadedScenario = { slug: pack.id, pack, brief: "# Fix it\nThe pod does not start.", solution: "# Solution\nFix the tag." };
  return {
    db: prisma,
    driverImpl: driver,
    closed,
    clock,
    driver: async () => driver,
    driverNamed: (name) => (name === "sim" ? driver : null),
    findScenario: (slug) => (slug === scenario.slug ? scenario : undefined),
    async createContext(cluster, o) {
      const fc = cluster as FakeCluster;
      const unused = (what: string) => () => {
        throw new Error(`${what} is not part of the fake context`);
      };
      const ctx: FakeContext = {
        world: fc.world,
        kubeconfig: o.kubeconfig ?? (await cluster.kubeconfig()),
        dispose: () => undefined,
        k8s: undefined as never,
        kubectl: fc.kubectl ?? unused("kubectl"),
        node: unused("node"),
        controlPlane: `${cluster.name}-control-plane`,
        workers: [],
        apply: unused("apply"),
        waitFor: unused("waitFor"),
        probe: { podRuns: unused("probe"), dns: unused("probe"), http: unused("probe") },
        clock: { timeScale: 1, now: () => new Date() },
        signal: o.signal,
        log: o.log,
      };
      return ctx;
    },
    async grade(input: GradeInput): Promise<GradeOutcome> {
      const results = [];
      for (const c of input.pack.checks) {
        const r = await c.run(input.ctx);
        results.push({ id: c.id, title: c.title, points: c.points, ok: r.ok, message: r.message, detail: r.detail, durationMs: 1 });
      }
      const maxScore = input.pack.checks.reduce((n, c) => n + c.points, 0);
      const earned = results.filter((r) => r.ok).reduce((n, r) => n + r.points, 0);
      const score = Math.max(0, earned - input.hintPenalty);
      const allPassed = results.every((r) => r.ok);
      const run = await prisma.checkRun.create({
        data: { labSessionId: input.labSessionId, durationMs: 2, score, maxScore, hintPenalty: input.hintPenalty, allPassed, results: JSON.stringify(results) },
      });
      return { checkRunId: run.id, score, maxScore, hintPenalty: input.hintPenalty, allPassed, results, durationMs: 2 };
    },
    async closeTerminals(id) {
      closed.push(id);
    },
    now: () => clock.now,
    pickVariant: (variants) => variants[0]!,
    idleLimitMs: 60 * 60_000,
    provisionTimeoutMs: 10_000,
    async cleanup() {
      if (!dir) return;
      await prisma.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
