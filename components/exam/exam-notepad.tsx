"use client";

import { useEffect, useRef, useState } from "react";
import { LabApiError, labApi } from "@/components/lab/lab-api";
import { NOTES_MAX_CHARS } from "@/lib/exams/notes-limit";

const SAVE_AFTER_MS = 600;

type SaveState = "saved" | "editing" | "saving" | "error";

/**
 * A notepad for the attempt, kept on the server (never in the browser's storage), so the end of
 * the attempt wipes it even when no browser is open. Saved a moment after typing stops.
 */
export function ExamNotepad({ attemptId, initial }: { attemptId: string; initial: string }) {
  const [text, setText] = useState(initial);
  const [state, setState] = useState<SaveState>("saved");
  const [error, setError] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(initial);

  useEffect(() => () => clearTimeout(timer.current), []);

  function change(value: string) {
    setText(value);
    latest.current = value;
    setState("editing");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(value), SAVE_AFTER_MS);
  }

  async function save(value: string) {
    setState("saving");
    try {
      await labApi(`/api/exams/${attemptId}/notes`, { body: { text: value } });
      // Typing went on while this was saved: the next save is already scheduled.
      if (latest.current === value) setState("saved");
    } catch (e) {
      setError(e instanceof LabApiError ? e.message : "The notes could not be saved.");
      setState("error");
    }
  }

  return (
    <section aria-label="Notepad" className="flex flex-col gap-1 text-sm">
      <label htmlFor="exam-notepad" className="font-medium">
        Notepad
      </label>
      <textarea
        id="exam-notepad"
        data-testid="exam-notepad"
        value={text}
        maxLength={NOTES_MAX_CHARS}
        onChange={(e) => change(e.target.value)}
        rows={8}
        spellCheck={false}
        className="rounded border border-slate-700 bg-slate-950 p-2 font-mono text-xs text-slate-200"
      />
      <p className="text-xs text-slate-500" data-testid="exam-notepad-state" data-state={state} role={state === "error" ? "alert" : undefined}>
        {state === "error" ? error : state === "saved" ? "Saved. Cleared when the exam ends." : "Saving…"}
      </p>
    </section>
  );
}
