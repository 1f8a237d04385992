/** What went wrong and what to do, as the server said it. */
export function ErrorNote({ error }: { error: { message: string; hint?: string } | null }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded border border-rose-800 bg-rose-950/60 px-3 py-2 text-sm">
      <p className="text-rose-200">{error.message}</p>
      {error.hint && <p className="text-rose-300/80 mt-1 whitespace-pre-line">{error.hint}</p>}
    </div>
  );
}
