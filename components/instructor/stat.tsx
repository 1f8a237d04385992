/** One figure with its label, for the instructor pages' summaries. */
export function Stat({ label, value, testId, note }: { label: string; value: string; testId: string; note?: string }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900 px-3 py-2">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="text-lg" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="text-xs text-slate-400">{note}</dd>}
    </div>
  );
}
