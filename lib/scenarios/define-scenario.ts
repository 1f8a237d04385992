import { z } from "zod";
import type { CheckResult, ScenarioContext } from "./context";

export const DOMAINS = ["control-plane", "data-plane", "workloads", "networking", "storage"] as const;
export const DIFFICULTIES = ["easy", "medium", "hard"] as const;

export type Domain = (typeof DOMAINS)[number];
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface Variant {
  id: string;
  title: string;
  /**
   * Check ids that must fail right after inject for this variant (self-test step 3). Overrides
   * the pack's `failingAfterInject`; when both are absent, every check must fail.
   */
  failingAfterInject?: string[];
}

/** CNIs a pack can ask for. "any" (or absent) means the pack does not care. */
export const CNIS = ["kindnet", "any"] as const;
export type CniRequirement = (typeof CNIS)[number];

/**
 * What a pack needs from a cluster it did not create (an attached ssh cluster, `--cluster`).
 * A cluster that does not meet it reports the pack as "not applicable here", never failed.
 */
export interface Requirements {
  /** Minimum number of worker nodes. */
  workers?: number;
  cni?: CniRequirement;
  /**
   * Minimum number of nodes that take a pod without tolerations (no NoSchedule/NoExecute taint
   * a cluster keeps on purpose, not cordoned). For a pack whose learner creates the workload:
   * a one-node kubeadm cluster may keep the control-plane taint, where such a pod stays Pending.
   */
  schedulableNodes?: number;
}

export interface Check {
  id: string;
  title: string;
  points: number;
  /** Seconds the check must keep passing (e.g. a static pod must not restart). 0 = instant. */
  holdSeconds?: number;
  /** Per-check timeout for grading. */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<CheckResult>;
}

export interface Hint {
  text: string;
  cost: number;
}

/** A plausible wrong fix. After it, the checks must still not all pass. */
export interface AntiSolution {
  id: string;
  title: string;
  /** Variants it applies to; all when absent. */
  variants?: string[];
  apply(ctx: ScenarioContext, variant: Variant): Promise<void>;
  /**
   * Undoes what apply() did that inject() cannot redo (a deleted object, a moved data dir), so
   * that the self-test can return to the injected state by running inject() again.
   */
  revert?(ctx: ScenarioContext, variant: Variant): Promise<void>;
}

export interface ScenarioPack {
  id: string;
  title: string;
  summary: string;
  domain: Domain;
  difficulty: Difficulty;
  minutes: number;
  cluster: { workers: number };
  /** What the pack needs from an existing cluster; see Requirements. */
  requires?: Requirements;
  /**
   * How long the self-test gives the cluster to settle after inject, an anti-solution or
   * solve() before it calls the result (default 120 s).
   */
  settleMs?: number;
  /**
   * Images the nodes need before setup runs: kind loads them into every node, and
   * `npm run kind:prepull` pulls them on the host while it is online. So each must be pullable
   * from a public registry with a fixed tag; an image that setup pushes into a registry inside
   * the lab does not belong here (the image it is made from does).
   */
  images?: string[];
  variants: Variant[];
  setup(ctx: ScenarioContext): Promise<void>;
  inject(ctx: ScenarioContext, variant: Variant): Promise<void>;
  checks: Check[];
  /**
   * Check ids that must fail right after inject (the self-test's step 3). When absent, every
   * check must fail.
   */
  failingAfterInject?: string[];
  hints: Hint[];
  solve(ctx: ScenarioContext, variant: Variant): Promise<void>;
  antiSolutions?: AntiSolution[];
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { message: `must be a function (${what})` });

/**
 * Why the host cannot pull `image` once and keep it (kind:prepull, `kind load`), if it cannot: a
 * registry host that only exists inside a lab (localhost, an IP, a cluster DNS name), or no fixed
 * tag (`:latest` or none, which also makes the kubelet pull every time).
 */
export function prepullProblem(image: string): string | null {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const first = name.split("/")[0] ?? "";
  const hasHost = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first.replace(/:\d+$/, "") : "docker.io";
  if (host === "localhost" || /^\d+\.\d+\.\d+\.\d+$/.test(host) || /\.(svc|cluster\.local|local)$/.test(host)) {
    return `"${image}" is in a registry that exists only inside a lab (${first}); list the image it is made from, and push it from setup`;
  }
  const last = name.slice(name.lastIndexOf("/") + 1);
  if (at < 0 && (!last.includes(":") || last.endsWith(":latest"))) return `"${image}" has no fixed tag; pin one (":latest" also makes the kubelet pull at every start)`;
  return null;
}

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case: lower-case letters, digits and dashes");

export const scenarioSchema = z
  .object({
    // "lesson-…" ids belong to lessons (lib/lessons/define-lesson.ts): a session's scenarioId names one or the other.
    id: slug.refine((id) => !id.startsWith("lesson-"), { message: 'must not start with "lesson-": that prefix is for lessons (lessons/)' }),
    title: z.string().min(3),
    summary: z.string().min(10),
    domain: z.enum(DOMAINS),
    difficulty: z.enum(DIFFICULTIES),
    minutes: z.number().int().min(1).max(240),
    cluster: z.object({ workers: z.number().int().min(0).max(5) }).strict(),
    requires: z
      .object({
        workers: z.number().int().min(0).max(5).optional(),
        cni: z.enum(CNIS).optional(),
        schedulableNodes: z.number().int().min(1).max(6).optional(),
      })
      .strict()
      .optional(),
    settleMs: z.number().int().min(1_000).max(900_000).optional(),
    images: z
      .array(
        z
          .string()
          .min(1)
          .superRefine((image, c) => {
            const problem = prepullProblem(image);
            if (problem) c.addIssue({ code: "custom", message: problem });
          }),
      )
      .optional(),
    variants: z
      .array(z.object({ id: slug, title: z.string().min(3), failingAfterInject: z.array(slug).optional() }).strict())
      .min(1),
    setup: fn("setup(ctx)"),
    inject: fn("inject(ctx, variant)"),
    checks: z
      .array(
        z.object({
          id: slug,
          title: z.string().min(3),
          points: z.number().int().min(1),
          holdSeconds: z.number().min(0).max(600).optional(),
          timeoutMs: z.number().int().min(100).max(600_000).optional(),
          run: fn("run(ctx)"),
        }).strict(),
      )
      .min(1),
    failingAfterInject: z.array(slug).optional(),
    hints: z.array(z.object({ text: z.string().min(5), cost: z.number().int().min(0) }).strict()),
    solve: fn("solve(ctx, variant)"),
    antiSolutions: z
      .array(
        z.object({
          id: slug,
          title: z.string().min(3),
          variants: z.array(slug).optional(),
          apply: fn("apply(ctx, variant)"),
          revert: fn("revert(ctx, variant)").optional(),
        }).strict(),
      )
      .optional(),
  })
  // Unknown keys are errors, at every level: a misspelt `failingAfterInjet` would otherwise be
  // dropped silently and the pack would test something else than its author meant.
  .strict()
  .superRefine((pack, ctx) => {
    const dup = (ids: string[], field: string) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: "custom", path: [field, i, "id"], message: `duplicate id "${id}"` });
        seen.add(id);
      });
    };
    dup(pack.variants.map((v) => v.id), "variants");
    dup(pack.checks.map((c) => c.id), "checks");
    const checkIds = new Set(pack.checks.map((c) => c.id));
    pack.failingAfterInject?.forEach((id, i) => {
      if (!checkIds.has(id))
        ctx.addIssue({ code: "custom", path: ["failingAfterInject", i], message: `no check has id "${id}"` });
    });
    pack.variants.forEach((v, i) =>
      v.failingAfterInject?.forEach((id, j) => {
        if (!checkIds.has(id))
          ctx.addIssue({ code: "custom", path: ["variants", i, "failingAfterInject", j], message: `no check has id "${id}"` });
      }),
    );
    const variantIds = new Set(pack.variants.map((v) => v.id));
    pack.antiSolutions?.forEach((a, i) =>
      a.variants?.forEach((v, j) => {
        if (!variantIds.has(v))
          ctx.addIssue({ code: "custom", path: ["antiSolutions", i, "variants", j], message: `no variant has id "${v}"` });
      }),
    );
  });

/**
 * Declares a scenario pack. It only types the object: validation happens when the loader reads
 * the pack, so a broken pack is reported with its file and field and never crashes the server.
 *
 * @example
 * export default defineScenario({
 *   id: "hello-pod", title: "Hello, pod", summary: "Run a pod.", domain: "workloads",
 *   difficulty: "easy", minutes: 5, cluster: { workers: 0 },
 *   variants: [{ id: "default", title: "Default" }],
 *   async setup(ctx) {}, async inject(ctx) {},
 *   checks: [{ id: "runs", title: "web runs", points: 10, async run(ctx) { ... } }],
 *   hints: [{ text: "kubectl run --help", cost: 1 }],
 *   async solve(ctx) { await ctx.kubectl(["-n", "lab", "run", "web", "--image=nginx:1.27"]); },
 * });
 */
export function defineScenario(pack: ScenarioPack): ScenarioPack {
  return pack;
}
