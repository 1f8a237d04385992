"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { ClusterPanel } from "@/components/cluster-panel/cluster-panel";
import { InstructorPanel } from "@/components/instructor/instructor-panel";
import type { InstructorPanelView } from "@/lib/instructor/instructor-panel";
import { TimelinePanel } from "@/components/lesson/timeline-panel";
import type { GradeOutcome } from "@/lib/labs/lab-deps";
import type { ProvisionProgress as Progress } from "@/lib/labs/lab-progress";
import type { HintView, LabView } from "@/lib/labs/lab-view";
import { CheckButton } from "./check-button";
import { CheckResults } from "./check-results";
import { HintDrawer } from "./hint-drawer";
import { labApi } from "./lab-api";
import { LabActions } from "./lab-actions";
import { LabTimer } from "./lab-timer";
import { MarkdownDoc } from "./markdown";
import { ProvisionProgress } from "./provision-progress";
import { TerminalArea } from "./terminal-area";

const LIVE = new Set(["provisioning", "ready", "checking"]);

/**
 * The page a learner lives in: brief and Check on one side, terminals and the live cluster on the
 * other. `instructor` (given only to an instructor who asked for it) adds the instructor panel.
 */
export function LabWorkspace({ initial, instructor }: { initial: LabView; instructor?: InstructorPanelView }) {
  const [view, setView] = useState(initial);
  const [provisionKey, setProvisionKey] = useState(0);

  const reload = useCallback(async () => {
    try {
      setView(await labApi<LabView>(`/api/labs/${initial.id}`, { method: "GET" }));
    } catch {
      // the next action shows the error; the page keeps what it has
    }
  }, [initial.id]);

  const onSettled = useCallback((_p: Progress) => void reload(), [reload]);

  const onChecked = (g: GradeOutcome) =>
    setView((v) => ({
      ...v,
      score: g.score,
      maxScore: g.maxScore,
      lastCheck: {
        id: g.checkRunId,
        createdAt: new Date().toISOString(),
        score: g.score,
        maxScore: g.maxScore,
        hintPenalty: g.hintPenalty,
        allPassed: g.allPassed,
        durationMs: g.durationMs,
        results: g.results,
      },
    }));

  const onRevealed = (h: HintView) =>
    setView((v) => {
      const hints = v.hints.map((x) => (x.index === h.index ? h : x));
      return { ...v, hints, hintPenalty: hints.filter((x) => x.revealed).reduce((n, x) => n + x.cost, 0) };
    });

  const onReset = () => {
    setView((v) => ({
      ...v,
      state: "provisioning",
      readyAt: null,
      nodes: [],
      progress: { ...v.progress, steps: v.progress.steps.map((s) => ({ ...s, status: "pending" })), error: undefined, done: false },
    }));
    setProvisionKey((k) => k + 1);
  };

  const provisioningFailed = view.state === "failed" && !view.readyAt;
  const preparing = view.state === "provisioning" || provisioningFailed;
  const ended = !LIVE.has(view.state) && !provisioningFailed;

  return (
    <div className="flex flex-col gap-4" data-testid="lab-workspace" data-state={view.state}>
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div>
          <h1 className="text-xl font-semibold">{view.scenario.title}</h1>
          <p className="text-xs text-slate-400">
            {view.scenario.domain} · {view.scenario.difficulty} ·{" "}
            <span data-testid="lab-driver" className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-300">
              {view.driverLabel}
            </span>
          </p>
        </div>
        {view.readyAt && <LabTimer since={view.readyAt} minutes={view.scenario.minutes} until={view.endedAt} />}
        {view.lastCheck && (
          <span className="text-sm text-slate-300" data-testid="lab-score">
            Score {view.score} / {view.maxScore}
          </span>
        )}
        {view.hintPenalty > 0 && <span className="text-xs text-slate-400">hints −{view.hintPenalty}</span>}
        <div className="ml-auto">
          {!ended && !preparing && <LabActions labId={view.id} canReset={view.state === "ready"} onReset={onReset} />}
        </div>
      </header>

      {instructor && <InstructorPanel labId={view.id} view={instructor} canCheck={view.state === "ready" || view.state === "checking"} />}

      {ended && (
        <div role="status" className="rounded border border-slate-700 bg-slate-900 px-4 py-3 text-sm">
          This lab has ended ({view.state}).{view.failure ? ` ${view.failure.message}` : ""}{view.failure?.hint ? ` ${view.failure.hint}` : ""}{" "}
          <Link className="text-amber-300 underline" href={`/labs/${view.id}/results`}>
            See the results
          </Link>
          .
        </div>
      )}

      {preparing && (
        <div className="flex flex-col gap-3">
          <ProvisionProgress key={provisionKey} labId={view.id} initial={view.progress} onSettled={onSettled} />
          {provisioningFailed && (
            <div className="flex gap-3 text-sm">
              <LabActions labId={view.id} canReset onReset={onReset} />
              <Link href="/" className="self-start rounded border border-slate-700 px-3 py-1.5 hover:border-slate-500">
                Back to the catalogue
              </Link>
            </div>
          )}
          <details className="max-w-xl rounded border border-slate-800 bg-slate-900 px-4 py-2 text-sm">
            <summary className="cursor-pointer text-slate-300">Read the brief while you wait</summary>
            <MarkdownDoc text={view.brief} label="Brief" />
          </details>
        </div>
      )}

      {!ended && !preparing && (
        <div className="grid gap-4 lg:grid-cols-[minmax(320px,2fr)_3fr]">
          <div className="flex flex-col gap-4 min-w-0">
            <section className="rounded-lg border border-slate-800 bg-slate-900 p-4 max-h-[55vh] overflow-y-auto">
              <MarkdownDoc text={view.brief} label="Brief" />
            </section>
            <CheckButton labId={view.id} onChecked={onChecked} />
            {view.lastCheck && <CheckResults run={view.lastCheck} />}
            <HintDrawer labId={view.id} hints={view.hints} onRevealed={onRevealed} />
          </div>
          <div className="flex flex-col gap-4 min-w-0">
            <TerminalArea labId={view.id} nodes={view.nodes} />
            <div className="grid gap-4 xl:grid-cols-2">
              <ClusterPanel labId={view.id} />
              <TimelinePanel labId={view.id} />
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
