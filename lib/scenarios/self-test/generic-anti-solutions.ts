import type { AntiSolution, ScenarioPack } from "../define-scenario";

/**
 * Wrong fixes every pack must survive, whatever its fault: what a learner does who does not know
 * what is wrong. The self-test applies each one after inject and watches it for the whole
 * anti-solution window; a variant that grades as fixed after one of them proves nothing.
 */
export function genericAntiSolutions(pack: ScenarioPack): AntiSolution[] {
  return [
    {
      id: "reset-only",
      title: "Reset the lab and do nothing else",
      // A reset brings the lab back to its injected state; inject on the same cluster is that state.
      apply: (ctx, variant) => pack.inject(ctx, variant),
    },
    {
      id: "restart-kubelet-only",
      title: "Restart the kubelet on every node and do nothing else",
      async apply(ctx) {
        for (const node of [ctx.controlPlane, ...ctx.workers]) {
          const r = await ctx.node(node).exec(["systemctl", "restart", "kubelet"], { timeoutMs: 60_000 });
          if (r.code !== 0) throw new Error(`systemctl restart kubelet on ${node} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
        }
      },
    },
  ];
}
