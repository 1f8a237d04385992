import Link from "next/link";
import type { CellResult } from "@/lib/classes/grade-assignment-cell";

const STATUS: Record<CellResult["status"], { label: string; style: string }> = {
  "not-started": { label: "not started", style: "text-slate-500" },
  "in-progress": { label: "in progress", style: "text-sky-300" },
  passed: { label: "passed", style: "text-emerald-300" },
  failed: { label: "not passed", style: "text-rose-300" },
};

/** One learner × assignment result: status, the counted score, attempts used of allowed; linked to the attempt when given. */
export function ResultCell({ cell, href }: { cell: CellResult; href?: string }) {
  const s = STATUS[cell.status];
  return (
    <span className="flex flex-col">
      {href ? (
        <Link href={href} className={`${s.style} underline`}>
          {s.label}
        </Link>
      ) : (
        <span className={s.style}>{s.label}</span>
      )}
      <span className="text-xs text-slate-400 tabular-nums">
        {cell.scorePercent === null ? "" : `${cell.scorePercent}% · `}
        {cell.attemptsAllowed === null ? `${cell.attemptsUsed} attempt${cell.attemptsUsed === 1 ? "" : "s"}` : `${cell.attemptsUsed}/${cell.attemptsAllowed} attempts`}
        {cell.uncounted > 0 ? ` · ${cell.uncounted} not counted` : ""}
      </span>
    </span>
  );
}
