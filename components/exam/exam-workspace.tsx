"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";
import type { ExamView } from "@/lib/exams/exam-view";
import { ExamCountdown } from "./exam-countdown";
import { ExamNavigator } from "./exam-navigator";
import { ExamNotepad } from "./exam-notepad";
import { ExamTaskPanel } from "./exam-task-panel";
import { SubmitExam } from "./submit-exam";
import { useTaskFocus } from "./use-task-focus";

const POLL_MS = 3000;
const MODE_TEXT: Record<string, string> = { exam: "Exam mode", timed: "Timed", practice: "Practice (untimed)" };

/**
 * The exam page: navigator, one task at a time, the server's countdown and Submit. It polls the
 * attempt, so provisioning shows honestly and the page follows the server when time runs out.
 */
export function ExamWorkspace({ initial }: { initial: ExamView }) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [current, setCurrent] = useState(() => Math.max(0, initial.tasks.findIndex((t) => t.status === "ready")));
  const [opened, setOpened] = useState<Set<number>>(() => new Set([current]));
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);

  // Bumped by every flag change, so a poll that left before the change cannot undo it on screen.
  const edits = useRef(0);

  const reload = useCallback(async () => {
    const at = edits.current;
    try {
      const v = await labApi<ExamView>(`/api/exams/${initial.id}`, { method: "GET" });
      if (at !== edits.current) return;
      setView(v);
      setReceivedAt(Date.now());
      if (!["provisioning", "running", "grading"].includes(v.state)) router.push(`/exams/${v.id}/results`);
    } catch {
      // keep what we have; the next poll tries again
    }
  }, [initial.id, router]);

  useEffect(() => {
    const t = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(t);
  }, [reload]);

  useTaskFocus(view.id, current, view.state === "running");

  const select = (p: number) => {
    setCurrent(p);
    setOpened((s) => new Set(s).add(p));
  };

  async function flag(position: number, flagged: boolean) {
    setError(null);
    edits.current++;
    setView((v) => ({ ...v, tasks: v.tasks.map((t) => (t.position === position ? { ...t, flagged } : t)) }));
    try {
      await labApi(`/api/exams/${view.id}/flag`, { body: { position, flagged } });
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The flag could not be saved." });
    }
    edits.current++;
    void reload();
  }

  const durationMs = view.deadline && view.timerStartedAt ? Date.parse(view.deadline) - Date.parse(view.timerStartedAt) : 0;
  return (
    <div className="flex flex-col gap-4" data-testid="exam-workspace" data-state={view.state}>
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div>
          <h1 className="text-xl font-semibold">{view.exam.title}</h1>
          <p className="text-xs text-slate-400">
            {MODE_TEXT[view.mode] ?? view.mode} · pass mark {view.passPercent} %
          </p>
        </div>
        {view.state === "provisioning" && (
          <span role="status" className="text-sm text-amber-300">
            Preparing the first task&apos;s cluster; the timer starts when it is ready.
          </span>
        )}
        {view.remainingMs !== null && <ExamCountdown remainingMs={view.remainingMs} receivedAt={receivedAt} durationMs={durationMs} />}
        {view.state === "grading" && <span role="status">Grading every task…</span>}
        <div className="ml-auto">
          {(view.state === "running" || view.state === "provisioning") && (
            <SubmitExam attemptId={view.id} flagged={view.tasks.filter((t) => t.flagged).length} onSubmitted={() => router.push(`/exams/${view.id}/results`)} />
          )}
        </div>
      </header>
      <ErrorNote error={error} />
      <div className="grid gap-4 lg:grid-cols-[16rem_1fr]">
        <div className="flex flex-col gap-4">
          <ExamNavigator tasks={view.tasks} current={current} onSelect={select} onFlag={(p, f) => void flag(p, f)} />
          <ExamNotepad attemptId={view.id} initial={initial.notes} />
        </div>
        <div className="min-w-0">
          {view.tasks
            .filter((t) => opened.has(t.position))
            .map((t) => (
              <ExamTaskPanel key={t.position} task={t} exam={view} visible={t.position === current} />
            ))}
        </div>
      </div>
    </div>
  );
}
