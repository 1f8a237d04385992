import { defineScenario } from "@/lib/scenarios/define-scenario";

const NS = "lab";

export default defineScenario({
  id: "hello-pod",
  title: "Hello, pod",
  summary: "Make a pod named web run nginx:1.27 in namespace lab. A warm-up that shows how labs are checked.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 5,
  cluster: { workers: 0 },
  // The learner's own pod has no tolerations: it needs a node without the control-plane taint.
  requires: { schedulableNodes: 1 },
  images: ["nginx:1.27"],
  variants: [{ id: "default", title: "Run a pod" }],
  async setup(ctx) {
    await ctx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
  },
  async inject() {
    // Nothing is broken: the task is to create something.
  },
  checks: [
    {
      id: "web-runs-nginx",
      title: "Pod web runs nginx:1.27 in namespace lab",
      points: 10,
      async run(ctx) {
        const r = await ctx.kubectl(["-n", NS, "get", "pod", "web", "-o", "json"]);
        if (r.code !== 0) {
          return {
            ok: false,
            message: "There is no pod named web in namespace lab yet.",
            detail: { actual: "no pod lab/web", expected: "pod lab/web, Running" },
          };
        }
        const pod = JSON.parse(r.stdout) as {
          spec?: { containers?: { image?: string }[] };
          status?: { phase?: string };
        };
        const images = (pod.spec?.containers ?? []).map((c) => c.image ?? "");
        const phase = pod.status?.phase ?? "Unknown";
        if (!images.includes("nginx:1.27")) {
          return {
            ok: false,
            message: "Pod web exists but does not run the image asked for.",
            detail: { actual: `image ${images.join(", ") || "(none)"}`, expected: "image nginx:1.27" },
          };
        }
        if (phase !== "Running") {
          return {
            ok: false,
            message: "Pod web has the right image but is not running yet.",
            detail: { actual: `phase ${phase}`, expected: "phase Running" },
          };
        }
        return { ok: true, message: "Pod web runs nginx:1.27." };
      },
    },
  ],
  hints: [
    { text: "`kubectl run --help` shows how to start a single pod from an image.", cost: 2 },
    { text: "Don't forget the namespace: `-n lab`.", cost: 3 },
  ],
  async solve(ctx) {
    const r = await ctx.kubectl(["-n", NS, "run", "web", "--image=nginx:1.27"]);
    if (r.code !== 0) throw new Error(`kubectl run failed: ${r.stderr.trim()}`);
    await ctx.waitFor(
      async () => {
        const g = await ctx.kubectl(["-n", NS, "get", "pod", "web", "-o", "jsonpath={.status.phase}"]);
        return g.stdout === "Running";
      },
      { timeoutMs: 60_000, what: "pod lab/web to be Running" },
    );
  },
});
