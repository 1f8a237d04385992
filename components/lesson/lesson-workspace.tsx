"use client";

import { LessonTimeline } from "./timeline";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabActions } from "@/components/lab/lab-actions";
import { LabApiError, labApi } from "@/components/lab/lab-api";
import { ProvisionProgress } from "@/components/lab/provision-progress";
import { TerminalArea } from "@/components/lab/terminal-area";
import type { LessonProgress } from "@/lib/lessons/get-lesson-progress";
import type { LabView } from "@/lib/labs/lab-view";
import { LessonSteps, type LessonStepInfo } from "./lesson-steps";

export interface LessonInfo {
  slug: string;
  title: string;
  summary: string;
  minutes: number;
  steps: LessonStepInfo[];
}

const LIVE = new Set(["provisioning", "ready", "checking"]);

/**
 * A lesson's page: its steps on one side and, once started, the lab's terminals on the other.
 * The lab is an ordinary lab session (provisioning, terminals, expiry, history); only the steps
 * and their progress are the lesson's own.
 */
export function LessonWorkspace({ lesson, initial }: { lesson: LessonInfo; initial: LabView | null }) {
  const router = useRouter();
  const [view, setView] = useState<LabView | null>(initial);
  const [provisionKey, setProvisionKey] = useState(0);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const [complete, setComplete] = useState(false);

  const reload = useCallback(async (id: string) => {
    try {
      setView(await labApi<LabView>(`/api/labs/${id}`, { method: "GET" }));
    } catch {
      // the next action shows the error; the page keeps what it has
    }
  }, []);

  async function start() {
    setStarting(true);
    setError(null);
    try {
      const r = await labApi<{ id: string }>("/api/labs", { body: { scenario: lesson.slug } });
      await reload(r.id);
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The lesson could not be started." });
    } finally {
      setStarting(false);
    }
  }

  const onProgress = useCallback((p: LessonProgress) => setComplete(p.complete), []);

  const onReset = () => {
    setView((v) =>
      v && {
        ...v,
        state: "provisioning",
        readyAt: null,
        nodes: [],
        progress: { ...v.progress, steps: v.progress.steps.map((s) => ({ ...s, status: "pending" })), error: undefined, done: false },
      },
    );
    setProvisionKey((k) => k + 1);
  };

  const provisioningFailed = view?.state === "failed" && !view.readyAt;
  const preparing = view?.state === "provisioning" || provisioningFailed;
  const ended = view !== null && !LIVE.has(view.state) && !provisioningFailed;
  const working = view !== null && !ended && !preparing;

  return (
    <div className="flex flex-col gap-4" data-testid="lesson-workspace" data-state={view?.state ?? "not-started"}>
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div>
          <p className="text-xs uppercase tracking-wide text-slate-400">Lesson</p>
          <h1 className="text-xl font-semibold">{lesson.title}</h1>
          <p className="text-xs text-slate-400">
            {lesson.steps.length} steps · {lesson.minutes} min
            {view && (
              <>
                {" · "}
                <span data-testid="lab-driver" className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-300">
                  {view.driverLabel}
                </span>
              </>
            )}
          </p>
        </div>
        <div className="ml-auto">{working && <LabActions labId={view.id} canReset={view.state === "ready"} onReset={onReset} />}</div>
      </header>
      <p className="max-w-3xl text-sm text-slate-300">{lesson.summary}</p>

      {!view && (
        <div className="flex flex-col gap-2">
          <button
            type="button"
            onClick={() => void start()}
            disabled={starting}
            className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60"
          >
            {starting ? "Starting…" : "Start lesson"}
          </button>
          <ErrorNote error={error} />
        </div>
      )}

      {ended && view && (
        <div role="status" className="rounded border border-slate-700 bg-slate-900 px-4 py-3 text-sm">
          This lesson&apos;s lab has ended ({view.state}).{" "}
          <Link className="text-amber-300 underline" href={`/labs/${view.id}/results`}>
            See the recap
          </Link>{" "}
          or{" "}
          <button type="button" className="text-amber-300 underline" onClick={() => router.refresh()}>
            start again
          </button>
          .
        </div>
      )}

      {preparing && view && (
        <div className="flex flex-col gap-3">
          <ProvisionProgress key={provisionKey} labId={view.id} initial={view.progress} onSettled={() => void reload(view.id)} />
          {provisioningFailed && <LabActions labId={view.id} canReset onReset={onReset} />}
        </div>
      )}

      {complete && working && (
        <p role="status" data-testid="lesson-complete" className="rounded border border-emerald-700 bg-emerald-950/40 px-4 py-2 text-sm text-emerald-200">
          Every step is done. Press Finish to end the lab and read the recap.
        </p>
      )}

      <div className={working ? "grid gap-4 lg:grid-cols-[minmax(320px,2fr)_3fr]" : "max-w-3xl"}>
        <div className="min-w-0 max-h-[80vh] overflow-y-auto">
          <LessonSteps labId={view?.id ?? null} steps={lesson.steps} poll={working} onProgress={onProgress} />
        </div>
        {working && (
          <div className="flex min-w-0 flex-col gap-4">
            <TerminalArea labId={view.id} nodes={view.nodes} />
            {/* Every lesson works in the default namespace; node rows show as well (cluster-scoped). */}
            <section data-testid="lesson-timeline" aria-label="Timeline" className="flex flex-col gap-2">
              <h2 className="font-semibold">What the cluster did</h2>
              <LessonTimeline labId={view.id} namespace="default" />
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
