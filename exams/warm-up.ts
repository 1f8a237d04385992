import { defineExam } from "@/lib/exams/define-exam";

export default defineExam({
  id: "warm-up",
  title: "Warm-up exam",
  summary: "Three short tasks against one clock: a workload to create, a workload to repair, and one control-plane fault.",
  minutes: 30,
  passPercent: 66,
  modes: ["exam", "timed", "practice"],
  seed: { policy: "random" },
  tasks: [
    { scenario: "hello-pod", weight: 25 },
    { scenario: "image-pull-backoff", weight: 35 },
    { draw: { domain: "control-plane", difficulty: "medium", count: 1 }, weight: 40 },
  ],
});
