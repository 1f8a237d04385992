import { basePlan, defaultProcess, withMemoryLimit } from "./image-process";
import type { PlanInput, RunPlan } from "./run-plan";
import { runStatement } from "./run-statement";
import type { ScriptState } from "./script-state";
import { tokenizeScript, type ScriptStatement } from "./tokenize-script";

function runList(stmts: ScriptStatement[], st: ScriptState, input: PlanInput): void {
  let prevSep = ";";
  for (const s of stmts) {
    if (st.exit !== undefined || st.forever) return;
    const skip = (prevSep === "&&" && st.status !== 0) || (prevSep === "||" && st.status === 0);
    if (!skip) runStatement(s.words, st, input);
    prevSep = s.sep;
  }
}

export function interpretScript(script: string, input: PlanInput, plan: RunPlan): RunPlan {
  const stmts = tokenizeScript(script);
  const st: ScriptState = { t: 10, status: 0, vars: {}, files: { ...input.files }, steps: [] };
  // Find a `while true; do … done` loop: statements before it run once, its body forever.
  const wi = stmts.findIndex((s) => s.words[0] === "while");
  const before = wi >= 0 ? stmts.slice(0, wi) : stmts;
  runList(before, st, input);
  if (wi >= 0 && st.exit === undefined && !st.forever) {
    const cond = stmts[wi]!.words.slice(1);
    const doIdx = stmts.findIndex((s, i) => i > wi && s.words[0] === "do");
    const doneIdx = stmts.findIndex((s, i) => i > wi && s.words[0] === "done");
    const condTrue = cond.length === 0 ? false : ["true", ":"].includes(cond[0]!);
    if (condTrue && doIdx > wi && doneIdx > doIdx) {
      const body = [{ words: stmts[doIdx]!.words.slice(1), sep: stmts[doIdx]!.sep }, ...stmts.slice(doIdx + 1, doneIdx)].filter((s) => s.words.length);
      const loopSt: ScriptState = { ...st, t: 0, steps: [], files: { ...st.files } };
      runList(body, loopSt, input);
      plan.steps = st.steps;
      if (loopSt.bomb) {
        plan.exit = { at: st.t + (input.memoryLimitBytes ? 400 : 30_000), code: 137, reason: "OOMKilled" };
        return plan;
      }
      if (loopSt.exit !== undefined) {
        plan.steps = [...st.steps, ...loopSt.steps.map((s) => ({ ...s, at: s.at + st.t }))];
        plan.exit = { at: st.t + loopSt.t, code: loopSt.exit };
        return plan;
      }
      plan.loop = { period: Math.max(loopSt.t, 1000), steps: loopSt.steps };
      plan.files = st.files;
      return plan;
    }
    // Any other loop shape is treated as running forever without output.
    st.forever = true;
  }
  if (st.execDefault) {
    const d = defaultProcess(input, basePlan(input));
    d.steps = [...st.steps, ...d.steps.map((s) => ({ ...s, at: s.at + st.t }))];
    d.files = st.files;
    return d;
  }
  plan.steps = st.steps;
  plan.files = { ...input.files };
  if (st.forever) return withMemoryLimit(plan, input);
  plan.exit = { at: st.t + 5, code: st.exit ?? st.status };
  return withMemoryLimit(plan, input);
}
